/**
 * The webgpu engine's traffic with its device: command submissions (at most IN_FLIGHT ahead of the GPU, so queued
 * uploads and commands stay bounded), readbacks, error scopes that turn GPU errors into typed ones, and the host
 * time each of them took (reported by `npm run bench`).
 */
import { BackendError } from '../../../errors.js';
import { checkDevice, type GpuContext } from './device.js';
import {
  MAP_READ,
  USAGE,
  type GpuBindGroup,
  type GpuBuffer,
  type GpuCommandEncoder,
  type GpuDevice,
} from './gpu-types.js';
import type { Dispatch } from './record.js';

/** Submissions allowed ahead of the GPU before the engine waits. */
const IN_FLIGHT = 8;

/** Dispatches and the bind group they use. @internal */
export type Commands = { list: Dispatch[]; group: GpuBindGroup }[];

/** Host time spent with the device, in milliseconds, and how many submissions and readbacks. @internal */
export interface Timings {
  uploadMs: number;
  submitMs: number;
  waitMs: number;
  readbackMs: number;
  submissions: number;
  readbacks: number;
}

/** @internal */
export class Traffic {
  private readonly device: GpuDevice;
  private pending: Promise<void>[] = [];
  private submitted = 0;
  readonly clock: Timings = { uploadMs: 0, submitMs: 0, waitMs: 0, readbackMs: 0, submissions: 0, readbacks: 0 };

  constructor(private readonly ctx: GpuContext) {
    this.device = ctx.device;
  }

  /** Records the dispatches into one compute pass. */
  encode(enc: GpuCommandEncoder, lists: Commands): void {
    const pass = enc.beginComputePass();
    for (const { list, group } of lists) {
      for (const d of list) {
        pass.setPipeline(d.pipeline);
        pass.setBindGroup(0, group, [d.slot * 256]);
        pass.dispatchWorkgroups(d.x, d.y, d.z);
      }
    }
    pass.end();
  }

  /** Submits commands; every IN_FLIGHT submissions, waits for the GPU to finish the ones before the last group. */
  async submit(lists: Commands): Promise<void> {
    const t0 = performance.now();
    const enc = this.device.createCommandEncoder();
    this.encode(enc, lists);
    this.device.queue.submit([enc.finish()]);
    this.clock.submissions++;
    const t1 = performance.now();
    this.clock.submitMs += t1 - t0;
    if (++this.submitted % IN_FLIGHT === 0) {
      this.pending.push(this.device.queue.onSubmittedWorkDone());
      if (this.pending.length > 1) await this.pending.shift();
      this.clock.waitMs += performance.now() - t1;
    }
  }

  /** Writes host data into a buffer (queued before the next submission), counted as upload time. */
  upload(buffer: GpuBuffer, floatOffset: number, data: Float32Array | Int32Array, since: number): void {
    this.device.queue.writeBuffer(buffer, floatOffset * 4, data);
    this.clock.uploadMs += performance.now() - since;
  }

  /** Copies float ranges of GPU buffers to the host, in one submission. */
  async read(ranges: { buffer: GpuBuffer; offset: number; floats: number }[]): Promise<Float32Array[]> {
    const t0 = performance.now();
    const total = ranges.reduce((s, r) => s + r.floats, 0);
    const staging = this.device.createBuffer({
      size: Math.max(4, total * 4),
      usage: USAGE.MAP_READ | USAGE.COPY_DST,
      label: 'stockcast-readback',
    });
    const enc = this.device.createCommandEncoder();
    let at = 0;
    for (const r of ranges) {
      if (r.floats > 0) enc.copyBufferToBuffer(r.buffer, r.offset * 4, staging, at * 4, r.floats * 4);
      at += r.floats;
    }
    this.device.queue.submit([enc.finish()]);
    try {
      await staging.mapAsync(MAP_READ);
    } catch (cause) {
      checkDevice(this.ctx);
      throw new BackendError('reading results back from the GPU failed', { cause, hint: 'use engine: "fused"' });
    } finally {
      // A completed map means every earlier submission finished.
      this.pending = [];
    }
    const all = new Float32Array(staging.getMappedRange().slice(0));
    staging.unmap();
    staging.destroy();
    checkDevice(this.ctx);
    this.clock.readbackMs += performance.now() - t0;
    this.clock.readbacks++;
    at = 0;
    return ranges.map((r) => all.subarray(at, (at += r.floats)));
  }

  /** Runs `work` inside validation and out-of-memory error scopes, turning a GPU error into a typed one. */
  async scoped<T>(what: string, work: () => Promise<T>): Promise<T> {
    checkDevice(this.ctx);
    this.device.pushErrorScope('out-of-memory');
    this.device.pushErrorScope('validation');
    let result: T | undefined;
    let failure: unknown;
    try {
      result = await work();
    } catch (e) {
      failure = e;
    }
    const validation = await this.device.popErrorScope();
    const memory = await this.device.popErrorScope();
    if (failure) throw failure;
    if (memory)
      throw new BackendError(`the GPU ran out of memory while ${what} (${memory.message})`, {
        hint: 'use a smaller batchSize, lookback or units',
      });
    if (validation)
      throw new BackendError(`the GPU rejected the commands while ${what} (${validation.message})`, {
        hint: 'this is a stockcast bug: please report it; engine: "fused" runs meanwhile',
      });
    return result as T;
  }
}
