/**
 * Where a walk-forward backtest may run its refit groups besides this thread: worker threads and the job queue,
 * installed by the Node.js entry. Without them (a browser) every fold trains in this thread, one after another,
 * with the same results.
 */
import { ValidationError } from '../errors.js';
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

let runners: FoldRunners = {};

/** Installs the environment's runners (the Node.js entry does). @internal */
export function setFoldRunners(r: FoldRunners): void {
  runners = r;
}

/** Parallel folds run here when worker threads are installed; otherwise folds run in this thread. @internal */
export function foldWorkers(): FoldRunners['workers'] {
  return runners.workers;
}

/**
 * The queue runner.
 * @throws {@link ValidationError} naming `queue` where no queue runner is installed (a browser)
 * @internal
 */
export function foldQueue(): NonNullable<FoldRunners['queue']> {
  if (!runners.queue) throw new ValidationError('backtest options', [{ path: 'queue', message: 'expected no queue here: running folds on a job queue needs Node.js (Redis connections)' }]);
  return runners.queue;
}
