/** Runs independent refit groups of a walk-forward backtest on worker threads; each group is trained exactly as in the serial run. */
import { DataError, StockcastError } from '../errors.js';
import type { Series } from '../data/series.js';
import type { ResolvedModel } from './models.js';
import type { FoldPlan } from './walk-forward.js';
import { siblingEntry, startWorker } from '../util/workers.js';

/** What a worker needs to rebuild the series and the options. @internal */
export interface FoldWorkerData {
  timestamps: Float64Array;
  columns: Record<string, Float64Array>;
  meta: { frequency: string; stepMs: number };
  model: ResolvedModel & { kind: 'recurrent' };
  target: string;
  options: Record<string, unknown>;
}

/** A refit group: consecutive folds served by one fitted model. */
function groups(plan: FoldPlan[]): FoldPlan[][] {
  const out: FoldPlan[][] = [];
  for (const f of plan) {
    if (f.refit || out.length === 0) out.push([f]);
    else out[out.length - 1].push(f);
  }
  return out;
}

/**
 * Distributes refit groups over `concurrency` workers (a shared queue, so fast workers take more) and
 * returns the forecasts in fold order.
 * @internal
 */
export async function runFoldsInWorkers(
  series: Series,
  model: ResolvedModel & { kind: 'recurrent' },
  target: string,
  plan: FoldPlan[],
  options: { concurrency: number; onFold?: unknown } & Record<string, unknown>,
  tick: () => void,
): Promise<number[][]> {
  const { onFold, concurrency, forecaster, ...rest } = options;
  void onFold;
  // Functions and AbortSignals cannot cross threads: the signal stays here and stops the workers instead.
  const { signal, onEpochEnd, ...cloneable } = (forecaster ?? {}) as { signal?: AbortSignal; onEpochEnd?: unknown };
  void onEpochEnd;
  const work = groups(plan);
  const results: number[][][] = new Array(work.length);
  const data: FoldWorkerData = {
    timestamps: series.timestamps,
    columns: Object.fromEntries(series.columns.map((c) => [c, series.column(c)])),
    meta: { frequency: series.meta.frequency, stepMs: series.meta.stepMs },
    model,
    target,
    options: { ...rest, forecaster: cloneable, concurrency: 1 },
  };
  let next = 0;
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = startWorker(siblingEntry(import.meta.url, 'fold-worker'), { ...data });
      const send = () => {
        if (next >= work.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        const id = next++;
        worker.postMessage({ id, folds: work[id] });
      };
      worker.on('message', (msg: { id: number; predicted?: number[][]; error?: { message: string; name: string } }) => {
        if (msg.error) {
          void worker.terminate();
          // Errors cross threads as name and message; rebuild the typed error users catch.
          const message = `fold group ${msg.id + 1} of ${work.length}: ${msg.error.message}`;
          reject(msg.error.name === 'DataError' ? new DataError(message) : new StockcastError('DATA_ERROR', message));
          return;
        }
        results[msg.id] = msg.predicted!;
        for (let k = 0; k < msg.predicted!.length; k++) tick();
        send();
      });
      signal?.addEventListener('abort', () => {
        void worker.terminate();
        reject(new StockcastError('ABORTED', 'the backtest was interrupted'));
      });
      worker.on('error', reject);
      worker.once('online', send);
    });
  await Promise.all(Array.from({ length: Math.min(concurrency, work.length) }, runWorker));
  return results.flat();
}
