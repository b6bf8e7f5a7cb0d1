/** Walk-forward folds: where each origin's training window starts, which origins refit, and the runner of any model over them. */
import { DataError, StockcastError, ValidationError } from '../errors.js';
import type { Series } from '../data/series.js';
import type { VarianceContext } from '../models/baselines/variance-baselines.js';
import type {
  Forecasts,
  ModelEnvironment,
  ModelJob,
  ModelTask,
  ResolvedModel,
  SeriesModel,
  TargetKind,
} from '../models/contract.js';

export type { ModelJob } from '../models/contract.js';
import { importModules, registeredModules } from '../models/registry.js';
import { workerOptions } from '../util/plain-options.js';
import { resolveModel } from '../models/resolve.js';
import { forecastPanelGroup, packPanelForecasts, panelRules, seriesAsPanel } from './panel-folds.js';

/** One origin of a backtest plan. @internal */
export interface FoldPlan {
  /** Origin row t: the first forecast row. */
  origin: number;
  /** First training row. */
  trainStart: number;
  /** Whether a fresh model is fitted here. */
  refit: boolean;
}

/** The rules that place origins and training windows (a subset of the walk-forward options). @internal */
export interface FoldRules {
  horizon: number;
  step?: number | undefined;
  start?: number | undefined;
  testSize?: number | undefined;
  window: 'expanding' | 'sliding';
  trainLength?: number | undefined;
  refit: 'every' | 'once' | number;
}

/**
 * Places the origins t = start, start+S, ... while t+H <= n, with their training windows and refits.
 * @internal
 */
export function planFolds(n: number, o: FoldRules): { start: number; step: number; folds: FoldPlan[] } {
  const H = o.horizon;
  const step = o.step ?? H;
  const start = o.start ?? n - (o.testSize ?? Math.max(H, Math.floor(n * 0.2)));
  if (start < 1 || start + H > n)
    throw new DataError(
      `the first origin must leave at least one training row and ${H} forecast rows: start ${start} with ${n} rows`,
      {},
      { hint: 'lower testSize or start' },
    );
  const every = o.refit === 'every' ? 1 : o.refit === 'once' ? Infinity : o.refit;
  const folds: FoldPlan[] = [];
  for (let t = start, i = 0; t + H <= n; t += step, i++) {
    const trainStart = o.window === 'sliding' ? Math.max(0, t - o.trainLength!) : 0;
    folds.push({ origin: t, trainStart, refit: i % every === 0 });
  }
  return { start, step, folds };
}

/** Splits a plan into refit groups: consecutive origins served by one fitted model. @internal */
export function refitGroups(plan: readonly FoldPlan[]): FoldPlan[][] {
  const out: FoldPlan[][] = [];
  for (const f of plan) {
    if (f.refit || out.length === 0) out.push([f]);
    else out[out.length - 1].push(f);
  }
  return out;
}

/**
 * Forecasts of a learned model for the origins of one refit group: a fresh model, seeded, fitted on the group's
 * window only (nothing at or after its first origin), then one forecast call for every origin it serves.
 * @param series - the whole series
 * @param job - the model, its options and the task
 * @param group - the group's origins; the first refits
 * @param signal - stops training (this thread only)
 * @returns one array per origin: H forecasts, followed by H x K quantiles ([step, level]) when the task asks for
 *   K levels (the same plain arrays cross worker threads and queues)
 * @internal
 */
export async function forecastGroup(
  series: Series,
  job: ModelJob,
  group: readonly FoldPlan[],
  signal?: AbortSignal,
): Promise<number[][]> {
  if (job.modules?.length) await importModules(job.modules);
  const model = await resolveModel({ model: job.spec, options: job.options }, job.panel ? { panel: true } : {});
  const env = { ...(job.threads !== undefined ? { threads: job.threads } : {}), ...(signal ? { signal } : {}) };
  if (job.panel) {
    const panel = seriesAsPanel(series);
    const rules = panelRules(model, job.task, job.panel.trainLength ?? Infinity);
    const origins = group.map((f) => ({ origin: series.timestampAt(f.origin), refit: f.refit }));
    return packPanelForecasts(panel, await forecastPanelGroup(panel, model, job.task, rules, origins, env), job.task);
  }
  const forecasts = await runModel(model, series, job.task, group, env);
  // An interrupted fit stops early; its forecasts would be meaningless.
  if (signal?.aborted) throw new StockcastError('ABORTED', 'the backtest was interrupted');
  return packForecasts(forecasts, job.task);
}

/** Forecasts as one plain array per origin: H values, then H x K quantiles. @internal */
export function packForecasts(f: Forecasts, task: ModelTask): number[][] {
  return f.values.map((v, i) => [
    ...Array.from(v).slice(0, task.horizon),
    ...(f.quantiles?.[i] ? f.quantiles[i].flatMap((q) => Array.from(q)) : []),
  ]);
}

/** The inverse of {@link packForecasts}. @internal */
export function unpackForecasts(packed: readonly number[][], task: ModelTask): Forecasts {
  const H = task.horizon;
  const K = task.quantiles?.length ?? 0;
  const withQuantiles = K > 0 && packed.every((a) => a.length === H * (1 + K));
  return {
    values: packed.map((a) => a.slice(0, H)),
    ...(withQuantiles
      ? { quantiles: packed.map((a) => Array.from({ length: H }, (_, h) => a.slice(H + h * K, H + (h + 1) * K))) }
      : {}),
  };
}

/**
 * Runs a model over folds of one series in this thread. A learned model gets a fresh instance per refit group;
 * other models keep one instance, fitted at each refit (or, without `fit`, given every origin at once). A user's
 * model (not built in) only ever sees the rows before the origin it fits or forecasts for: leakage is excluded by
 * construction, whatever its code reads.
 * @internal
 */
export async function runModel(
  model: ResolvedModel,
  series: Series,
  task: ModelTask,
  plan: readonly FoldPlan[],
  env: ModelEnvironment = {},
): Promise<Forecasts> {
  const d = model.definition;
  const out: Forecasts = { values: [] };
  const quantiles: NonNullable<Forecasts['quantiles']> = [];
  const environment = { ...env, ...(model.base ? { base: model.base } : {}) };
  const make = () => d.series(model.options, task, environment);
  const add = (f: Forecasts) => {
    out.values.push(...f.values);
    if (f.quantiles) quantiles.push(...f.quantiles);
  };
  // Built-in models batch their origins (their reads are tested); a user's model gets each origin's rows only.
  const forecast = async (m: SeriesModel, folds: readonly FoldPlan[]) => {
    if (model.builtin) return add(await m.forecast(series, folds));
    for (const f of folds) add(await m.forecast(series.slice(0, f.origin), [f]));
  };
  if (!d.learned) {
    // One instance for the whole backtest: fitted at each refit, or, without fit, refitting itself where told.
    const m = make();
    try {
      if (!m.fit) await forecast(m, plan);
      else {
        for (const group of refitGroups(plan)) {
          await m.fit(model.builtin ? series : series.slice(0, group[0].origin), group[0]);
          await forecast(m, group);
        }
      }
    } finally {
      m.dispose?.();
    }
    return withQuantiles(out, quantiles);
  }
  for (const group of refitGroups(plan)) {
    if (env.signal?.aborted) throw new StockcastError('ABORTED', 'the backtest was interrupted');
    const m = make();
    try {
      await m.fit?.(model.builtin ? series : series.slice(0, group[0].origin), group[0]);
      await forecast(m, group);
    } finally {
      m.dispose?.();
    }
  }
  return withQuantiles(out, quantiles);
}

function withQuantiles(out: Forecasts, quantiles: NonNullable<Forecasts['quantiles']>): Forecasts {
  return quantiles.length === out.values.length && quantiles.length > 0 ? { ...out, quantiles } : out;
}

/**
 * The task a model is given: quantiles only when it gives them, the target kind from the transform or as resolved
 * by the backtest (`resolveTargetKind`).
 * @throws {@link ValidationError} or {@link DataError} when the model cannot forecast this target
 * @internal
 */
export function modelTask(
  model: ResolvedModel,
  t: {
    target: string;
    horizon: number;
    quantiles?: readonly number[] | undefined;
    derived?: VarianceContext | undefined;
    targetKind?: TargetKind | undefined;
  },
  scope: 'series' | 'panel' = 'series',
): ModelTask {
  // A derived target's kind comes from its transform; otherwise the backtest's (resolveTargetKind), else a price.
  const fromTransform = t.derived?.transform.kind === 'log-returns' ? 'return' : 'volatility';
  const targetKind: TargetKind = t.derived ? fromTransform : (t.targetKind ?? 'price');
  const base: ModelTask = {
    target: t.target,
    horizon: t.horizon,
    targetKind,
    ...(t.derived ? { derived: t.derived } : {}),
  };
  const d = model.definition;
  const gives = t.quantiles !== undefined && d.quantiles?.(model.options, { ...base, quantiles: t.quantiles }) === true;
  const task = gives ? { ...base, quantiles: t.quantiles } : base;
  d.check?.(model.options, task, scope, model.base);
  if (d.targets && !d.targets.includes(targetKind)) {
    throw new ValidationError('model spec', [
      { path: '', message: `${model.name} forecasts ${d.targets.join(' or ')} targets, not ${targetKind}s` },
    ]);
  }
  return task;
}

/**
 * A resolved model as data for worker threads or queue workers. A model registered by its definition in this
 * thread cannot cross: it needs registering by module.
 * @throws {@link ValidationError} for such a model on a queue
 * @internal
 */
export function modelJob(
  model: ResolvedModel,
  task: ModelTask,
  threads: number | 'auto',
  where: 'threads' | 'queue',
): ModelJob {
  const local = [model, model.base].filter((m): m is ResolvedModel => m !== undefined && !m.builtin && !m.module);
  if (local.length > 0 && where === 'queue') {
    throw new ValidationError('backtest options', [
      {
        path: 'queue',
        message: `model "${local[0].key}" is registered in this process only: register it by module ({ module: import.meta.url, export }) and start workers with --module`,
      },
    ]);
  }
  // The signal stays in this thread and stops the run; a callback cannot cross, so it is refused by name.
  const { signal: _, ...options } = model.options;
  // The spec names the registered model (its parameter is in the options, so a trial's options can change it).
  const spec = model.base ? `${model.key}+${model.base.spec}` : model.key;
  return {
    spec,
    options: workerOptions(options, model.definition.forecaster ? 'forecaster' : 'model') as Record<string, unknown>,
    task,
    threads,
    modules: registeredModules(),
  };
}
