/** Walk-forward backtests over a panel: origins are dates, one global model per refit, baselines per symbol, metrics pooled and per symbol. */
import { z } from 'zod';
import { DataError, ValidationError } from '../errors.js';
import type { Panel } from '../data/panel.js';
import { resolveTarget } from '../data/target.js';
import type { ModelTask, ResolvedModel } from '../models/contract.js';
import { isVolatilityKind, resolveTargetKind } from './target-kind.js';
import type { VarianceContext } from '../models/baselines/variance-baselines.js';
import { resolveModel, type ModelSpec } from '../models/resolve.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';
import { modelTask } from './folds.js';
import { forecastPanelPlan, forecastPlans } from './fold-runners.js';
import { forecastRows, panelRules, trainingPanel, type PanelOrigin } from './panel-folds.js';
import { QueueOptionsSchema } from '../queue/options.js';
import { applyTargetTransform } from '../prep/target-transform.js';
import { panelRankForecast } from './panel-rank.js';
import { periodsPerYear } from '../data/frequency.js';
import { meanPoints } from './metrics.js';
import { summarize, type PanelBacktestResult, type PanelForecastPoint, type PanelRun } from './panel-results.js';

export type { PanelBacktestResult, PanelFit, PanelForecastPoint, SymbolResult } from './panel-results.js';

/** Options of {@link walkForwardPanel} and {@link comparePanelModels}. */
export const PanelWalkForwardOptionsSchema = z
  .object({
    /** Target column (default: the close column, else the only column). */
    target: v.target.optional(),
    /** Steps forecast from each origin (default 1). */
    horizon: v.horizon.withDefault(),
    /** Dates between origins (default: the horizon). */
    step: v.step.optional(),
    /** The last N dates of the union of the symbols' dates are forecast (default 20% of them, at least the horizon). */
    testSize: v.testSize.optional(),
    /** Recurrent models: a fresh global model at `every` origin, `once`, or every k origins (default `every`). */
    refit: v.refit.withDefault(),
    /**
     * `expanding` (every row before the origin, default) or `sliding`: each symbol's last `trainLength` rows before
     * the origin, for a global model and for a model run per symbol alike.
     */
    window: v.window.withDefault(),
    /** L for sliding windows: rows of each symbol. */
    trainLength: v.trainLength.optional(),
    /**
     * Refit groups on this many worker threads (default `auto`: the machine's cores): each symbol's groups for a
     * model run per symbol, the refit groups of a global model for a recurrent one. Results are identical.
     */
    concurrency: v.concurrency.withDefault(),
    /** Run the refit groups as jobs on a BullMQ queue (`{ connection: 'redis://...' }`) instead; results are identical. */
    queue: QueueOptionsSchema.optional(),
    /** Global forecaster options for recurrent models (lookback, cell, calendar features, ...). */
    forecaster: v.forecaster.optional(),
    /**
     * Derive each symbol's target from its prices, as in {@link walkForward}: `rv:K`, `parkinson:K`, `gk:K`, `yz:K`
     * or `logret`. The econometric models (`ewma`, `har`, `garch`, `garch-t`) then run per symbol on its returns.
     */
    targetTransform: v.targetTransform.optional(),
    /**
     * Declares the target column a `variance` or a `volatility`, as in {@link walkForward} (default: from
     * `targetTransform`, `variance` for the variance columns of series made by `realizedMeasures`, else a price).
     */
    targetKind: v.targetKind.optional(),
    /** Periods per year for annualizing a volatility target (default from the frequency). */
    periodsPerYear: v.periodsPerYear.optional(),
    /** Price columns of a range-based target (default: `open`, `high`, `low` in any case; the close is the target). */
    prices: v.prices.optional(),
    /**
     * The target is the mean of the next H values, as in {@link walkForward}: one point per symbol and origin, the
     * mean of its H actual values against the mean of its H forecasts; a symbol whose rows end inside an origin's
     * span has no mean there and no point. Default false. Not with `quantiles` or `rankForecast`.
     */
    horizonMean: v.horizonMean.withDefault(),
    /** Quantile levels: recurrent models forecast them (pinball loss), `ewma`/`garch` from their variances; adds probabilistic metrics. */
    quantiles: v.quantiles.optional(),
    /**
     * `quintiles`: M6-style rank forecasts of the next period's return quintile of every symbol from the one-step
     * forecasts (and their quantiles, when the model gives them), scored by the ranked probability score, with a
     * rank-based long-short portfolio ranked among random portfolios. Price targets only.
     */
    rankForecast: v.rankForecast.optional(),
  })
  .strict()
  .refine((o) => o.window !== 'sliding' || o.trainLength !== undefined, {
    message: "window 'sliding' needs trainLength",
    path: ['trainLength'],
  })
  .refine((o) => !(o.rankForecast && o.targetTransform), {
    message: 'rankForecast ranks returns implied by price forecasts: leave out targetTransform',
    path: ['rankForecast'],
  })
  .refine((o) => !(o.horizonMean && (o.quantiles || o.rankForecast)), {
    message: 'horizonMean scores the mean of the H values: leave out quantiles and rankForecast, which read the steps',
    path: ['horizonMean'],
  });

/** Options of {@link walkForwardPanel}, as accepted. */
export type PanelWalkForwardOptions = z.input<typeof PanelWalkForwardOptionsSchema>;

/** Runs one symbol's step; a DataError it throws names the symbol. */
function ofSymbol<T>(symbol: string, step: () => T): T {
  try {
    return step();
  } catch (e) {
    throw named(symbol, e);
  }
}

/** A DataError of one symbol's step, naming the symbol (other errors as they are). @internal */
export function named(symbol: string, e: unknown): unknown {
  return e instanceof DataError ? new DataError(`symbol "${symbol}": ${e.message}`, e.location) : e;
}

/**
 * Walk-forward backtest of one model over a panel. Origins are dates: the last `testSize` dates of the union of
 * the symbols' dates, every `step` dates. At an origin, each symbol that has a row on that date and enough
 * history before it is forecast from its rows before the date only; no row at or after an origin reaches
 * training, scaling or the model's input at that origin. A recurrent model is one global model trained on every
 * eligible symbol's rows before the origin (refit as `refit` says); a baseline runs per symbol.
 *
 * @param panel - the panel
 * @param model - a spec string (`naive`, `lstm`, ...) or object, as for {@link walkForward}
 * @param options - see {@link PanelWalkForwardOptionsSchema}
 * @returns points, pooled and per-symbol metrics, Theil's U, and the fits
 * @throws {@link DataError} when no symbol can be forecast at any origin
 * @throws {@link ValidationError} for invalid options or an unknown model
 * @example
 * ```ts
 * import { readPanelCsv, walkForwardPanel } from 'stockcast';
 * const stocks = await readPanelCsv('fixtures/stocks.csv');
 * const r = await walkForwardPanel(stocks, 'naive', { testSize: 12 });
 * r.bySymbol.GOOG.metrics.rmse;
 * ```
 */
export async function walkForwardPanel(
  panel: Panel,
  model: ModelSpec,
  options: PanelWalkForwardOptions = {},
): Promise<PanelBacktestResult> {
  const o = parseOptions(PanelWalkForwardOptionsSchema, options, 'panel walk-forward options');
  const resolved = await resolveModel(model, { forecaster: o.forecaster, panel: true });
  const derived = deriveTargets(panel, resolveTarget(panel.columns, o.target), o);
  const { target, contexts } = derived;
  panel = derived.panel;
  const H = o.horizon;
  const first = panel.symbols.length > 0 ? panel.get(panel.symbols[0]) : undefined;
  const kind = resolveTargetKind({
    targetTransform: o.targetTransform,
    targetKind: o.targetKind,
    series: first,
    target,
  });
  const taskOf = (symbol?: string) => {
    const derived = symbol === undefined ? [...contexts.values()][0] : contexts.get(symbol);
    return modelTask(resolved, { target, horizon: H, quantiles: o.quantiles, derived, targetKind: kind }, 'panel');
  };
  const task = taskOf();
  const levels = task.quantiles ? [...task.quantiles] : undefined;
  if (o.quantiles && !levels) {
    const message = `${resolved.name} gives no quantiles for this target: use a recurrent model, or ewma or garch on targetTransform 'logret'`;
    throw new ValidationError('panel walk-forward options', [{ path: 'quantiles', message }]);
  }
  const need = resolved.definition.history?.(resolved.options, task) ?? 1;
  const trainLength = o.window === 'sliding' ? o.trainLength! : Infinity;
  const origins = dateOrigins(panel.unionRef(), H, o);
  const run: PanelRun = {
    panel,
    origins,
    need,
    target,
    H,
    horizonMean: o.horizonMean,
    levels,
    kind,
    trainLength,
    quantileFolds: new Map(),
    fits: [],
  };
  const forecastsAt = resolved.definition.panel
    ? await globalForecasts(resolved, taskOf, run, o)
    : await symbolForecasts(resolved, taskOf, run, o);
  const { points, naiveErrors } = scored(run, pointsOf(run, forecastsAt));
  if (points.length === 0) {
    const message = `no symbol could be forecast at any of the ${origins.length} origins: each needs a row on the origin date and ${need} rows before it`;
    throw new DataError(message, {}, { hint: 'use a shorter lookback, or a larger testSize' });
  }
  const result = summarize(resolved.name, run, points, naiveErrors, contexts);
  if (o.rankForecast) {
    const ppy = o.periodsPerYear ?? periodsPerYear(panel.frequencyInfo.frequency);
    result.rankForecast = panelRankForecast(result, ppy);
  }
  return result;
}

/**
 * With a target transform, each symbol's derived target (rows without enough history dropped) and its returns.
 * @internal
 */
export function deriveTargets(
  panel: Panel,
  target: string,
  o: Pick<z.output<typeof PanelWalkForwardOptionsSchema>, 'targetTransform' | 'prices' | 'periodsPerYear'>,
): { panel: Panel; target: string; contexts: Map<string, VarianceContext> } {
  const contexts = new Map<string, VarianceContext>();
  if (!o.targetTransform) return { panel, target, contexts };
  const prices = target;
  const options = {
    close: prices,
    prices: o.prices,
    ...(o.periodsPerYear ? { periodsPerYear: o.periodsPerYear } : {}),
  };
  let derived = target;
  const out = panel.map((series, symbol) => {
    const t = ofSymbol(symbol, () => applyTargetTransform(series, o.targetTransform!, options));
    contexts.set(symbol, {
      returns: t.returns,
      transform: t.transform,
      periodsPerYear: t.periodsPerYear,
      daily: t.daily,
    });
    derived = t.target;
    return t.series;
  });
  return { panel: out, target: derived, contexts };
}

/** The date origins: the last `testSize` dates of the union (default 20%, at least the horizon), every `step`. */
function dateOrigins(dates: Float64Array, H: number, o: z.output<typeof PanelWalkForwardOptionsSchema>): number[] {
  const testSize = Math.min(dates.length - 1, o.testSize ?? Math.max(H, Math.round(dates.length * 0.2)));
  const step = o.step ?? H;
  const origins: number[] = [];
  for (let i = dates.length - testSize; i < dates.length; i += step) origins.push(dates[i]);
  return origins;
}

/** Every forecast as a point against its actual, with each symbol's naive errors over the same points. */
function pointsOf(
  run: PanelRun,
  forecastsAt: OriginForecasts,
): { points: PanelForecastPoint[]; naiveErrors: Map<string, number[]> } {
  const points: PanelForecastPoint[] = [];
  const naiveErrors = new Map<string, number[]>();
  for (const [k, origin] of run.origins.entries()) {
    for (const [symbol, { row: t, values }] of forecastsAt[k]) {
      const s = run.panel.get(symbol);
      const y = s.columnRef(run.target);
      for (let h = 0; h < run.H && t + h < s.length; h++) {
        points.push({
          symbol,
          timestamp: s.timestampAt(t + h),
          step: h,
          actual: y[t + h],
          predicted: values[h],
          lastKnown: y[t - 1],
          originTimestamp: origin,
        });
        const naive = naiveErrors.get(symbol) ?? [];
        naive.push(y[t + h] - y[t - 1]);
        naiveErrors.set(symbol, naive);
      }
    }
  }
  return { points, naiveErrors };
}

/** The points scored: each step's, or with `horizonMean` each origin's mean, with the naive errors on the same points. */
function scored(
  run: PanelRun,
  steps: { points: PanelForecastPoint[]; naiveErrors: Map<string, number[]> },
): { points: PanelForecastPoint[]; naiveErrors: Map<string, number[]> } {
  if (!run.horizonMean) return steps;
  const points = meanPoints(steps.points, run.H);
  const naiveErrors = new Map<string, number[]>();
  for (const p of points) {
    const naive = naiveErrors.get(p.symbol) ?? [];
    naive.push(p.actual - p.lastKnown);
    naiveErrors.set(p.symbol, naive);
  }
  return { points, naiveErrors };
}

/** Per origin: each forecast symbol's origin row and forecasts. */
type OriginForecasts = Array<Map<string, { row: number; values: ArrayLike<number> }>>;

/** Where each symbol is forecast: a row on the origin date and `need` rows before it. */
function symbolOrigins(run: PanelRun, symbol: string, k0 = 0): Array<{ k: number; row: number }> {
  const s = run.panel.get(symbol);
  const out: Array<{ k: number; row: number }> = [];
  for (let k = k0; k < run.origins.length; k++) {
    const t = s.indexAtOrAfter(run.origins[k]);
    if (t < s.length && s.timestampAt(t) === run.origins[k] && t >= run.need) out.push({ k, row: t });
  }
  return out;
}

/**
 * A model of one series, run per symbol on its own rows: every origin of the symbol in one run (so GARCH
 * warm-starts between refits), refitting as `refit` says, counted over this symbol's origins; a learned model's
 * refit groups of every symbol run together on worker threads or a queue when asked.
 */
async function symbolForecasts(
  model: ResolvedModel,
  taskOf: (symbol: string) => ModelTask,
  run: PanelRun,
  o: z.output<typeof PanelWalkForwardOptionsSchema>,
): Promise<OriginForecasts> {
  const out: OriginForecasts = run.origins.map(() => new Map());
  const every = o.refit === 'every' ? 1 : o.refit === 'once' ? Infinity : o.refit;
  const symbols = run.panel.symbols
    .map((symbol) => ({ symbol, mine: symbolOrigins(run, symbol) }))
    .filter((p) => p.mine.length > 0);
  const parts = symbols.map(({ symbol, mine }) => ({
    series: run.panel.get(symbol),
    task: taskOf(symbol),
    plan: mine.map(({ row }, j) => ({
      origin: row,
      trainStart: Math.max(0, row - run.trainLength),
      refit: j % every === 0,
    })),
    label: `symbol "${symbol}"`,
  }));
  const forecasts = await forecastPlans(model, parts, o, () => {});
  symbols.forEach(({ symbol, mine }, i) => {
    const f = forecasts[i];
    mine.forEach(({ k, row }, j) => out[k].set(symbol, { row, values: f.values[j] }));
    if (run.levels && f.quantiles)
      run.quantileFolds.set(
        symbol,
        mine.map(({ row }, j) => ({ origin: row, quantiles: f.quantiles![j].map((q) => Array.from(q)) })),
      );
  });
  return out;
}

/** A global model: one model over every eligible symbol, refitted at date origins as `refit` says. */
async function globalForecasts(
  model: ResolvedModel,
  taskOf: (symbol?: string) => ModelTask,
  run: PanelRun,
  o: z.output<typeof PanelWalkForwardOptionsSchema>,
): Promise<OriginForecasts> {
  const task = taskOf();
  // A volatility target from prices: a hybrid reads each symbol's own returns (its task), so it runs in this thread.
  const env =
    task.derived && isVolatilityKind(task.targetKind) ? { symbolTask: (symbol: string) => taskOf(symbol) } : {};
  const { panel, H, levels } = run;
  const rules = panelRules(model, task, run.trainLength);
  const out: OriginForecasts = run.origins.map(() => new Map());
  // Origins where some symbol is forecast; a fresh model at the first, then as `refit` says.
  const plan: Array<PanelOrigin & { k: number }> = [];
  for (const [k, origin] of run.origins.entries()) {
    if (forecastRows(panel, origin, rules).size === 0) continue;
    const refit = plan.length === 0 || o.refit === 'every' || (typeof o.refit === 'number' && k % o.refit === 0);
    plan.push({ origin, refit, k });
    if (refit) {
      const train = trainingPanel(panel, origin, rules);
      run.fits.push({
        origin,
        lastTrainingTimestamp: Math.max(...[...train].map(([, s]) => s.lastTimestamp)),
        symbols: train.symbols,
      });
    }
  }
  const forecasts = await forecastPanelPlan(model, panel, task, rules, plan, o, () => {}, env);
  for (const [i, { k }] of plan.entries()) {
    for (const [symbol, f] of forecasts[i]) {
      out[k].set(symbol, { row: f.row, values: f.values });
      if (levels && f.quantiles) {
        const K = levels.length;
        const list = run.quantileFolds.get(symbol) ?? [];
        list.push({
          origin: f.row,
          quantiles: Array.from({ length: H }, (_, h) =>
            Array.from(Array.prototype.slice.call(f.quantiles, h * K, (h + 1) * K) as number[]),
          ),
        });
        run.quantileFolds.set(symbol, list);
      }
    }
  }
  return out;
}
