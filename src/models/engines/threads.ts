/** How many threads a training run uses, and how parallel jobs (backtest folds, trials) share the machine's cores. */
import { platform } from '../../platform/runtime.js';

/** Threads for one training run: a count, or `auto` for every core (one thread inside a worker thread). */
export type ThreadsOption = number | 'auto';

/**
 * The thread count a training run gets: `auto` is every core on the main thread and 1 inside worker threads
 * (which are usually already one of several parallel jobs). A count is taken as given, even above the cores
 * (results do not depend on it, only speed; tests use 3 threads on 2 cores to prove it).
 * @internal
 */
export function resolveThreads(threads: ThreadsOption | undefined): number {
  if (threads === undefined || threads === 'auto') return platform().isMainThread() ? platform().cores() : 1;
  return Math.max(1, Math.floor(threads));
}

/** How parallel jobs share the cores: see {@link shareCores}. */
export interface CoreShare {
  /** Jobs to run at once (at most one per core). */
  jobs: number;
  /** `threads` for each job's training. */
  threads: number;
}

/**
 * Splits the machine's cores between `jobs` parallel jobs (backtest folds, tuning trials) so that jobs x threads
 * never exceeds the cores: at most one job per core, and each job's training gets an equal share of what is
 * left. Results do not depend on either number, so this only changes speed.
 *
 * @param jobs - jobs that would like to run at once (e.g. a backtest's `concurrency`)
 * @param threads - threads each job's training asked for (`auto`: as many as fit)
 * @param cores - the cores to share (default: the machine's logical cores: `os.availableParallelism()`, or `navigator.hardwareConcurrency` in a browser)
 * @returns how many jobs to run at once and the `threads` each should train with
 * @example
 * ```ts
 * import { shareCores } from 'stockcast';
 * const { jobs, threads } = shareCores(4); // on 16 cores: 4 jobs x 4 threads; on 2 cores: 2 jobs x 1 thread
 * console.log(jobs * threads);
 * ```
 */
export function shareCores(
  jobs: number,
  threads: ThreadsOption = 'auto',
  cores: number = platform().cores(),
): CoreShare {
  const c = Math.max(1, Math.floor(cores));
  const j = Math.max(1, Math.min(Math.floor(jobs), c));
  const fit = Math.max(1, Math.floor(c / j));
  return { jobs: j, threads: threads === 'auto' ? fit : Math.max(1, Math.min(Math.floor(threads), fit)) };
}
