/** Worker thread entry: trains and forecasts the refit groups it is sent, with the same code as the serial path. */
import { parentPort, workerData } from 'node:worker_threads';
import { Series } from '../data/series.js';
import type { Frequency } from '../data/frequency.js';
import { WalkForwardOptionsSchema, recurrentForecasts, type FoldPlan } from './walk-forward.js';
import type { FoldWorkerData } from './workers.js';

const data = workerData as FoldWorkerData;
const series = Series.create({ timestamps: data.timestamps, columns: data.columns, meta: { frequency: data.meta.frequency as Frequency, stepMs: data.meta.stepMs } });
const options = WalkForwardOptionsSchema.parse(data.options);

parentPort!.on('message', async (msg: { id: number; folds: FoldPlan[] }) => {
  try {
    const predicted = await recurrentForecasts(series, data.model, data.target, msg.folds, options);
    parentPort!.postMessage({ id: msg.id, predicted });
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: { name: (e as Error).name, message: (e as Error).message } });
  }
});
