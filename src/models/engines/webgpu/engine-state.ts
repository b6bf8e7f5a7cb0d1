/** A webgpu engine's lasting device state: its buffers, and the optimizer's and the weight packing's dispatches. */
import type { TrainConfig } from '../engine.js';
import { gateCount, type RecurrentSpec } from '../weights.js';
import { USAGE, type GpuBindGroup, type GpuBuffer, type GpuDevice } from './gpu-types.js';
import type { Pipelines } from './pipelines.js';
import { MISC, type WeightMap } from './plan.js';
import { uniformSlots, type Dispatch } from './record.js';

/** Parameters, gradients, optimizer moments, packed recurrent weights, misc (norm, levels, losses), step. @internal */
export interface EngineBuffers {
  P: GpuBuffer;
  G: GpuBuffer;
  MV: GpuBuffer;
  PK: GpuBuffer;
  misc: GpuBuffer;
  step: GpuBuffer;
}

/** The update's commands: the optimizer step with the packing, the packing alone, and their words. @internal */
export interface UpdateCommands {
  update: Dispatch[];
  packOnly: Dispatch[];
  words: GpuBuffer;
  group: GpuBindGroup;
}

/**
 * Creates the engine's buffers for `total` parameter floats (moments: none for SGD, two sets for Adam).
 * @internal
 */
export function createEngineBuffers(
  device: GpuDevice,
  spec: RecurrentSpec,
  config: TrainConfig,
  total: number,
): EngineBuffers {
  const { units: H, layers: L, cell } = spec;
  const G = gateCount(cell) * H;
  const storage = (floats: number, label: string) =>
    device.createBuffer({
      size: Math.max(4, floats * 4),
      usage: USAGE.STORAGE | USAGE.COPY_DST | USAGE.COPY_SRC,
      label,
    });
  return {
    P: storage(total, 'stockcast-params'),
    G: storage(total, 'stockcast-grads'),
    MV: storage(config.optimizer === 'sgd' ? 1 : config.optimizer === 'adam' ? 2 * total : total, 'stockcast-moments'),
    PK: storage(L * (G * H + G), 'stockcast-packed'),
    misc: storage(MISC.LOSS + MISC.SLOTS, 'stockcast-misc'),
    step: device.createBuffer({ size: 48, usage: USAGE.UNIFORM | USAGE.COPY_DST, label: 'stockcast-step' }),
  };
}

/**
 * Records the update (gradient norm when clipping, the optimizer, then each layer's packing of W_hh transposed and
 * its input-product bias) and the packing alone (after weights are set), with their parameter words.
 * @internal
 */
export function recordUpdates(
  device: GpuDevice,
  pipes: Pipelines,
  bufs: EngineBuffers,
  spec: RecurrentSpec,
  config: TrainConfig,
  total: number,
  weights: WeightMap,
): UpdateCommands {
  const { units: H, layers: L, cell } = spec;
  const G = gateCount(cell) * H;
  const update: Dispatch[] = [];
  const packOnly: Dispatch[] = [];
  const words: number[][] = [];
  const max = device.limits.maxComputeWorkgroupsPerDimension;
  const dispatch = (list: Dispatch[], pipeline: Dispatch['pipeline'], w: number[], groups: number) => {
    const x = Math.min(groups, max);
    list.push({ pipeline, slot: words.length, x, y: Math.ceil(groups / x), z: 1 });
    words.push(w);
  };
  if (config.clipNorm !== undefined) dispatch(update, pipes.sumsq, [total], 1);
  dispatch(update, pipes.optimizer, [total], Math.ceil(total / 256));
  for (let k = 0; k < L; k++) {
    const at = weights.at;
    const pack: [number[], number] = [
      [
        H,
        G,
        at(`weight_hh_l${k}`),
        weights.packed(k),
        at(`bias_ih_l${k}`),
        at(`bias_hh_l${k}`),
        weights.packed(k) + G * H,
        cell === 'gru' ? 1 : 0,
      ],
      Math.ceil((G * H) / 256),
    ];
    dispatch(update, pipes.pack, ...pack);
    dispatch(packOnly, pipes.pack, ...pack);
  }
  const uniforms = uniformSlots(device, words);
  const group = device.createBindGroup({
    layout: pipes.updateLayout,
    entries: [uniforms, bufs.step, bufs.P, bufs.G, bufs.MV, bufs.PK, bufs.misc].map((buffer, binding) => ({
      binding,
      resource: binding === 0 ? { buffer, size: 128 } : { buffer },
    })),
  });
  return { update, packOnly, words: uniforms, group };
}
