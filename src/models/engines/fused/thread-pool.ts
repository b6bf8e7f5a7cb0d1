/**
 * The fused engine's helper threads: workers attached to the engine's memory that take a share of each batch's
 * rows and gradient tiles. Commands go through shared memory and Atomics (no messages per batch). Every wait is
 * bounded and has a failure path: an exception in a worker is reported through shared memory at once, a worker
 * that exits or cannot start is seen through its events while the main thread waits asynchronously, and either
 * way the caller gets a typed BackendError within about a second with every worker terminated.
 */
import { BackendError } from '../../../errors.js';
import type { HelperThread } from '../../../platform/platform.js';
import { platform } from '../../../platform/runtime.js';
import type { WorkerFault } from '../engine.js';
import type { MemoryHandle } from './memory.js';

/**
 * Control words: the command sequence and code, the failed slot (1-based), the next row chunk to claim, then per
 * worker DONE and whether it takes part in the command. @internal
 */
export const CTRL = { SEQ: 0, CMD: 1, ERROR: 2, CHUNK: 3, SLOTS: 4, STRIDE: 3 } as const;
/** Commands. @internal */
export const CMD = { ROWS: 1, GRADS: 2, EXIT: 3 } as const;
/** Numeric arguments (Float64Array): the descriptor, the tile counter, the batch's rows and rows per chunk. @internal */
export const ARG = { DESC: 0, COUNTER: 1, ROWS: 2, CHUNK: 3 } as const;

/** What a gradient worker receives (the environment adds how it answers: a port in Node, its own scope in a browser). @internal */
export interface WorkerInit {
  handle: MemoryHandle;
  control: SharedArrayBuffer;
  args: SharedArrayBuffer;
  /** 1-based worker slot (the main thread is slot 0). */
  slot: number;
  stackTop: number;
  scratch: number;
  fault?: WorkerFault;
}

/** How long start-up may take before it counts as a failure. */
const START_TIMEOUT_MS = 60_000;
/** Synchronous waiting between turns of the event loop (where worker exits are delivered). */
const SYNC_SLICE_MS = 20;

const live = new Set<HelperThread>();

/** Gradient worker threads alive in this thread (tests check none is left behind). @internal */
export function liveGradientWorkers(): number {
  return live.size;
}

/**
 * Runs chunks of a ROWS command's rows as they are claimed from the shared counter: whichever thread is free takes
 * the next chunk, so a thread the OS sets aside does not hold the others up. Rows never interact, so the results
 * do not depend on who ran which chunk. @internal
 */
export function claimChunks(control: Int32Array, args: Float64Array, run: (r0: number, r1: number) => void): void {
  const rows = args[ARG.ROWS];
  const chunk = args[ARG.CHUNK];
  for (let c = Atomics.add(control, CTRL.CHUNK, 1); c * chunk < rows; c = Atomics.add(control, CTRL.CHUNK, 1))
    run(c * chunk, Math.min(rows, (c + 1) * chunk));
}

/** Waits on a shared word without blocking (Atomics.waitAsync where it exists, else a turn of the event loop). */
async function waitAsync(c: Int32Array, at: number, value: number, ms: number): Promise<void> {
  const wa = (
    Atomics as unknown as {
      waitAsync?: (
        a: Int32Array,
        i: number,
        v: number,
        t: number,
      ) => { async: boolean; value: Promise<string> | string };
    }
  ).waitAsync;
  if (!wa) return new Promise((resolve) => setTimeout(resolve, 0));
  const r = wa(c, at, value, ms);
  if (r.async) await r.value;
}

/** A started pool of gradient workers. @internal */
export class GradientPool {
  private readonly control: Int32Array;
  private readonly args: Float64Array;
  private readonly workers: HelperThread[] = [];
  private failure: Error | undefined;
  private wake: () => void = () => undefined;
  /** Settles when a failure is recorded (never rejects; callers check `failure`). */
  private readonly failed: Promise<void>;
  private closed = false;

  private constructor(readonly size: number) {
    this.control = new Int32Array(new SharedArrayBuffer(4 * (CTRL.SLOTS + CTRL.STRIDE * (size + 1))));
    this.args = new Float64Array(new SharedArrayBuffer(32));
    this.failed = new Promise((resolve) => (this.wake = resolve));
  }

  /**
   * Starts `size` workers on the memory; slot i uses scratch[i - 1] and stackTops[i - 1].
   * @throws {@link BackendError} when a worker cannot start (with its error), within the start-up bound
   */
  static async start(
    handle: MemoryHandle,
    size: number,
    scratch: number[],
    stackTops: number[],
    fault?: WorkerFault,
  ): Promise<GradientPool> {
    const pool = new GradientPool(size);
    const ready: Array<Promise<void>> = [];
    for (let slot = 1; slot <= size; slot++) {
      const init: WorkerInit = {
        handle,
        control: pool.control.buffer as SharedArrayBuffer,
        args: pool.args.buffer as SharedArrayBuffer,
        slot,
        stackTop: stackTops[slot - 1],
        scratch: scratch[slot - 1],
        ...(fault ? { fault } : {}),
      };
      let worker: HelperThread;
      try {
        worker = platform().startHelper(init as unknown as Record<string, unknown>);
      } catch (e) {
        pool.fail(slot, e as Error);
        break;
      }
      live.add(worker);
      pool.workers.push(worker);
      worker.onFailure((e) => {
        live.delete(worker);
        pool.fail(slot, e);
      });
      ready.push(new Promise<void>((resolve) => worker.onReady(resolve)));
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        pool.fail(0, new Error(`did not start within ${START_TIMEOUT_MS / 1000} s`));
        resolve();
      }, START_TIMEOUT_MS);
    });
    await Promise.race([Promise.all(ready), timeout, pool.failed]);
    clearTimeout(timer);
    for (const worker of pool.workers) worker.unref();
    if (pool.failure) throw pool.error('could not start');
    return pool;
  }

  private fail(slot: number, e: Error): void {
    if (this.failure || this.closed) return;
    this.failure = new Error(`gradient worker ${slot} of ${this.size}: ${e.message}`, { cause: e });
    this.wake();
  }

  private error(what: string): BackendError {
    const cause = this.failure!;
    this.close();
    return new BackendError(`the fused engine's ${what}: ${cause.message}`, {
      cause,
      hint: 'train with threads: 1 to run without worker threads',
    });
  }

  /**
   * Issues a command to the workers in slots 1..active-1 (the main thread is slot 0 and takes part itself): ROWS
   * shares `rows` rows in chunks of `chunk` that threads claim one at a time (see {@link claimChunk}), GRADS
   * shares the gradient tiles through the counter at byte offset `counter` of the engine's memory.
   */
  issue(
    cmd: number,
    desc: number,
    active: number,
    options: { counter?: number; rows?: number; chunk?: number } = {},
  ): void {
    const c = this.control;
    this.args[ARG.DESC] = desc;
    this.args[ARG.COUNTER] = options.counter ?? 0;
    this.args[ARG.ROWS] = options.rows ?? 0;
    this.args[ARG.CHUNK] = options.chunk ?? 1;
    c[CTRL.CMD] = cmd;
    Atomics.store(c, CTRL.CHUNK, 0);
    for (let slot = 1; slot <= this.size; slot++) c[CTRL.SLOTS + CTRL.STRIDE * slot + 1] = slot < active ? 1 : 0;
    Atomics.add(c, CTRL.SEQ, 1);
    Atomics.notify(c, CTRL.SEQ);
  }

  /** The main thread's share of a ROWS command: claims and runs chunks until none is left. */
  claimChunks(run: (r0: number, r1: number) => void): void {
    claimChunks(this.control, this.args, run);
  }

  /** A failure a worker reported through shared memory, with its message. */
  private reported(): boolean {
    const slot = Atomics.load(this.control, CTRL.ERROR);
    if (slot === 0) return false;
    const msg = this.workers[slot - 1]?.takeMessage() as { name: string; message: string; code?: string } | undefined;
    this.fail(slot, Object.assign(new Error(msg ? `${msg.name}: ${msg.message}` : 'failed'), { code: msg?.code }));
    return true;
  }

  /**
   * Waits until every worker has finished the last command: on the thread (Atomics.wait, checking the failure
   * flag every millisecond) for up to SYNC_SLICE_MS at a time, then a turn of the event loop, where a worker's
   * exit or error event arrives.
   * @throws {@link BackendError} when a worker failed or exited (the pool is then closed)
   */
  async join(): Promise<void> {
    const p = platform();
    const c = this.control;
    const seq = Atomics.load(c, CTRL.SEQ);
    for (let slot = 1; slot <= this.size; ) {
      const at = CTRL.SLOTS + CTRL.STRIDE * slot;
      const deadline = performance.now() + SYNC_SLICE_MS;
      let v: number;
      // Each wait uses the value just checked: re-reading it inside the call could sleep past the change.
      if (p.canBlock()) {
        while ((v = Atomics.load(c, at)) !== seq && !this.failure && !this.reported() && performance.now() < deadline)
          Atomics.wait(c, at, v, 1);
      } else if ((v = Atomics.load(c, at)) !== seq && !this.failure && !this.reported()) {
        // A browser's main thread may not block: wait without blocking, then read again.
        await waitAsync(c, at, v, SYNC_SLICE_MS);
        v = Atomics.load(c, at);
      }
      if (this.failure) throw this.error('worker failed');
      if (v === seq) slot++;
      else if (p.canBlock()) await p.nextTurn();
    }
    if (this.failure || this.reported()) throw this.error('worker failed');
  }

  /** Stops and terminates every worker. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.control[CTRL.CMD] = CMD.EXIT;
    Atomics.add(this.control, CTRL.SEQ, 1);
    Atomics.notify(this.control, CTRL.SEQ);
    for (const w of this.workers) {
      w.terminate();
      live.delete(w);
    }
  }
}
