/**
 * A pool of worker threads that run the refit groups of a walk-forward backtest, each exactly as the serial run
 * would. The first failure (or an abort) stops every worker; errors keep their class, code and fields.
 */
import type { Worker } from 'node:worker_threads';
import { errorFromData, StockcastError, type ErrorData } from '../errors.js';
import type { Series } from '../data/series.js';
import { siblingEntry, startWorker } from '../util/start-worker.js';
import type { FoldPlan, ModelJob } from './folds.js';

/** What a fold worker needs to rebuild the series and train like the serial run. @internal */
export interface FoldWorkerData {
  timestamps: Float64Array;
  columns: Record<string, Float64Array>;
  meta: { frequency: string; stepMs: number };
  job: ModelJob;
}

let live = 0;
/** Fold worker threads alive in this process (tests check that none is left behind). @internal */
export const liveFoldWorkers = (): number => live;

/** Messages between the pool and a fold worker. @internal */
export type FoldRequest = { id: number; group: FoldPlan[] };
/** @internal */
export type FoldReply = { id: number; predicted: number[][] } | { id: number; error: ErrorData };

/**
 * Runs refit groups on `concurrency` workers (a shared queue, so fast workers take more) and returns the
 * forecasts in group order.
 * @throws the first group's error, rebuilt with its class; `ABORTED` when the signal fires
 * @internal
 */
export async function runGroupsInWorkers(
  series: Series,
  job: ModelJob,
  groups: FoldPlan[][],
  options: { concurrency: number; signal?: AbortSignal | undefined; onGroup?: (size: number) => void },
): Promise<number[][][]> {
  const { signal } = options;
  if (signal?.aborted) throw new StockcastError('ABORTED', 'the backtest was interrupted');
  // The signal stays in this thread and stops the workers; the job is plain data (modelJob made it so).
  const data: FoldWorkerData = {
    timestamps: series.timestamps,
    columns: Object.fromEntries(series.columns.map((c) => [c, series.column(c)])),
    meta: { frequency: series.meta.frequency, stepMs: series.meta.stepMs },
    job,
  };
  const results: number[][][] = new Array(groups.length);
  const workers = new Set<Worker>();
  // Settles on each worker's 'exit' event: Node 22 can resolve terminate() before it, and "nothing left running"
  // (what callers and tests rely on) means exited.
  const gone = new Map<Worker, Promise<void>>();
  const terminate = (w: Worker) => w.terminate().then(() => gone.get(w));
  let next = 0;
  let failure: StockcastError | undefined;
  return new Promise<number[][][]>((resolve, reject) => {
    const stop = (error: StockcastError) => {
      if (failure) return;
      failure = error;
      signal?.removeEventListener('abort', onAbort);
      // Terminate every worker before reporting, so nothing is left training.
      void Promise.all([...workers].map(terminate)).then(() => reject(error));
    };
    const onAbort = () => stop(new StockcastError('ABORTED', 'the backtest was interrupted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    let running = 0;
    const exits: Promise<void>[] = [];
    const finishOne = (worker: Worker) => {
      workers.delete(worker);
      exits.push(terminate(worker));
      if (--running === 0 && !failure) {
        signal?.removeEventListener('abort', onAbort);
        // Resolve once every worker has exited: no thread outlives the call.
        void Promise.all(exits).then(() => resolve(results));
      }
    };
    const launch = () => {
      const worker = startWorker(siblingEntry(import.meta.url, 'fold-worker'), { ...data });
      live++;
      gone.set(worker, new Promise<void>((resolve) => worker.once('exit', () => resolve(void live--))));
      workers.add(worker);
      running++;
      const send = () => {
        if (failure) return;
        if (next >= groups.length) return finishOne(worker);
        const id = next++;
        worker.postMessage({ id, group: groups[id] } satisfies FoldRequest);
      };
      worker.on('message', (msg: FoldReply) => {
        if ('error' in msg) return stop(errorFromData(msg.error, `fold group ${msg.id + 1} of ${groups.length}`, 'DATA_ERROR'));
        results[msg.id] = msg.predicted;
        options.onGroup?.(msg.predicted.length);
        send();
      });
      worker.on('error', (e) => stop(errorFromData({ name: e.name, message: e.message }, 'a backtest worker failed')));
      worker.on('exit', (code) => {
        if (workers.has(worker) && !failure) stop(new StockcastError('BACKEND_ERROR', `a backtest worker exited unexpectedly (exit code ${code})`));
      });
      worker.once('online', send);
    };
    for (let i = 0; i < Math.min(options.concurrency, groups.length); i++) launch();
  });
}
