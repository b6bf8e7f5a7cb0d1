/**
 * The one job runner: fold tasks (input, model job, fold group) run in this thread, on the job pool's worker
 * threads, or as jobs on a BullMQ queue, with the same fold runner and so the same numbers in all three. Backtests,
 * panels and sweeps all run here.
 */
import { errorFromData, errorToData, StockcastError, type ErrorData } from '../errors.js';
import type { Series } from '../data/series.js';
import type { QueueOptions } from '../queue/options.js';
import { foldJob } from '../queue/jobs.js';
import { encodeSeries, type EncodedSeries } from '../queue/store.js';
import { submitJobs, type JobOutcome, type JobProgress } from '../queue/submit.js';
import { forecastGroup, type FoldPlan, type ModelJob } from '../backtest/folds.js';
import type { GroupTask } from '../backtest/fold-runners.js';
import { JobPool } from './pool.js';

/** One unit of work: fit a fresh model before the group's first origin, forecast every origin of the group. @internal */
export interface FoldTask {
  series: Series;
  job: ModelJob;
  group: FoldPlan[];
}

/** Where and how fold tasks run. @internal */
export interface FoldTaskOptions {
  /** Run as jobs on this queue; otherwise locally. */
  queue?: QueueOptions | undefined;
  /** Local threads (1: this thread). */
  concurrency: number;
  /** A pool to run on and leave open (a sweep keeps one for all its runs: threads take seconds to start). */
  pool?: JobPool | undefined;
  signal?: AbortSignal | undefined;
  /** Stop at the first failure and throw it (backtests); otherwise every task gets its outcome (sweeps). */
  stopOnError?: boolean;
  onProgress?: ((p: JobProgress) => void) | undefined;
  onOutcome?: ((index: number, outcome: JobOutcome) => void) | undefined;
}

const aborted = () => new StockcastError('ABORTED', 'interrupted');

/**
 * Runs fold tasks and returns one outcome per task, in order.
 * @throws {@link StockcastError} `ABORTED` on the signal; the first task's error with `stopOnError`;
 *   {@link QueueError} when the queue cannot be used
 * @internal
 */
export async function runFoldTasks(tasks: readonly FoldTask[], o: FoldTaskOptions): Promise<JobOutcome[]> {
  // Jobs are plain data (modelJob made them so); the signal stays here and stops the run.
  const encoded = new Map<Series, EncodedSeries>();
  for (const t of tasks) if (!encoded.has(t.series)) encoded.set(t.series, encodeSeries(t.series));
  if (o.queue) {
    const jobs = tasks.map((t) => foldJob(encoded.get(t.series)!.hash, t.job, t.group));
    return submitJobs(o.queue, [...new Set(encoded.values())], jobs, o);
  }
  const tally = new Tally(tasks.length, o);
  if (!o.pool && (o.concurrency <= 1 || tasks.length === 1)) await runHere(tasks, o, tally);
  else await runOnPool(tasks, o, tally, encoded);
  return tally.outcomes;
}

/** The outcomes so far, reported as they come (progress, each outcome, the first error with `stopOnError`). */
class Tally {
  readonly outcomes: JobOutcome[];
  done = 0;
  failed = 0;
  running = 0;

  constructor(
    readonly total: number,
    private readonly o: FoldTaskOptions,
  ) {
    this.outcomes = new Array(total);
    this.progress();
  }

  progress(): void {
    this.o.onProgress?.({ total: this.total, done: this.done, failed: this.failed, running: this.running });
  }

  record(i: number, outcome: JobOutcome): void {
    this.outcomes[i] = outcome;
    this.done++;
    if (!outcome.ok) this.failed++;
    this.o.onOutcome?.(i, outcome);
    this.progress();
    if (!outcome.ok && this.o.stopOnError) throw outcome.error;
  }
}

const asError = (e: unknown) =>
  e instanceof StockcastError
    ? e
    : errorFromData(
        { name: 'Error', message: (e as Error)?.message ?? String(e) } satisfies ErrorData,
        undefined,
        'DATA_ERROR',
      );

/** Every task in this thread, one after another. */
async function runHere(tasks: readonly FoldTask[], o: FoldTaskOptions, tally: Tally): Promise<void> {
  for (const [i, t] of tasks.entries()) {
    if (o.signal?.aborted) throw aborted();
    tally.running = 1;
    tally.progress();
    let outcome: JobOutcome;
    try {
      const started = performance.now();
      const value = await forecastGroup(t.series, t.job, t.group);
      outcome = { ok: true, value, ms: performance.now() - started };
    } catch (e) {
      if (o.signal?.aborted) throw aborted();
      outcome = { ok: false, error: asError(e) };
    }
    tally.running = 0;
    tally.record(i, outcome);
  }
}

/** Every task on the pool's threads (a pool of its own unless one is given, closed at the end). */
async function runOnPool(
  tasks: readonly FoldTask[],
  o: FoldTaskOptions,
  tally: Tally,
  encoded: Map<Series, EncodedSeries>,
): Promise<void> {
  const pool = o.pool ?? new JobPool(Math.min(o.concurrency, tasks.length));
  const onAbort = () => void pool.close();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const busy = () => Math.min(pool.size, tasks.length - tally.done);
  try {
    await Promise.all(
      tasks.map(async (t, i) => {
        let outcome: JobOutcome;
        try {
          const result = pool.run(encoded.get(t.series)!.hash, t.series, t.job, t.group);
          tally.running = busy();
          outcome = { ok: true, ...(await result) };
        } catch (err) {
          if (o.signal?.aborted) throw aborted();
          outcome = { ok: false, error: asError(err) };
        }
        tally.record(i, outcome);
        tally.running = busy();
      }),
    );
  } catch (e) {
    throw o.signal?.aborted ? aborted() : e;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    if (!o.pool) await pool.close();
  }
}

/** Where a backtest's refit groups go: worker threads (a pool of `concurrency`) or a queue. */
type GroupPlace = { concurrency: number } | { queue: QueueOptions };

/**
 * The refit groups of a backtest (of one series or of a panel's symbols), elsewhere: forecasts in group order, or
 * the first group's error with its place named (the error keeps its class, code and fields); on threads, every
 * thread is stopped and has exited first.
 */
async function runGroups(
  tasks: readonly GroupTask[],
  o: GroupPlace & { signal?: AbortSignal | undefined; onGroup?: ((size: number) => void) | undefined },
): Promise<number[][][]> {
  if (o.signal?.aborted) throw aborted();
  const pool = 'concurrency' in o ? new JobPool(Math.max(1, Math.min(o.concurrency, tasks.length))) : undefined;
  let failedAt = -1;
  try {
    const outcomes = await runFoldTasks(tasks, {
      ...('queue' in o ? { queue: o.queue } : {}),
      concurrency: pool?.size ?? 1,
      pool,
      signal: o.signal,
      stopOnError: true,
      onOutcome: (i, outcome) => {
        if (outcome.ok) o.onGroup?.(tasks[i].group.length);
        else if (failedAt < 0) failedAt = i;
      },
    });
    return outcomes.map((r) => (r as { ok: true; value: number[][] }).value);
  } catch (e) {
    if (failedAt >= 0 && e instanceof StockcastError && !o.signal?.aborted)
      throw errorFromData(errorToData(e), tasks[failedAt].place);
    throw e;
  } finally {
    await pool?.close();
  }
}

/** Refit groups on `concurrency` worker threads (the Node.js runtime's `folds.workers`). @internal */
export function runGroupsOnThreads(
  tasks: readonly GroupTask[],
  o: { concurrency: number; signal?: AbortSignal | undefined; onGroup?: (size: number) => void },
): Promise<number[][][]> {
  return runGroups(tasks, o);
}

/** Refit groups as queued jobs (the Node.js runtime's `folds.queue`). @internal */
export function runGroupsOnQueue(
  tasks: readonly GroupTask[],
  o: { queue: QueueOptions; signal?: AbortSignal | undefined; onGroup?: (size: number) => void },
): Promise<number[][][]> {
  return runGroups(tasks, o);
}
