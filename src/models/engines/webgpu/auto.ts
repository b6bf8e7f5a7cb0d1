/**
 * When `engine: 'auto'` picks the webgpu engine: a deterministic rule on the model, the batch and the adapter,
 * never a timing, so the same call on the same machine always gets the same engine and the same numbers.
 */
import type { RecurrentSpec } from '../weights.js';
import { gpuAdapter } from './device.js';

/**
 * The thresholds of `engine: 'auto'`'s GPU rule: at least `minUnits` units, at least `minBatch` windows per batch,
 * and units x batch at least `minWork` (so 64 x 512, 128 x 256 and 256 x 128 qualify), on a hardware adapter.
 * Below them the fused CPU engine is as fast or faster (per-step synchronisation dominates small products); see
 * docs/gpu.md.
 * @example
 * ```ts
 * import { AUTO_WEBGPU } from 'stockcast';
 * console.log(AUTO_WEBGPU.minUnits, AUTO_WEBGPU.minBatch, AUTO_WEBGPU.minWork); // 64 64 32768
 * ```
 */
export const AUTO_WEBGPU: {
  /** Fewest hidden units. */
  readonly minUnits: 64;
  /** Fewest windows per training batch. */
  readonly minBatch: 64;
  /** Smallest units x batch. */
  readonly minWork: 32768;
} = { minUnits: 64, minBatch: 64, minWork: 32768 };

/** Whether a model and batch size are large enough for `auto` to consider the GPU (no adapter is asked). */
export function largeEnoughForGpu(spec: RecurrentSpec, batchSize: number | undefined): boolean {
  const B = batchSize ?? 0;
  return spec.units >= AUTO_WEBGPU.minUnits && B >= AUTO_WEBGPU.minBatch && spec.units * B >= AUTO_WEBGPU.minWork;
}

/**
 * Whether `auto` picks the webgpu engine: the model and batch pass {@link AUTO_WEBGPU}, and a WebGPU adapter
 * that is a real GPU (not a software rasterizer such as SwiftShader) is present. The adapter is asked only when
 * the sizes qualify.
 * @internal
 */
export async function autoPicksWebGpu(
  spec: RecurrentSpec,
  batchSize: number | undefined,
  gpuLoadable: boolean,
): Promise<boolean> {
  if (!gpuLoadable || !largeEnoughForGpu(spec, batchSize)) return false;
  const adapter = await gpuAdapter();
  return typeof adapter !== 'string' && !adapter.software;
}
