/**
 * The hybrid volatility model as a registered model: the base model's forecasts, run through the model contract
 * on rows before each origin, corrected by a {@link VolatilityHybrid} on one series or globally on a panel.
 */
import type { Panel } from '../../data/panel.js';
import type { Series } from '../../data/series.js';
import { DataError, ValidationError } from '../../errors.js';
import type { FoldWindow, ModelTask, PanelModel, ResolvedModel, SeriesModel } from '../contract.js';
import { VolatilityHybrid, type HybridPart, type HybridRows } from './hybrid.js';
import { hybridOptions } from './volatility-defaults.js';
import type { AdjustedOption } from './training.js';

/** Training origins between two refits of the base while the correction's targets are made (each on rows before it). */
export const BASE_REFIT_ROWS = 100;
/** Rows the base is given before the first training origin (GARCH's likelihood and HAR's month need a history). */
export const BASE_WARM_ROWS = 100;

/**
 * The base's forecasts at origins of `data`, run as a backtest runs a model that is not learned: refitted at the
 * first origin and every `every` origins after, on rows `trainStart..origin - 1` only; a user's base sees the rows
 * before each origin only.
 * @internal
 */
export async function baseForecasts(base: ResolvedModel, task: ModelTask, data: Series, folds: readonly FoldWindow[]): Promise<ArrayLike<number>[]> {
  const m = base.definition.series(base.options, task, {});
  const values: ArrayLike<number>[] = [];
  const run = async (group: readonly FoldWindow[]) => {
    if (base.builtin) values.push(...(await m.forecast(data, group)).values);
    else for (const f of group) values.push(...(await m.forecast(data.slice(0, f.origin), [f])).values);
  };
  try {
    if (!m.fit) await run(folds);
    else {
      for (let i = 0; i < folds.length; ) {
        let j = i + 1;
        while (j < folds.length && !folds[j].refit) j++;
        await m.fit(base.builtin ? data : data.slice(0, folds[i].origin), folds[i]);
        await run(folds.slice(i, j));
        i = j;
      }
    }
  } finally {
    m.dispose?.();
  }
  return values;
}

/** Training origins' folds: refit at the first and every {@link BASE_REFIT_ROWS} after. */
const trainingFolds = (origins: readonly number[], trainStart: number): FoldWindow[] =>
  origins.map((origin, i) => ({ origin, trainStart, refit: i % BASE_REFIT_ROWS === 0 }));

/** The rows a hybrid reads from a series: the target and, for a target derived from prices, the returns. */
function rowsOf(data: Series, task: ModelTask): HybridRows {
  const returns = task.derived?.returns;
  return { y: data.columnRef(task.target), ...(returns ? { returns: returns.map((r) => (Number.isFinite(r) ? r : 0)) } : {}) };
}

function newHybrid(given: Record<string, unknown>, task: ModelTask, base: ResolvedModel, defaults: AdjustedOption[]): VolatilityHybrid {
  if (task.targetKind !== 'volatility' && task.targetKind !== 'variance') {
    throw new ValidationError('model spec', [{ path: '', message: `a hybrid corrects a volatility or variance forecast: the target is a ${task.targetKind}` }]);
  }
  return new VolatilityHybrid(hybridOptions(given), task.targetKind, task.horizon, base.spec, task.derived !== undefined, defaults);
}

/**
 * A hybrid of one series: at each refit, the base's forecasts at the training origins (rows before the refit
 * origin only) and the networks that correct them; at the origins it serves, the base's forecasts corrected.
 * @internal
 */
export function hybridSeriesModel(given: Record<string, unknown>, task: ModelTask, base: ResolvedModel, defaults: AdjustedOption[], threads: number | 'auto' | undefined): SeriesModel {
  const options = { ...given, ...(threads !== undefined ? { threads } : {}) };
  let hybrid: VolatilityHybrid | undefined;
  return {
    async fit(data, window) {
      hybrid?.dispose();
      hybrid = newHybrid(options, task, base, defaults);
      const seen = data.slice(0, window.origin);
      const part: HybridPart = {
        key: '',
        rows: rowsOf(seen, task),
        from: window.trainStart,
        to: window.origin,
        warm: BASE_WARM_ROWS,
        baseAt: (origins) => baseForecasts(base, task, seen, trainingFolds(origins, window.trainStart)),
      };
      await hybrid.fit([part]);
    },
    async forecast(data, folds) {
      if (!hybrid) throw new DataError('a hybrid forecasts after fit');
      const b = await baseForecasts(base, task, data, folds);
      const values = await hybrid.predict('', rowsOf(data, task), folds.map((f) => f.origin), b);
      return { values };
    },
    dispose: () => hybrid?.dispose(),
  };
}

/**
 * A global hybrid of a panel: per-symbol bases (each on its own rows and task) and per-symbol floors and input
 * scaling, one set of networks over every symbol's windows.
 * @internal
 */
export function hybridPanelModel(given: Record<string, unknown>, task: ModelTask, base: ResolvedModel, defaults: AdjustedOption[], env: { threads?: number | 'auto' | undefined; symbolTask?: ((symbol: string) => ModelTask) | undefined }): PanelModel {
  const options = { ...given, ...(env.threads !== undefined ? { threads: env.threads } : {}) };
  const taskOf = (symbol: string) => env.symbolTask?.(symbol) ?? task;
  let hybrid: VolatilityHybrid | undefined;
  /** Per symbol, the row count at the last refit: the base is fitted there, as a backtest of the base alone does. */
  const fittedAt = new Map<string, number>();
  return {
    async fit(train: Panel) {
      hybrid?.dispose();
      hybrid = newHybrid(options, task, base, defaults);
      const parts: HybridPart[] = [];
      for (const [symbol, s] of train) {
        const t = taskOf(symbol);
        fittedAt.set(symbol, s.length);
        parts.push({ key: symbol, rows: rowsOf(s, t), from: 0, to: s.length, warm: BASE_WARM_ROWS, stamp: (row) => s.timestampAt(row), baseAt: (origins) => baseForecasts(base, t, s, trainingFolds(origins, 0)) });
      }
      await hybrid.fit(parts);
    },
    async forecast(history: Panel) {
      if (!hybrid) throw new DataError('a hybrid forecasts after fit');
      const out: Record<string, { values: Float64Array }> = {};
      for (const [symbol, s] of history) {
        const t = taskOf(symbol);
        const n = s.length;
        const f0 = Math.min(fittedAt.get(symbol) ?? n, n);
        // The base refits where the networks did and carries its fit forward, like the base's own backtest.
        const folds = f0 < n ? [{ origin: f0, trainStart: 0, refit: true }, { origin: n, trainStart: 0, refit: false }] : [{ origin: n, trainStart: 0, refit: true }];
        const b = await baseForecasts(base, t, s, folds);
        const [values] = await hybrid.predict(symbol, rowsOf(s, t), [n], [b[b.length - 1]]);
        out[symbol] = { values };
      }
      return out;
    },
    dispose: () => hybrid?.dispose(),
  };
}
