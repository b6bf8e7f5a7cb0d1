/** Worker thread entry: trains and forecasts the refit groups it is sent, with the same code as the serial path. */
import '../models/node-setup.js';
import { parentPort, workerData } from 'node:worker_threads';
import { errorToData, ValidationError } from '../errors.js';
import { Series } from '../data/series.js';
import type { Frequency } from '../data/frequency.js';
import { forecastGroup } from './folds.js';
import type { FoldReply, FoldRequest, FoldWorkerData } from './fold-pool.js';

const data = workerData as FoldWorkerData;
const series = Series.create({ timestamps: data.timestamps, columns: data.columns, meta: { frequency: data.meta.frequency as Frequency, stepMs: data.meta.stepMs } });

// Test-only fault injection, `<kind>:<group>`: exit the thread, throw outside the reply path, or fail with a ValidationError.
const [faultKind, faultGroup] = (process.env.STOCKCAST_TEST_FOLD_FAULT ?? '').split(':');

parentPort!.on('message', async (msg: FoldRequest) => {
  let reply: FoldReply;
  if (faultKind && Number(faultGroup) === msg.id) {
    if (faultKind === 'exit') process.exit(3);
    if (faultKind === 'throw') throw new Error('injected fault');
    if (faultKind === 'validation') return parentPort!.postMessage({ id: msg.id, error: errorToData(new ValidationError('forecaster options', [{ path: 'units', message: 'injected fault' }])) } satisfies FoldReply);
  }
  try {
    reply = { id: msg.id, predicted: await forecastGroup(series, data.job, msg.group) };
  } catch (e) {
    reply = { id: msg.id, error: errorToData(e) };
  }
  parentPort!.postMessage(reply);
});
