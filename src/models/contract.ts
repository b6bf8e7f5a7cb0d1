/**
 * The one model contract: everything a backtest, a comparison, a panel backtest or a sweep runs (baselines,
 * econometric models, recurrent and global forecasters, users' own models) is a {@link ModelDefinition} in the
 * registry, which makes a {@link SeriesModel} for one series and, optionally, a {@link PanelModel} for a panel.
 */
import type { ZodType } from 'zod';
import type { Panel } from '../data/panel.js';
import type { Series } from '../data/series.js';
import type { VarianceContext } from './baselines/variance-baselines.js';

/**
 * What a target is: `price` (any level series), `return` (log returns, which cross zero), `volatility` (a
 * realized volatility, positive) or `variance` (a realized variance, positive).
 */
export type TargetKind = 'price' | 'return' | 'volatility' | 'variance';

/** What the backtest asks of a model: the same for every model it runs. */
export interface ModelTask {
  /** The column to forecast. */
  target: string;
  /** H: steps forecast from each origin. */
  horizon: number;
  /** Quantile levels to forecast, increasing (absent: point forecasts only). */
  quantiles?: readonly number[];
  /** What the target is. */
  targetKind: TargetKind;
  /**
   * For targets derived from prices (`targetTransform`): the percent log returns of every row (aligned with the
   * rows of the data the model is given), the transform and the annualization.
   */
  derived?: VarianceContext;
}

/** One forecast origin: row t of the data (the first forecast row) and the first row of its training window. */
export interface FoldWindow {
  /** Origin row t: the model may read rows before t only. */
  origin: number;
  /** First row of the training window (0 for expanding windows). */
  trainStart: number;
  /** Whether the model refits here (`refit` option); models without `fit` refit themselves when this is set. */
  refit: boolean;
}

/** A model's forecasts for a list of origins. */
export interface Forecasts {
  /** Per origin, the H point forecasts of rows t..t+H-1. */
  values: ArrayLike<number>[];
  /** Per origin and step, the K quantiles of the task's levels (only when the task asks and the model gives them). */
  quantiles?: ArrayLike<number>[][];
}

/**
 * A model of one series. The backtest calls `fit` at each refit origin with the rows before it, then `forecast`
 * for the origins that fit serves; a model without `fit` gets every origin in one `forecast` call and refits itself
 * where `refit` is set (baselines, GARCH warm-starting from its previous fit).
 */
export interface SeriesModel {
  /** Fits on rows `window.trainStart .. window.origin - 1` of `data` (rows at or after the origin are absent or unread). */
  fit?(data: Series, window: FoldWindow): void | Promise<void>;
  /** Forecasts H steps from each origin, reading rows before each origin only. */
  forecast(data: Series, folds: readonly FoldWindow[]): Forecasts | Promise<Forecasts>;
  /** What the last fit did (epochs, the base a hybrid chose, ...), as plain data, for reports of a single fit. */
  training?(): unknown;
  /** Frees what the model holds (engines, threads). */
  dispose?(): void;
}

/** One symbol's forecast from a panel model. */
export interface SymbolForecast {
  /** H point forecasts. */
  values: ArrayLike<number>;
  /** H x K quantiles, step-major, when the task asks for them. */
  quantiles?: ArrayLike<number>;
}

/** A global model of a panel: one model over every symbol, fitted at a date origin. */
export interface PanelModel {
  /** Fits on `train`: every eligible symbol's rows before the date origin, and nothing after. */
  fit(train: Panel): void | Promise<void>;
  /**
   * Forecasts each symbol of `history` (every symbol's rows before the origin) H steps ahead; `known` holds the
   * next H values of columns known ahead, per symbol and column.
   */
  forecast(
    history: Panel,
    known?: Record<string, Record<string, ArrayLike<number>>>,
  ): Record<string, SymbolForecast> | Promise<Record<string, SymbolForecast>>;
  /** What the last fit did, as plain data (see {@link SeriesModel.training}). */
  training?(): unknown;
  /** Frees what the model holds. */
  dispose?(): void;
}

/** What the backtest gives a model besides its options and task. */
export interface ModelEnvironment {
  /** Threads one fit may train on (the backtest shares the cores between parallel fits). */
  threads?: number | 'auto';
  /** Stops training early (the backtest then fails with `ABORTED`). */
  signal?: AbortSignal;
  /** The base model of a composition (`lstm+har`: the resolved `har`), for models that compose. */
  base?: ResolvedModel;
  /** On a panel: each symbol's task (a derived target's returns are per symbol). */
  symbolTask?: (symbol: string) => ModelTask;
}

/**
 * A model family in the registry. `options` parses a spec's options (defaults filled), so bad options fail before
 * anything trains; `series` makes a model of one series, `panel` a global model of a panel (without it, a panel
 * backtest runs `series` per symbol).
 */
export interface ModelDefinition<O extends object = Record<string, unknown>> {
  /** One line for `--help`, the glossary and error messages. */
  description: string;
  /** The options' schema: sweeps search them, the glossary lists the model, specs are checked with it. */
  options?: ZodType<O>;
  /** The options' schema on panels, where they differ (the global forecaster's); default `options`. */
  panelOptions?: ZodType<O>;
  /** Options the registry name fixes (`gru` sets `cell: 'gru'`); a spec giving another value is refused. */
  presets?: Partial<O>;
  /** A spec's parameter, `name:N` (`seasonal:5`, `ma:20`): the option it sets. */
  parameter?: string;
  /**
   * Trains on data: named in comparisons' findings, a fresh instance per refit, and each refit an independent job
   * that may run on worker threads or a queue.
   */
  learned?: boolean;
  /** Takes the backtest's `forecaster` options (recurrent forecasters and the models built on them). */
  forecaster?: boolean;
  /** An exact function of each origin's window, with nothing fitted (baselines): folds report no refits. */
  stateless?: boolean;
  /** Target kinds the model forecasts (default: all). */
  targets?: readonly TargetKind[];
  /** Whether it gives quantiles for this task (default: no). */
  quantiles?(options: O, task: ModelTask): boolean;
  /** Rows a symbol needs before an origin to be forecast there (default 1). */
  history?(options: O, task: ModelTask): number;
  /** Whether it sits on top of a base model (`lstm+har`). */
  composes?: boolean;
  /** Checks the options against the task (and the base of a composition) before anything runs (throw a ValidationError or DataError). */
  check?(options: O, task: ModelTask, scope: 'series' | 'panel', base?: ResolvedModel): void;
  /** A model of one series. */
  series(options: O, task: ModelTask, env: ModelEnvironment): SeriesModel;
  /** A global model of a panel. */
  panel?(options: O, task: ModelTask, env: ModelEnvironment): PanelModel;
}

/** A module that exports a model definition: worker threads and `stockcast worker` import it by URL. */
export interface ModelModule {
  /** The module's URL (`import.meta.url` of the file that exports the definition) or absolute path. */
  module: string | URL;
  /** The export that holds the definition (default `default`). */
  export?: string;
}

/** A model spec after resolution through the registry. */
export interface ResolvedModel {
  /** Display name (the spec as given, or the `name` given). */
  name: string;
  /** The registry name (`seasonal`, `lstm`). */
  key: string;
  /** The canonical spec string (`seasonal:5`, `lstm+har`). */
  spec: string;
  /** The definition. */
  definition: ModelDefinition<Record<string, unknown>>;
  /** Options as parsed by the definition's schema (defaults filled); without a schema, as given. */
  options: Record<string, unknown>;
  /** The base model of a composition. */
  base?: ResolvedModel;
  /** Registered by module: where worker threads find it. */
  module?: {
    /** The module's URL. */
    url: string;
    /** The export holding the definition. */
    export: string;
  };
  /** Registered by the SDK itself (its models read the data before each origin only, which tests check). */
  builtin: boolean;
}

/**
 * What crosses to a worker thread or a queue worker to run one model's refit group: the canonical spec, its
 * checked options (plain data), the task, the threads one fit may use and the model modules to import first.
 * @internal
 */
export interface ModelJob {
  spec: string;
  options: Record<string, unknown>;
  task: ModelTask;
  threads?: number | 'auto' | undefined;
  modules?: Array<{ name: string; url: string; export: string }> | undefined;
  /**
   * A global model's refit group on a panel: the input is the panel as one series (its fold origins are rows of the
   * union of the dates), and each symbol trains on its last `trainLength` rows before an origin (all without it).
   */
  panel?: { trainLength?: number | undefined } | undefined;
}
