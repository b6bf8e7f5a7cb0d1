/** Worker thread entry of the job pool (src/jobs/pool.ts): installs the Node.js runtime, keeps the inputs it is sent and runs fold groups on them with the serial code. */
import './node-runtime.js';
import { parentPort } from 'node:worker_threads';
import { errorToData, ValidationError } from './errors.js';
import { Series } from './data/series.js';
import type { Frequency } from './data/frequency.js';
import { forecastGroup } from './backtest/folds.js';
import type { TaskReply, TaskRequest } from './jobs/pool.js';

const inputs = new Map<string, Series>();

// Test-only fault injection, `<kind>:<task id>[,<task id>...]`: exit the thread, throw outside the reply path, or fail with a
// ValidationError; `start` fails every thread as it loads, as a missing or broken installed file would.
const [faultKind, faultIds] = (process.env.STOCKCAST_TEST_TASK_FAULT ?? '').split(':');
const faulty = new Set((faultIds ?? '').split(',').filter(Boolean).map(Number));
if (faultKind === 'start') throw new Error('injected start fault: cannot load the task thread');

parentPort!.on('message', async (msg: TaskRequest) => {
  if (msg.type === 'drop') {
    inputs.delete(msg.key);
    return;
  }
  if (msg.input) {
    const { timestamps, columns, frequency, stepMs } = msg.input;
    inputs.set(msg.key, Series.create({ timestamps, columns, meta: { frequency: frequency as Frequency, stepMs } }));
  }
  let reply: TaskReply;
  if (faultKind && faulty.has(msg.id)) {
    if (faultKind === 'exit') process.exit(3);
    if (faultKind === 'throw') throw new Error('injected fault');
    if (faultKind === 'validation')
      return parentPort!.postMessage({
        id: msg.id,
        error: errorToData(new ValidationError('forecaster options', [{ path: 'units', message: 'injected fault' }])),
      } satisfies TaskReply);
  }
  try {
    const series = inputs.get(msg.key);
    if (!series) throw new Error(`input ${msg.key} was never sent to this thread`);
    const started = performance.now();
    const value = await forecastGroup(series, msg.job, msg.group);
    reply = { id: msg.id, value, ms: performance.now() - started };
  } catch (e) {
    reply = { id: msg.id, error: errorToData(e) };
  }
  parentPort!.postMessage(reply);
});
// Every module has loaded: the pool counts a thread that dies before this as one that could not start.
parentPort!.postMessage({ ready: true } satisfies TaskReply);
