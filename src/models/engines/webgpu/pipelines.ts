/**
 * Compiles the webgpu engine's kernels for one model: the WGSL of each stage, specialised where the shape must be
 * known at compile time (the sequence kernels' hidden size, rows per workgroup and gate count), with the two
 * bind-group layouts every dispatch uses (a batch's, and the optimizer's).
 */
import { BackendError } from '../../../errors.js';
import type { TrainConfig } from '../engine.js';
import { gateCount, type RecurrentSpec } from '../weights.js';
import { COMPUTE_STAGE, type GpuBindGroupLayout, type GpuComputePipeline, type GpuDevice } from './gpu-types.js';
import { BATCH_LOSS_WGSL, lossWgsl, MAX_LEVELS } from './wgsl-losses.js';
import { COLSUM_WGSL, PRODUCT_WGSL, REDUCE_WGSL } from './wgsl-products.js';
import { sequenceBackwardWgsl, sequenceForwardWgsl, type SequenceShape } from './wgsl-sequence.js';
import { MASK_WGSL, optimizerWgsl, PACK_WGSL, SUMSQ_WGSL } from './wgsl-update.js';

/** The compiled kernels of one model. @internal */
export interface Pipelines {
  mainLayout: GpuBindGroupLayout;
  updateLayout: GpuBindGroupLayout;
  product: GpuComputePipeline;
  colsum: GpuComputePipeline;
  reduce: GpuComputePipeline;
  forward: GpuComputePipeline;
  backward: GpuComputePipeline;
  loss: GpuComputePipeline;
  batchLoss: GpuComputePipeline;
  mask: GpuComputePipeline;
  sumsq: GpuComputePipeline;
  optimizer: GpuComputePipeline;
  pack: GpuComputePipeline;
  shape: SequenceShape;
}

/** The loss kernel a configuration trains with. */
export function lossName(config: TrainConfig): string {
  if (config.loss === 'xent' || config.loss === 'qlike') return config.loss;
  return config.quantiles ? 'quantile' : 'mse';
}

/**
 * Rows per workgroup of the sequence kernels: up to 8, as many as the backward kernel's gate gradients fit in
 * workgroup memory (RB x G floats).
 * @throws {@link BackendError} when not even one row fits (a layer far wider than any forecaster needs)
 */
export function sequenceShape(spec: RecurrentSpec, workgroupBytes: number): SequenceShape {
  const G = gateCount(spec.cell) * spec.units;
  let RB = 8;
  while (RB > 1 && RB * G * 4 > workgroupBytes) RB /= 2;
  if (RB * G * 4 > workgroupBytes) {
    throw new BackendError(
      `a ${spec.cell} layer of ${spec.units} units needs ${G * 4} bytes of workgroup memory per row, ` +
        `more than this GPU's ${workgroupBytes}`,
      { hint: 'use fewer units, or engine: "fused"' },
    );
  }
  return { cell: spec.cell, H: spec.units, RB, WG: Math.min(256, Math.ceil(spec.units / 32) * 32) };
}

/** The bind-group layout of a batch's kernels, or (update) of the optimizer's. @internal */
export function bindingLayout(device: GpuDevice, update: boolean): GpuBindGroupLayout {
  const storage = (readOnly: boolean) => ({
    visibility: COMPUTE_STAGE,
    buffer: { type: readOnly ? 'read-only-storage' : 'storage' },
  });
  const ro = update ? [false, true, false, false, false] : [false, true, false, true, false];
  return device.createBindGroupLayout({
    entries: [
      { binding: 0, visibility: COMPUTE_STAGE, buffer: { type: 'uniform', hasDynamicOffset: true } },
      { binding: 1, visibility: COMPUTE_STAGE, buffer: { type: 'uniform' } },
      ...ro.map((r, i) => ({ binding: i + 2, ...storage(r) })),
    ],
  });
}

/** Compiles every kernel of a model (synchronously; errors surface through the caller's error scope). @internal */
export function compilePipelines(
  device: GpuDevice,
  spec: RecurrentSpec,
  config: TrainConfig,
  workgroupBytes: number,
): Pipelines {
  if ((config.quantiles?.length ?? 0) > MAX_LEVELS)
    throw new BackendError(
      `the webgpu engine's quantile head holds at most ${MAX_LEVELS} levels, not ${config.quantiles!.length}`,
      { hint: 'use fewer quantiles, or engine: "fused"' },
    );
  const mainLayout = bindingLayout(device, false);
  const updateLayout = bindingLayout(device, true);
  const mainPipe = device.createPipelineLayout({ bindGroupLayouts: [mainLayout] });
  const updatePipe = device.createPipelineLayout({ bindGroupLayouts: [updateLayout] });
  const make = (code: string, label: string, update = false) =>
    device.createComputePipeline({
      layout: update ? updatePipe : mainPipe,
      compute: { module: device.createShaderModule({ code, label }), entryPoint: 'main' },
    });
  const shape = sequenceShape(spec, workgroupBytes);
  return {
    mainLayout,
    updateLayout,
    product: make(PRODUCT_WGSL, 'product'),
    colsum: make(COLSUM_WGSL, 'colsum'),
    reduce: make(REDUCE_WGSL, 'split-k-reduce'),
    forward: make(sequenceForwardWgsl(shape), 'sequence-forward'),
    backward: make(sequenceBackwardWgsl(shape), 'sequence-backward'),
    loss: make(lossWgsl(lossName(config)), `loss-${lossName(config)}`),
    batchLoss: make(BATCH_LOSS_WGSL, 'batch-loss'),
    mask: make(MASK_WGSL, 'dropout-masks'),
    sumsq: make(SUMSQ_WGSL, 'sumsq', true),
    optimizer: make(optimizerWgsl(config.optimizer), `optimizer-${config.optimizer}`, true),
    pack: make(PACK_WGSL, 'pack', true),
    shape,
  };
}
