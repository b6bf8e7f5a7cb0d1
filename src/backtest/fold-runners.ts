/**
 * Where a walk-forward backtest may run its refit groups besides this thread: worker threads and the job queue,
 * which the Node.js runtime carries. Without them (a browser) every fold trains in this thread, one after another,
 * with the same results.
 */
import { ValidationError } from '../errors.js';
import { runtime } from '../platform/runtime.js';
import type { Series } from '../data/series.js';
import type { QueueOptions } from '../queue/options.js';
import type { FoldPlan, ModelJob } from './folds.js';

/** Runs refit groups somewhere else and returns each group's forecasts, in order. @internal */
export type GroupRunner<O> = (series: Series, job: ModelJob, groups: FoldPlan[][], options: O & { signal?: AbortSignal | undefined; onGroup?: (size: number) => void }) => Promise<number[][][]>;

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
  if (!queue) throw new ValidationError('backtest options', [{ path: 'queue', message: 'expected no queue here: running folds on a job queue needs Node.js (Redis connections)' }]);
  return queue;
}
