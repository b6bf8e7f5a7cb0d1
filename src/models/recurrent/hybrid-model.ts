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
/** The same on panels, where every symbol's base is fitted at each refit (GARCH's likelihood dominates the cost). */
export const PANEL_BASE_REFIT_ROWS = 250;
/** Rows the base is given before the first training origin (GARCH's likelihood and HAR's month need a history). */
export const BASE_WARM_ROWS = 100;

/**
 * The base's forecasts at origins of `data`, run as a backtest runs a model that is not learned: refitted at the
 * first origin and every `every` origins after, on rows `trainStart..origin - 1` only; a user's base sees the rows
 * before each origin only.
 * @internal
 */
export async function baseForecasts(
  base: ResolvedModel,
  task: ModelTask,
  data: Series,
  folds: readonly FoldWindow[],
): Promise<ArrayLike<number>[]> {
  const m = base.definition.series(base.options, task, {});
  try {
    return await baseForecastsWith(m, base, data, folds);
  } finally {
    m.dispose?.();
  }
}

/** {@link baseForecasts} with a model instance that carries its fits between calls (folds without refit use them). */
async function baseForecastsWith(
  m: SeriesModel,
  base: ResolvedModel,
  data: Series,
  folds: readonly FoldWindow[],
): Promise<ArrayLike<number>[]> {
  const values: ArrayLike<number>[] = [];
  const run = async (group: readonly FoldWindow[]) => {
    if (base.builtin) values.push(...(await m.forecast(data, group)).values);
    else for (const f of group) values.push(...(await m.forecast(data.slice(0, f.origin), [f])).values);
  };
  if (!m.fit) await run(folds);
  else {
    for (let i = 0; i < folds.length; ) {
      let j = i + 1;
      while (j < folds.length && !folds[j].refit) j++;
      if (folds[i].refit || i > 0) await m.fit(base.builtin ? data : data.slice(0, folds[i].origin), folds[i]);
      await run(folds.slice(i, j));
      i = j;
    }
  }
  return values;
}

/**
 * One symbol's base on a panel: the forecasts at its training origins, kept across refits (the origins and the
 * base's refits sit at the same rows each time, so a later refit only adds origins), and the instance that
 * forecasts its test origins, refitted where the networks are.
 */
class SymbolBase {
  private readonly train: SeriesModel;
  private readonly values: ArrayLike<number>[] = [];
  private first = -1;
  readonly test: SeriesModel;
  refit = true;

  constructor(
    readonly base: ResolvedModel,
    readonly task: ModelTask,
  ) {
    this.train = base.definition.series(base.options, task, {});
    this.test = base.definition.series(base.options, task, {});
  }

  /** Forecasts at consecutive training origins; only those not yet forecast are computed. */
  async at(data: Series, origins: readonly number[]): Promise<ArrayLike<number>[]> {
    if (origins.length === 0) return [];
    if (origins[0] !== this.first)
      throw new DataError(`a symbol's training origins moved from row ${this.first} to ${origins[0]}`);
    const done = this.values.length;
    const fresh = origins
      .slice(done)
      .map((origin, i) => ({ origin, trainStart: 0, refit: (done + i) % PANEL_BASE_REFIT_ROWS === 0 }));
    this.values.push(...(await baseForecastsWith(this.train, this.base, data, fresh)));
    return this.values.slice(0, origins.length);
  }

  /** Starts the cache at a first origin (a new symbol, or one whose first origin differs). */
  startAt(first: number): void {
    if (first !== this.first) this.values.length = 0;
    this.first = first;
  }

  dispose(): void {
    this.train.dispose?.();
    this.test.dispose?.();
  }
}

/** What a panel hybrid is given: threads, each symbol's task, and a fitted hybrid to start from (a loaded model). */
interface PanelHybridEnvironment {
  threads?: number | 'auto' | undefined;
  symbolTask?: ((symbol: string) => ModelTask) | undefined;
  restored?: VolatilityHybrid;
}

/** A hybrid as a model of the contract, with its fitted state (to save it). @internal */
export type HybridModel<M> = M & { fitted(): VolatilityHybrid | undefined };

/** Training origins' folds: refit at the first and every {@link BASE_REFIT_ROWS} after. */
const trainingFolds = (origins: readonly number[], trainStart: number): FoldWindow[] =>
  origins.map((origin, i) => ({ origin, trainStart, refit: i % BASE_REFIT_ROWS === 0 }));

/** The rows a hybrid reads from a series: the target and, for a target derived from prices, the returns. */
function rowsOf(data: Series, task: ModelTask): HybridRows {
  const returns = task.derived?.returns;
  return {
    y: data.columnRef(task.target),
    ...(returns ? { returns: returns.map((r) => (Number.isFinite(r) ? r : 0)) } : {}),
  };
}

function newHybrid(
  given: Record<string, unknown>,
  task: ModelTask,
  bases: readonly ResolvedModel[],
  defaults: AdjustedOption[],
): VolatilityHybrid {
  if (task.targetKind !== 'volatility' && task.targetKind !== 'variance') {
    throw new ValidationError('model spec', [
      { path: '', message: `a hybrid corrects a volatility or variance forecast: the target is a ${task.targetKind}` },
    ]);
  }
  return new VolatilityHybrid(
    hybridOptions(given),
    task.targetKind,
    task.horizon,
    bases[0].spec,
    task.derived !== undefined,
    defaults,
  );
}

/** The base a fitted hybrid chose among the candidates. */
function chosen(hybrid: VolatilityHybrid, bases: readonly ResolvedModel[]): ResolvedModel {
  const base = bases.find((b) => b.spec === hybrid.base);
  if (!base) throw new DataError(`a hybrid chose the base ${hybrid.base}, which is not among its candidates`);
  return base;
}

/**
 * A hybrid of one series: at each refit, each candidate base's forecasts at the training origins (rows before
 * the refit origin only), the best of them kept and the networks that correct it; at the origins it serves, the
 * kept base's forecasts corrected.
 * @internal
 */
export function hybridSeriesModel(
  given: Record<string, unknown>,
  task: ModelTask,
  bases: readonly ResolvedModel[],
  defaults: AdjustedOption[],
  threads: number | 'auto' | undefined,
  restored?: VolatilityHybrid,
): HybridModel<SeriesModel> {
  const options = { ...given, ...(threads !== undefined ? { threads } : {}) };
  let hybrid: VolatilityHybrid | undefined = restored;
  return {
    async fit(data, window) {
      hybrid?.dispose();
      hybrid = newHybrid(options, task, bases, defaults);
      const seen = data.slice(0, window.origin);
      const part: HybridPart = {
        key: '',
        rows: rowsOf(seen, task),
        from: window.trainStart,
        to: window.origin,
        warm: BASE_WARM_ROWS,
        bases: bases.map((base) => ({
          spec: base.spec,
          at: (origins: number[]) => baseForecasts(base, task, seen, trainingFolds(origins, window.trainStart)),
        })),
      };
      await hybrid.fit([part]);
    },
    async forecast(data, folds) {
      if (!hybrid) throw new DataError('a hybrid forecasts after fit');
      const b = await baseForecasts(chosen(hybrid, bases), task, data, folds);
      const values = await hybrid.predict(
        '',
        rowsOf(data, task),
        folds.map((f) => f.origin),
        b,
      );
      return { values };
    },
    training: () => hybrid?.training,
    fitted: () => hybrid,
    dispose: () => hybrid?.dispose(),
  };
}

/**
 * A global hybrid of a panel: per-symbol bases (each on its own rows and task; one candidate chosen for every
 * symbol by the pooled QLIKE) and per-symbol floors and input scaling, one set of networks over every symbol's
 * windows.
 * @internal
 */
export function hybridPanelModel(
  given: Record<string, unknown>,
  task: ModelTask,
  bases: readonly ResolvedModel[],
  defaults: AdjustedOption[],
  env: PanelHybridEnvironment,
): HybridModel<PanelModel> {
  const options = { ...given, ...(env.threads !== undefined ? { threads: env.threads } : {}) };
  const symbolBases = new Map<string, SymbolBase>();
  const baseOf = (symbol: string, base: ResolvedModel) => {
    const key = `${base.spec}\u0000${symbol}`;
    let b = symbolBases.get(key);
    if (!b) symbolBases.set(key, (b = new SymbolBase(base, env.symbolTask?.(symbol) ?? task)));
    return b;
  };
  let hybrid: VolatilityHybrid | undefined = env.restored;
  return {
    async fit(train: Panel) {
      hybrid?.dispose();
      hybrid = newHybrid(options, task, bases, defaults);
      const parts: HybridPart[] = [];
      for (const [symbol, s] of train) {
        const candidates = bases.map((base) => {
          const b = baseOf(symbol, base);
          b.refit = true;
          const at = (origins: number[]) => {
            if (origins.length > 0) b.startAt(origins[0]);
            return b.at(s, origins);
          };
          return { spec: base.spec, at };
        });
        const rows = rowsOf(s, baseOf(symbol, bases[0]).task);
        const stamp = (row: number) => s.timestampAt(row);
        parts.push({ key: symbol, rows, from: 0, to: s.length, warm: BASE_WARM_ROWS, stamp, bases: candidates });
      }
      await hybrid.fit(parts);
    },
    async forecast(history: Panel) {
      if (!hybrid) throw new DataError('a hybrid forecasts after fit');
      const base = chosen(hybrid, bases);
      const out: Record<string, { values: Float64Array }> = {};
      for (const [symbol, s] of history) {
        const b = baseOf(symbol, base);
        const n = s.length;
        // The base refits at the networks' refit and carries its fit to the origins after, as its own backtest does.
        const [forecast] = await baseForecastsWith(b.test, base, s, [{ origin: n, trainStart: 0, refit: b.refit }]);
        b.refit = false;
        const [values] = await hybrid.predict(symbol, rowsOf(s, b.task), [n], [forecast]);
        out[symbol] = { values };
      }
      return out;
    },
    training: () => hybrid?.training,
    fitted: () => hybrid,
    dispose: () => {
      hybrid?.dispose();
      for (const b of symbolBases.values()) b.dispose();
    },
  };
}
