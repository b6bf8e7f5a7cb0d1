/**
 * The body of a fused-engine helper thread, whichever kind runs it (a Node worker thread or a Web Worker): attaches
 * to the engine's memory and runs the rows and gradient tiles the main thread hands it. Any exception is reported
 * through shared memory and a message before the loop ends, so the main thread never waits on a dead worker.
 */
import { attachMemory } from './memory.js';
import { runRows } from './rows.js';
import { ARG, claimChunks, CMD, CTRL, type WorkerInit } from './thread-pool.js';

/** How the loop talks to the main thread and how an injected `exit` fault ends the thread. @internal */
export interface HelperLink {
  post(message: unknown): void;
  exit(code: number): void;
}

/**
 * Runs commands until EXIT or a failure.
 * @internal
 */
export function runHelper(init: WorkerInit, link: HelperLink): void {
  if (init.fault === 'startup') throw new Error('injected start-up failure');
  const { kernels, buffer } = attachMemory(init.handle, init.stackTop);
  const control = new Int32Array(init.control);
  const args = new Float64Array(init.args);
  const at = CTRL.SLOTS + CTRL.STRIDE * init.slot;
  // The sequence number is read before saying ready: the first command may follow the ready message at once.
  let seen = Atomics.load(control, CTRL.SEQ);
  link.post('ready');

  const injected = (): void => {
    if (init.fault === 'throw') throw new Error('injected failure');
    if (init.fault === 'exit') link.exit(3);
    if (init.fault === 'grow' && init.handle.kind === 'wasm') init.handle.memory.grow(65536);
  };

  for (;;) {
    Atomics.wait(control, CTRL.SEQ, seen);
    seen = Atomics.load(control, CTRL.SEQ);
    const cmd = control[CTRL.CMD];
    if (cmd === CMD.EXIT) break;
    try {
      // Injected failures hit after the first batch (two commands), once the pool is warm.
      if (seen > 2) injected();
      const desc = args[ARG.DESC];
      const active = control[at + 1] === 1;
      if (active && cmd === CMD.ROWS) {
        const buf = buffer();
        claimChunks(control, args, (r0, r1) => runRows(kernels, buf, desc, r0, r1, true));
      } else if (active && cmd === CMD.GRADS) kernels.model_grads(desc, 0, -1, args[ARG.COUNTER], init.scratch);
    } catch (e) {
      const error = e as Error & { code?: string };
      link.post({ name: error.name, message: error.message, code: error.code });
      Atomics.store(control, CTRL.ERROR, init.slot);
      Atomics.store(control, at, seen);
      Atomics.notify(control, at);
      break;
    }
    Atomics.store(control, at, seen);
    Atomics.notify(control, at);
  }
}
