/**
 * Forecasts past the last row with any registered model: one fit on every row, as a backtest fits at an origin
 * after the data, so a model forecasts ahead exactly as it is backtested (the volatility defaults included).
 */
import { z } from 'zod';
import { Panel } from '../data/panel.js';
import type { Series } from '../data/series.js';
import { resolveTarget } from '../data/target.js';
import type {
  ModelEnvironment,
  ModelTask,
  PanelModel,
  ResolvedModel,
  SeriesModel,
  TargetKind,
} from '../models/contract.js';
import { ValidationError } from '../errors.js';
import { datesAfter, saveAhead, savable, type SavedAhead, type SeriesAhead, withMean } from './saved-ahead.js';
import { resolveModel, type ModelSpec } from '../models/resolve.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';
import { modelTask } from './folds.js';
import { deriveTargets, named } from './panel-walk-forward.js';
import { resolveTargetKind } from './target-kind.js';
import { deriveTarget, TargetFields, type BacktestResult } from './walk-forward.js';

/** Options of {@link forecastAhead}: the target as a backtest names it, the horizon and the model's training. */
export const ForecastAheadOptionsSchema = z
  .object({
    ...TargetFields,
    /** H: steps to forecast (default 1). */
    horizon: v.horizon.withDefault(),
    /** Forecaster options for recurrent models (lookback, epochs, units, ...); the model spec sets the cell. */
    forecaster: z.record(z.string(), z.unknown()).optional(),
    /** Threads the fit trains on (default `auto`: the machine's cores). */
    threads: v.threads.withDefault(),
    /**
     * Save the fitted model as a model directory here (Node.js), to forecast later without training
     * ({@link loadVolatilityModel}). The volatility model (a recurrent spec on a volatility or variance target, a
     * hybrid) saves; other models are refused before any training (a plain forecaster saves through
     * `createForecaster(...).fit(...).save(dir)`).
     */
    save: v.save.optional(),
  })
  .strict();

/** Options of {@link forecastAhead}, as accepted. */
export type ForecastAheadOptions = z.input<typeof ForecastAheadOptionsSchema>;

/** What {@link forecastAhead} gives for one series. */
export interface AheadForecast extends SeriesAhead {
  /** The model's name. */
  model: string;
  /** The target column forecast (a derived one with `targetTransform`). */
  target: string;
  /** What the target is. */
  targetKind: TargetKind;
  /** H. */
  horizon: number;
  /** Whether each forecast also gives the mean of its H values (`mean`). */
  horizonMean: boolean;
  /** The target transform, when one made the target. */
  transform?: BacktestResult['transform'];
}

/** What {@link forecastAhead} gives for a panel: each symbol's forecast past its own last row. */
export interface PanelAheadForecast {
  /** The model's name. */
  model: string;
  /** The target column forecast (a derived one with `targetTransform`). */
  target: string;
  /** What the target is. */
  targetKind: TargetKind;
  /** H. */
  horizon: number;
  /** Whether each forecast also gives the mean of its H values (`mean`). */
  horizonMean: boolean;
  /** Per symbol. */
  bySymbol: Record<string, SeriesAhead>;
  /** What the fit of a global model (one over every symbol) did, when it reports it. */
  training?: unknown;
}

/**
 * Fits a model on every row and forecasts the next `horizon` steps: what a walk-forward backtest with its origin
 * just after the data would forecast (tested: equal to the backtest's forecast at an origin, given the rows before
 * it). A recurrent spec on a volatility or variance target takes the volatility defaults (a hybrid on the best of
 * the econometric baselines); on a panel, a recurrent model is one global model and any other runs per symbol.
 *
 * @param input - a series, or a panel (each symbol forecast past its own last row)
 * @param model - a spec string (`lstm`, `har`, `lstm+garch`, a registered model) or object
 * @param options - see {@link ForecastAheadOptionsSchema}
 * @returns the forecast, its dates and what the fit did
 * @throws {@link ValidationError} for invalid options, an unknown model or a model that does not forecast the target
 * @throws {@link DataError} for a series too short for the model (on a panel: naming the symbol)
 * @example
 * ```ts
 * import { forecastAhead, readCsv } from 'stockcast';
 * const sp = await readCsv('fixtures/sp500-2000.csv');
 * const f = await forecastAhead(sp, 'garch', { targetTransform: 'rv:5', horizon: 5 });
 * console.log(f.values); // the annualized 5-day volatility, in percent, of the next five days
 * ```
 */
export async function forecastAhead(
  input: Series,
  model: ModelSpec,
  options?: ForecastAheadOptions,
): Promise<AheadForecast>;
export async function forecastAhead(
  input: Panel,
  model: ModelSpec,
  options?: ForecastAheadOptions,
): Promise<PanelAheadForecast>;
export async function forecastAhead(
  input: Series | Panel,
  model: ModelSpec,
  options: ForecastAheadOptions = {},
): Promise<AheadForecast | PanelAheadForecast> {
  const o = parseOptions(ForecastAheadOptionsSchema, options, 'forecast options');
  if (input instanceof Panel) return panelAhead(input, model, o);
  const resolved = await resolveModel(model, { forecaster: o.forecaster });
  const { series, target, derived, transform } = deriveTarget(input, resolveTarget(input.columns, o.target), o);
  const kind = resolveTargetKind({ ...o, series: input, target });
  const task = modelTask(resolved, { target, horizon: o.horizon, derived, targetKind: kind });
  const how = saving(o, resolved, target, 'series');
  const ahead = withMean(await seriesAhead(resolved, task, series, threadsOf(o), how), o.horizonMean);
  return {
    model: resolved.name,
    target,
    targetKind: kind,
    horizon: o.horizon,
    horizonMean: o.horizonMean,
    ...ahead,
    ...(transform ? { transform } : {}),
  };
}

type Parsed = z.output<typeof ForecastAheadOptionsSchema>;

const threadsOf = (o: Parsed): Pick<ModelEnvironment, 'threads'> => ({ threads: o.threads });

/** Where and how to save the fit (`save`), or nothing. */
function saving(o: Parsed, model: ResolvedModel, target: string, scope: SavedAhead['scope']): Saving | undefined {
  if (o.save === undefined) return undefined;
  const fields = Object.keys(TargetFields) as Array<keyof typeof TargetFields>;
  const given = Object.fromEntries(fields.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
  return { dir: o.save, how: { model: model.name, scope, target: given, derivedTarget: target } };
}

/** A save asked for: the directory and what to record. */
interface Saving {
  dir: string;
  how: SavedAhead;
}

/** Refuses a save of a model that cannot be saved, before it trains; saves the fit after. */
function checkSavable(m: SeriesModel | PanelModel, save: Saving | undefined, model: ResolvedModel): void {
  if (save && !savable(m))
    throw new ValidationError('forecast options', [
      {
        path: 'save',
        message:
          `${model.name} cannot be saved here: save keeps the volatility model (a recurrent spec on a volatility ` +
          'or variance target); save a recurrent forecaster with createForecaster(...).fit(...).save(dir)',
      },
    ]);
}

async function saveFit(m: SeriesModel | PanelModel, save: Saving | undefined): Promise<void> {
  if (!save || !savable(m)) return;
  const hybrid = m.fitted();
  if (hybrid) await saveAhead(save.dir, hybrid, save.how);
}

/** One fit of a model of one series on all its rows, and its forecast at the origin after them. */
async function seriesAhead(
  model: ResolvedModel,
  task: ModelTask,
  series: Series,
  env: ModelEnvironment,
  save?: Saving,
): Promise<SeriesAhead> {
  const m = model.definition.series(model.options, task, { ...env, ...(model.base ? { base: model.base } : {}) });
  try {
    checkSavable(m, save, model);
    const window = { origin: series.length, trainStart: 0, refit: true };
    await m.fit?.(series, window);
    const [values] = (await m.forecast(series, [window])).values;
    await saveFit(m, save);
    const training = m.training?.();
    return {
      lastTimestamp: series.lastTimestamp,
      timestamps: datesAfter(series, task.horizon),
      values: Array.from(values),
      ...(training !== undefined ? { training } : {}),
    };
  } finally {
    m.dispose?.();
  }
}

/** A panel: a global model fitted once on every symbol, or a model of one series fitted per symbol. */
async function panelAhead(panel: Panel, model: ModelSpec, o: Parsed): Promise<PanelAheadForecast> {
  const resolved = await resolveModel(model, { forecaster: o.forecaster, panel: true });
  const { panel: data, target, contexts } = deriveTargets(panel, resolveTarget(panel.columns, o.target), o);
  const first = panel.symbols.length > 0 ? panel.get(panel.symbols[0]) : undefined;
  const kind = resolveTargetKind({ ...o, series: first, target });
  const taskOf = (symbol?: string, scope: 'series' | 'panel' = 'panel') => {
    const derived = symbol === undefined ? [...contexts.values()][0] : contexts.get(symbol);
    return modelTask(resolved, { target, horizon: o.horizon, derived, targetKind: kind }, scope);
  };
  const head = { model: resolved.name, target, targetKind: kind, horizon: o.horizon, horizonMean: o.horizonMean };
  const bySymbol: Record<string, SeriesAhead> = {};
  const save = saving(o, resolved, target, 'panel');
  if (save && !resolved.definition.panel)
    throw new ValidationError('forecast options', [
      { path: 'save', message: `${resolved.name} runs per symbol on a panel: save keeps one global volatility model` },
    ]);
  if (!resolved.definition.panel) {
    for (const [symbol, s] of data) {
      try {
        bySymbol[symbol] = withMean(
          await seriesAhead(resolved, taskOf(symbol, 'series'), s, threadsOf(o)),
          o.horizonMean,
        );
      } catch (e) {
        throw named(symbol, e);
      }
    }
    return { ...head, bySymbol };
  }
  const env: ModelEnvironment = {
    ...threadsOf(o),
    ...(resolved.base ? { base: resolved.base } : {}),
    ...(contexts.size > 0 ? { symbolTask: (s: string) => taskOf(s) } : {}),
  };
  const m = resolved.definition.panel(resolved.options, taskOf(), env);
  try {
    checkSavable(m, save, resolved);
    await m.fit(data);
    const forecasts = await m.forecast(data);
    await saveFit(m, save);
    for (const [symbol, f] of Object.entries(forecasts)) {
      const s = data.get(symbol);
      const timestamps = datesAfter(s, o.horizon);
      const values = Array.from(f.values);
      bySymbol[symbol] = withMean({ lastTimestamp: s.lastTimestamp, timestamps, values }, o.horizonMean);
    }
    const training = m.training?.();
    return { ...head, bySymbol, ...(training !== undefined ? { training } : {}) };
  } finally {
    m.dispose?.();
  }
}
