/**
 * Data-parallel training for the fused engine on a second core: each batch is split in two, a worker thread
 * computes the gradients of one half with the same weights while this thread computes the other, and the
 * halves are combined by size. Shared memory and Atomics carry the weights, rows and gradients; a fixed split and
 * a fixed summation order make results repeat exactly for a given seed and thread count.
 */
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { siblingEntry, startWorker } from '../../util/start-worker.js';
import type { EngineData, TrainConfig } from '../engine.js';
import type { RecurrentSpec } from '../weights.js';

/** Control words in the shared Int32Array. @internal */
export const CTRL = { SEQ: 0, DONE: 1, CMD: 2, ROWS: 3 } as const;
/** Commands. @internal */
export const CMD = { DATA: 1, GRADIENTS: 2, EXIT: 3 } as const;

/** What the worker receives at start. @internal */
export interface GradientWorkerInit {
  spec: RecurrentSpec;
  config: TrainConfig;
  control: SharedArrayBuffer;
  weights: SharedArrayBuffer;
  grads: SharedArrayBuffer;
  rows: SharedArrayBuffer;
  loss: SharedArrayBuffer;
  port: MessagePort;
}

/** The main thread's handle on the gradient worker. @internal */
export class GradientWorker {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly control: Int32Array;
  readonly weights: Float32Array;
  readonly grads: Float32Array;
  private readonly rows: Int32Array;
  private readonly loss: Float64Array;
  private data: EngineData | undefined;

  /** The most rows one half-batch may have. */
  get capacity(): number {
    return this.rows.length;
  }

  constructor(spec: RecurrentSpec, config: TrainConfig, total: number, maxRows: number) {
    const sab = (bytes: number) => new SharedArrayBuffer(bytes);
    const init = { spec, config, control: sab(16), weights: sab(total * 4), grads: sab(total * 4), rows: sab(maxRows * 4), loss: sab(8) };
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = startWorker(siblingEntry(import.meta.url, 'gradient-worker'), { ...init, port: port2 }, [port2]);
    this.worker.unref();
    this.control = new Int32Array(init.control);
    this.weights = new Float32Array(init.weights);
    this.grads = new Float32Array(init.grads);
    this.rows = new Int32Array(init.rows);
    this.loss = new Float64Array(init.loss);
  }

  private issue(cmd: number, rows = 0): void {
    this.control[CTRL.CMD] = cmd;
    this.control[CTRL.ROWS] = rows;
    Atomics.add(this.control, CTRL.SEQ, 1);
    Atomics.notify(this.control, CTRL.SEQ);
  }

  /** Blocks until the worker has finished the last command. */
  private wait(): void {
    const seq = Atomics.load(this.control, CTRL.SEQ);
    while (Atomics.load(this.control, CTRL.DONE) !== seq) Atomics.wait(this.control, CTRL.DONE, Atomics.load(this.control, CTRL.DONE), 1000);
  }

  /** Starts the gradients of `rows` of `data` with the given weights; call {@link GradientWorker.finish} for them. */
  start(data: EngineData, params: Float32Array, rows: Int32Array): void {
    if (data !== this.data) {
      this.port.postMessage(data);
      this.issue(CMD.DATA);
      this.wait();
      this.data = data;
    }
    this.weights.set(params);
    this.rows.set(rows);
    this.issue(CMD.GRADIENTS, rows.length);
  }

  /** Waits for the gradients started last; returns the half's mean loss (gradients are in `grads`). */
  finish(): number {
    this.wait();
    return this.loss[0];
  }

  /** Stops the worker. */
  close(): void {
    this.issue(CMD.EXIT);
    this.port.close();
    void this.worker.terminate();
  }
}
