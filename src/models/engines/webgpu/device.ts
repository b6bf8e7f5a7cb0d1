/**
 * The GPU the webgpu engine runs on: one adapter and one device per thread (Node process or worker, browser
 * page or worker), shared by every engine there, so parallel backtest folds queue their batches on the same
 * device. The device is requested with the adapter's own limits (a large batch exceeds WebGPU's defaults), and a
 * lost device becomes a typed error on the next use.
 */
import { BackendError } from '../../../errors.js';
import { platform } from '../../../platform/runtime.js';
import type { Gpu, GpuAdapter, GpuDevice } from './gpu-types.js';

/** The adapter as `training.run` and `stockcast info` report it. */
export interface GpuAdapterSummary {
  /** The vendor (`nvidia`, `amd`, `intel`, `apple`, `google` for SwiftShader...), as the implementation reports it. */
  vendor: string;
  /** The architecture (for example `ampere`), empty when not reported. */
  architecture: string;
  /** A description (driver and device name), empty when not reported. */
  description: string;
  /** Whether it is a software rasterizer (SwiftShader): correct, but far slower than any GPU. */
  software: boolean;
  /** The largest storage binding the device was given, in bytes (a batch's workspace must fit in it). */
  maxStorageBufferBindingSize: number;
  /** The largest buffer the device was given, in bytes. */
  maxBufferSize: number;
  /** Workgroup memory per workgroup, in bytes. */
  maxComputeWorkgroupStorageSize: number;
}

/** A device and what it was made from; `lost` is set when the device is lost. @internal */
export interface GpuContext {
  device: GpuDevice;
  adapter: GpuAdapterSummary;
  lost?: string;
}

let shared: Promise<GpuContext> | undefined;

const LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupsPerDimension',
];

function summarize(adapter: GpuAdapter): GpuAdapterSummary {
  const info = adapter.info ?? { vendor: '', architecture: '', device: '', description: '' };
  const description = info.description || info.device || '';
  // A fallback adapter is a CPU implementation by definition; older implementations only name it.
  const software =
    info.isFallbackAdapter === true ||
    /swiftshader|llvmpipe|lavapipe|software/i.test(`${info.vendor} ${info.architecture} ${description}`);
  const l = adapter.limits;
  return {
    vendor: info.vendor || 'unknown',
    architecture: info.architecture,
    description,
    software,
    maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
    maxBufferSize: l.maxBufferSize,
    maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
  };
}

/** The adapter, or why there is none (no WebGPU here, or no adapter: no GPU and no Vulkan driver). */
async function findAdapter(): Promise<GpuAdapter | string> {
  const gpu = await platform().gpu();
  if (gpu instanceof Error) return gpu.message;
  const adapter = await (gpu as Gpu).requestAdapter({ powerPreference: 'high-performance' }).catch((e: Error) => e);
  if (adapter instanceof Error) return `requesting a WebGPU adapter failed (${adapter.message})`;
  if (!adapter) {
    const where =
      platform().name === 'node'
        ? 'Dawn found no Vulkan, Metal or D3D12 device ' +
          '(on Linux: install the GPU driver with its Vulkan ICD; see docs/gpu.md)'
        : 'the browser offers no GPU adapter';
    return `no WebGPU adapter: ${where}`;
  }
  return adapter;
}

let probe: Promise<GpuAdapterSummary | string> | undefined;

/**
 * The WebGPU adapter here, or the reason there is none; asked once per thread. Does not create a device.
 * @returns the adapter's summary, or a sentence saying why there is no adapter
 * @example
 * ```ts
 * import { gpuAdapter } from 'stockcast';
 * const a = await gpuAdapter();
 * console.log(typeof a === 'string' ? `no GPU: ${a}` : `${a.vendor} ${a.architecture}`);
 * ```
 */
export function gpuAdapter(): Promise<GpuAdapterSummary | string> {
  probe ??= findAdapter().then((a) => (typeof a === 'string' ? a : summarize(a)));
  return probe;
}

async function openDevice(): Promise<GpuContext> {
  const adapter = await findAdapter();
  if (typeof adapter === 'string')
    throw new BackendError(`the webgpu engine cannot run here: ${adapter}`, {
      hint: "use engine: 'fused' (or 'auto'); docs/gpu.md says how to set up a GPU",
    });
  const requiredLimits: Record<string, number> = {};
  for (const name of LIMITS) {
    const v = adapter.limits[name];
    if (typeof v === 'number') requiredLimits[name] = v;
  }
  const device = await adapter.requestDevice({ requiredLimits, label: 'stockcast' }).catch((cause: unknown) => {
    throw new BackendError('the GPU adapter refused to create a device', { cause, hint: "use engine: 'fused'" });
  });
  const ctx: GpuContext = { device, adapter: summarize(adapter) };
  void device.lost.then((info) => {
    ctx.lost = `${info.reason || 'unknown'}: ${info.message}`;
    // The next engine asks for a new device.
    if (shared && ctx === current) shared = undefined;
  });
  current = ctx;
  return ctx;
}

let current: GpuContext | undefined;

/**
 * The shared device, created on first use.
 * @throws {@link BackendError} when there is no WebGPU, no adapter, or the device cannot be created
 * @internal
 */
export function gpuDevice(): Promise<GpuContext> {
  shared ??= openDevice().catch((e: unknown) => {
    shared = undefined;
    throw e;
  });
  return shared;
}

/** Throws when the context's device was lost. @internal */
export function checkDevice(ctx: GpuContext): void {
  if (ctx.lost)
    throw new BackendError(`the GPU device was lost (${ctx.lost})`, {
      hint:
        'the model cannot continue on this device: create it again (a new device is requested), ' +
        'or use engine: "fused"',
    });
}
