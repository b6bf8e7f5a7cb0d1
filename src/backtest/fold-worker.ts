/** Worker thread entry: trains and forecasts the refit groups it is sent, with the same code as the serial path. */
import { parentPort, workerData } from 'node:worker_threads';
import { errorToData } from '../errors.js';
import { Series } from '../data/series.js';
import type { Frequency } from '../data/frequency.js';
import { forecastGroup } from './folds.js';
import type { FoldReply, FoldRequest, FoldWorkerData } from './fold-pool.js';

const data = workerData as FoldWorkerData;
const series = Series.create({ timestamps: data.timestamps, columns: data.columns, meta: { frequency: data.meta.frequency as Frequency, stepMs: data.meta.stepMs } });

parentPort!.on('message', async (msg: FoldRequest) => {
  let reply: FoldReply;
  try {
    reply = { id: msg.id, predicted: await forecastGroup(series, data.forecaster, msg.group) };
  } catch (e) {
    reply = { id: msg.id, error: errorToData(e) };
  }
  parentPort!.postMessage(reply);
});
