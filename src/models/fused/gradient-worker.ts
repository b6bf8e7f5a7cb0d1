/** Worker thread entry for data-parallel training: computes one half-batch's gradients with the fused engine. */
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { EngineData } from '../engine.js';
import { initWeights } from '../weights.js';
import { FusedEngine } from './fused-engine.js';
import { CMD, CTRL, type GradientWorkerInit } from './parallel.js';

const init = workerData as GradientWorkerInit;
const control = new Int32Array(init.control);
const weights = new Float32Array(init.weights);
const grads = new Float32Array(init.grads);
const rows = new Int32Array(init.rows);
const loss = new Float64Array(init.loss);
// One thread here: the worker never starts workers of its own.
const engine = new FusedEngine(init.spec, initWeights(init.spec, 0), { ...init.config, threads: 1 });
let data: EngineData | undefined;
let seen = 0;

for (;;) {
  Atomics.wait(control, CTRL.SEQ, seen);
  seen = Atomics.load(control, CTRL.SEQ);
  const cmd = control[CTRL.CMD];
  if (cmd === CMD.EXIT) break;
  if (cmd === CMD.DATA) data = receiveMessageOnPort(init.port)!.message as EngineData;
  if (cmd === CMD.GRADIENTS) {
    engine.paramBlock().set(weights);
    loss[0] = engine.batchGradients(data!, rows.subarray(0, control[CTRL.ROWS]));
    grads.set(engine.gradBlock());
  }
  Atomics.store(control, CTRL.DONE, seen);
  Atomics.notify(control, CTRL.DONE);
}
engine.dispose();
