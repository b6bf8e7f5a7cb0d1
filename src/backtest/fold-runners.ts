/**
 * Where backtests (of one series, or of a panel's symbols) run their refit groups: worker threads and the job queue,
 * which the Node.js runtime carries, or this thread. Without them (a browser) every fold trains in this thread, one
 * after another, with the same results.
 */
import { DataError, ValidationError } from '../errors.js';
import { platform, runtime } from '../platform/runtime.js';
import type { Series } from '../data/series.js';
import type { QueueOptions } from '../queue/options.js';
import type { Forecasts, ModelEnvironment, ModelTask, ResolvedModel } from '../models/contract.js';
import { shareCores, type ThreadsOption } from '../models/engines/threads.js';
import { modelJob, refitGroups, runModel, unpackForecasts, type FoldPlan, type ModelJob } from './folds.js';
import { sharedDevice } from './shared-device.js';
import type { Panel } from '../data/panel.js';
import {
  forecastPanelGroup,
  panelAsSeries,
  unpackPanelForecasts,
  type PanelForecast,
  type PanelOrigin,
  type PanelRules,
} from './panel-folds.js';

/** One refit group to run elsewhere: its input, model job and origins, and where it sits in the backtest. @internal */
export interface GroupTask {
  series: Series;
  job: ModelJob;
  group: FoldPlan[];
  /** Named in its error (`fold group 2 of 5`, `symbol "AAPL", fold group 1 of 3`). */
  place: string;
}

/** Runs refit groups somewhere else and returns each group's forecasts, in order. @internal */
export type GroupRunner<O> = (
  tasks: readonly GroupTask[],
  options: O & { signal?: AbortSignal | undefined; onGroup?: (size: number) => void },
) => Promise<number[][][]>;

/** The runners an environment offers. @internal */
export interface FoldRunners {
  /** Worker threads (`concurrency` > 1). */
  workers?: GroupRunner<{ concurrency: number }>;
  /** A BullMQ queue (`queue`). */
  queue?: GroupRunner<{ queue: QueueOptions }>;
}

declare module '../platform/runtime.js' {
  interface Runtime {
    /** Where backtest folds may run besides this thread (Node.js: jobs/run.ts); a browser runs them here. */
    folds?: FoldRunners;
  }
}

/** Parallel folds run here when worker threads are installed; otherwise folds run in this thread. @internal */
export function foldWorkers(): FoldRunners['workers'] {
  return runtime().folds?.workers;
}

/**
 * The queue runner.
 * @throws {@link ValidationError} naming `queue` where no queue runner is installed (a browser)
 * @internal
 */
export function foldQueue(): NonNullable<FoldRunners['queue']> {
  const queue = runtime().folds?.queue;
  if (!queue)
    throw new ValidationError('backtest options', [
      {
        path: 'queue',
        message: 'expected no queue here: running folds on a job queue needs Node.js (Redis connections)',
      },
    ]);
  return queue;
}

/** One series' part of a backtest: its folds, its task, and the name its errors carry (a panel's symbol). @internal */
export interface PlanPart {
  series: Series;
  task: ModelTask;
  plan: FoldPlan[];
  label?: string | undefined;
}

/** Where refit groups may run: `concurrency` threads (or GPU groups in flight), or a queue. @internal */
export interface PlanPlace {
  concurrency: number | 'auto';
  queue?: QueueOptions | undefined;
}

/**
 * The forecasts of every part's folds: a learned model's refit groups in parallel on worker threads (or as queue
 * jobs) when it can cross to them, otherwise every fold in this thread; the numbers are the same either way.
 * @param tick - called with the number of origins done
 * @returns each part's forecasts, in order
 * @internal
 */
export async function forecastPlans(
  model: ResolvedModel,
  parts: readonly PlanPart[],
  o: PlanPlace,
  tick: (n: number) => void,
): Promise<Forecasts[]> {
  const groups = parts.flatMap((p, i) => refitGroups(p.plan).map((group) => ({ part: i, group })));
  // Without worker threads (a browser), folds run one after another in this thread, each on the cores it can use.
  // On the webgpu engine, parallel folds stay in this thread and share its one GPU device (sharedDevice).
  const onGpu = model.definition.learned && model.options.engine === 'webgpu' && !o.queue;
  const workers = onGpu ? undefined : foldWorkers();
  const wanted =
    workers || onGpu ? Math.min(o.concurrency === 'auto' ? platform().cores() : o.concurrency, groups.length) : 1;
  // Folds x threads <= cores: parallel refit groups share the cores (results do not depend on either count).
  // Queue jobs train on one thread: each worker process is one of several on its machine.
  const asked = (model.options.threads as ThreadsOption | undefined) ?? 'auto';
  const share = o.queue ? { jobs: wanted, threads: 1 } : shareCores(wanted, asked);
  const signal = model.options.signal as AbortSignal | undefined;
  const env = (threads: number | 'auto') => ({ threads, ...(signal ? { signal } : {}) });
  // A model registered by its definition exists in this thread only: its folds stay here (a queue refuses it).
  const transferable = [model, model.base].every((m) => !m || m.builtin || m.module);
  const elsewhere = model.definition.learned && (o.queue || (workers && share.jobs > 1 && transferable));
  if (onGpu && share.jobs > 1) {
    const run = async ({ part, group }: (typeof groups)[number]) => {
      const f = await labelled(parts[part].label, () =>
        runModel(model, parts[part].series, parts[part].task, group, env(share.threads)),
      );
      tick(group.length);
      return f;
    };
    const done = await sharedDevice(groups, share.jobs, run);
    return parts.map((_, i) => concat(done.filter((_, g) => groups[g].part === i)));
  }
  if (!elsewhere) {
    const out: Forecasts[] = [];
    for (const p of parts) {
      out.push(
        await labelled(p.label, () =>
          runModel(model, p.series, p.task, p.plan, env(model.definition.learned ? share.threads : asked)),
        ),
      );
      tick(p.plan.length);
    }
    return out;
  }
  const jobs = parts.map((p) => modelJob(model, p.task, share.threads, o.queue ? 'queue' : 'threads'));
  const tasks = groupTasks(parts, jobs, groups);
  const place = { signal, onGroup: (size: number) => tick(size) };
  const perGroup = o.queue
    ? await foldQueue()(tasks, { queue: o.queue, ...place })
    : await workers!(tasks, { concurrency: share.jobs, ...place });
  return parts.map((p, i) => unpackForecasts(perGroup.filter((_, g) => groups[g].part === i).flat(), p.task));
}

/** Each refit group as a task for threads or a queue, named by its part and its place among the part's groups. */
function groupTasks(
  parts: readonly PlanPart[],
  jobs: readonly ModelJob[],
  groups: ReadonlyArray<{ part: number; group: FoldPlan[] }>,
): GroupTask[] {
  const counts = parts.map((_, i) => groups.filter((g) => g.part === i).length);
  const seen = parts.map(() => 0);
  return groups.map(({ part, group }) => {
    const where = `fold group ${++seen[part]} of ${counts[part]}`;
    const label = parts[part].label;
    return { series: parts[part].series, job: jobs[part], group, place: label ? `${label}, ${where}` : where };
  });
}

/** Runs one part's folds here; a DataError it throws names the part (a panel's symbol). */
async function labelled<T>(label: string | undefined, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    throw label && e instanceof DataError ? new DataError(`${label}: ${e.message}`, e.location) : e;
  }
}

function concat(parts: readonly Forecasts[]): Forecasts {
  const quantiles =
    parts.length > 0 && parts.every((p) => p.quantiles) ? { quantiles: parts.flatMap((p) => p.quantiles!) } : {};
  return { values: parts.flatMap((p) => p.values), ...quantiles };
}

/**
 * A global model's forecasts at the date origins of a panel backtest, refit group by refit group: on worker
 * threads or queue workers (the panel travels as one series) when asked and the model can cross, otherwise in
 * this thread; the numbers are the same either way.
 * @returns per origin of `plan`, each forecast symbol's origin row and forecast
 * @internal
 */
export async function forecastPanelPlan(
  model: ResolvedModel,
  panel: Panel,
  task: ModelTask,
  rules: PanelRules,
  plan: readonly PanelOrigin[],
  o: PlanPlace,
  tick: (n: number) => void,
  env: Pick<ModelEnvironment, 'symbolTask'> = {},
): Promise<Array<Map<string, PanelForecast>>> {
  const groups: PanelOrigin[][] = [];
  for (const f of plan) {
    if (f.refit || groups.length === 0) groups.push([f]);
    else groups[groups.length - 1].push(f);
  }
  // The webgpu engine keeps its one device in this thread; queue jobs train on one thread each.
  const workers = model.options.engine === 'webgpu' ? undefined : foldWorkers();
  const wanted = workers ? Math.min(o.concurrency === 'auto' ? platform().cores() : o.concurrency, groups.length) : 1;
  const asked = (model.options.threads as ThreadsOption | undefined) ?? 'auto';
  const share = o.queue ? { jobs: wanted, threads: 1 } : shareCores(wanted, asked);
  // Each symbol's task (a function) stays in this thread, and so do the groups that read it.
  const transferable = [model, model.base].every((m) => !m || m.builtin || m.module) && !env.symbolTask;
  const signal = model.options.signal as AbortSignal | undefined;
  if (env.symbolTask || (!o.queue && !(workers && share.jobs > 1 && transferable))) {
    const out: Array<Map<string, PanelForecast>> = [];
    for (const group of groups) {
      out.push(
        ...(await forecastPanelGroup(panel, model, task, rules, group, {
          threads: share.threads,
          ...(signal ? { signal } : {}),
          ...env,
        })),
      );
      tick(group.length);
    }
    return out;
  }
  const wide = panelAsSeries(panel);
  const row = new Map(Array.from(panel.unionRef(), (date, i) => [date, i]));
  const trainLength = Number.isFinite(rules.trainLength) ? { trainLength: rules.trainLength } : {};
  const job: ModelJob = { ...modelJob(model, task, share.threads, o.queue ? 'queue' : 'threads'), panel: trainLength };
  const tasks: GroupTask[] = groups.map((group, i) => ({
    series: wide,
    job,
    group: group.map((f) => ({ origin: row.get(f.origin)!, trainStart: 0, refit: f.refit })),
    place: `global model, refit group ${i + 1} of ${groups.length}`,
  }));
  const place = { signal, onGroup: (size: number) => tick(size) };
  const perGroup = o.queue
    ? await foldQueue()(tasks, { queue: o.queue, ...place })
    : await workers!(tasks, { concurrency: share.jobs, ...place });
  return perGroup.flatMap((packed) => unpackPanelForecasts(panel, packed, task));
}
