/**
 * A batch shape's plan: the workspace (every activation of B windows of T steps, time-major as in the fused
 * engine) in one GPU buffer, and the dispatches of the forward pass, the loss and the backward pass with their
 * parameter words, written once, so a batch only uploads its windows and records the same commands.
 */
import { BackendError } from '../../../errors.js';
import type { TrainConfig } from '../engine.js';
import { gateCount, type RecurrentSpec } from '../weights.js';
import type { GpuBindGroup, GpuBuffer, GpuDevice } from './gpu-types.js';
import { USAGE } from './gpu-types.js';
import type { Pipelines } from './pipelines.js';
import { Recorder, uniformSlots, type Dispatch } from './record.js';
import { layoutWorkspace, type Layout } from './layout.js';
import { INIT, SPACE } from './wgsl-products.js';

/** Float offsets of the misc buffer: the squared gradient norm, the quantile levels, the loss history. @internal */
export const MISC = { NORM: 0, LEVELS: 4, LOSS: 128, SLOTS: 4096 } as const;

/** Where the persistent weights are: each parameter's float offset, and each layer's packed block. @internal */
export interface WeightMap {
  at(name: string): number;
  /** Packed W_hh transposed [G, H] of layer k, then its input-product bias [G]. */
  packed(k: number): number;
}

/** A batch shape's workspace and commands. @internal */
export interface Plan {
  B: number;
  T: number;
  training: boolean;
  ws: GpuBuffer;
  group: GpuBindGroup;
  uniforms: GpuBuffer;
  /** Float offsets the engine writes (windows, targets) and reads (outputs). */
  X: number;
  Y: number;
  out: number;
  forward: Dispatch[];
  loss: Dispatch[];
  backward: Dispatch[];
  bytes: number;
}

/** What recording needs: the shape, the layout, the weights and the kernels. */
interface Ctx {
  spec: RecurrentSpec;
  config: TrainConfig;
  B: number;
  T: number;
  G: number;
  rows: number;
  drop: boolean;
  lay: Layout;
  w: WeightMap;
  pipes: Pipelines;
  rec: Recorder;
}

const f32bits = (v: number) => new Uint32Array(new Float32Array([v]).buffer)[0];

/** Layer k's input: the windows, the layer below's outputs, or their dropped-out copy. */
function input(c: Ctx, k: number): [number, number] {
  const H = c.spec.units;
  if (k === 0) return [c.lay.X, c.spec.inputSize];
  const below = c.lay.layers[k - 1];
  return c.drop ? [below.xd, H] : [below.hs + c.B * H, H];
}

/** The top layer's outputs the head reads: the last step (many-to-one) or every step (cross-entropy). */
function topOutputs(c: Ctx): number {
  const top = c.lay.layers[c.spec.layers - 1];
  return c.config.loss === 'xent' ? top.hs + c.B * c.spec.units : top.hs + c.T * c.B * c.spec.units;
}

function recordForward(c: Ctx, list: Dispatch[]): void {
  const { B, T, G, lay, w, rec, pipes } = c;
  const { units: H, layers: L, outputSize: O } = c.spec;
  if (c.drop)
    rec.flat(list, pipes.mask, [B, T, H, L - 1, ...lay.layers.slice(0, L - 1).map((l) => l.mask)], (L - 1) * T * B * H);
  lay.layers.forEach((l, k) => {
    const [inOff, inSize] = input(c, k);
    rec.product(list, {
      M: T * B,
      N: G,
      K: inSize,
      a: [inOff, inSize, 1, SPACE.WS],
      b: [w.at(`weight_ih_l${k}`), G, 1, SPACE.P],
      c: [l.pre, G, SPACE.WS],
      init: { kind: INIT.BIAS, off: w.packed(k) + G * H, space: SPACE.PK },
    });
    rec.push(
      list,
      pipes.forward,
      [
        B,
        T,
        l.pre,
        l.hs,
        l.cs,
        l.tc,
        l.gh,
        w.at(`weight_hh_l${k}`),
        w.at(`bias_hh_l${k}`),
        l.mask,
        l.xd,
        c.drop && k < L - 1 ? 1 : 0,
      ],
      Math.ceil(B / pipes.shape.RB),
    );
  });
  rec.product(list, {
    M: c.rows,
    N: O,
    K: H,
    a: [topOutputs(c), H, 1, SPACE.WS],
    b: [w.at('fc.weight'), 1, H, SPACE.P],
    c: [lay.out, O, SPACE.WS],
    init: { kind: INIT.BIAS, off: w.at('fc.bias'), space: SPACE.P },
  });
}

function recordLoss(c: Ctx, list: Dispatch[]): void {
  const { B, T, lay } = c;
  const O = c.spec.outputSize;
  c.rec.flat(
    list,
    c.pipes.loss,
    [B, T, O, lay.out, lay.dOut, lay.Y, lay.rowLoss, c.config.quantiles?.length ?? 0, MISC.LEVELS],
    B,
  );
  c.rec.push(
    list,
    c.pipes.batchLoss,
    [B, lay.rowLoss, f32bits(c.config.loss === 'xent' ? T * B : B * O), MISC.LOSS],
    1,
  );
}

/** Backward, head to inputs: the head's gradient into the top layer, then each layer's steps and its input's. */
function recordBackThroughLayers(c: Ctx, list: Dispatch[]): void {
  const { B, T, G, lay, w, rec, pipes } = c;
  const { units: H, layers: L, outputSize: O } = c.spec;
  const layers = lay.layers;
  rec.product(list, {
    M: c.rows,
    N: H,
    K: O,
    a: [lay.dOut, O, 1, SPACE.WS],
    b: [w.at('fc.weight'), H, 1, SPACE.P],
    c: [layers[L - 1].din, H, SPACE.WS],
  });
  for (let k = L - 1; k >= 0; k--) {
    const l = layers[k];
    // Many-to-one: only the last step gets a gradient from the head ([B, H] at the top's din).
    const dinFirst = k === L - 1 && c.config.loss !== 'xent' ? T - 1 : 0;
    rec.push(
      list,
      pipes.backward,
      [B, T, l.pre, l.hs, l.cs, l.tc, l.gh, w.packed(k), l.din, dinFirst, l.dgx, l.dgh],
      Math.ceil(B / pipes.shape.RB),
    );
    if (k > 0)
      rec.product(list, {
        M: T * B,
        N: H,
        K: G,
        a: [l.dgx, G, 1, SPACE.WS],
        b: [w.at(`weight_ih_l${k}`), 1, G, SPACE.P],
        c: [layers[k - 1].din, H, SPACE.WS],
        ...(c.drop ? { mask: layers[k - 1].mask } : {}),
      });
  }
}

/** Each layer's weight and bias gradients from its gate gradients (GRU: W_hh and b_hh from the recurrent side's). */
function recordLayerGradients(c: Ctx, list: Dispatch[]): void {
  const { B, T, G, lay, w, rec, pipes } = c;
  const H = c.spec.units;
  const gru = c.spec.cell === 'gru';
  lay.layers.forEach((l, k) => {
    const [inOff, inSize] = input(c, k);
    rec.gradient(
      list,
      {
        M: inSize,
        N: G,
        K: T * B,
        a: [inOff, 1, inSize, SPACE.WS],
        b: [l.dgx, G, 1, SPACE.WS],
        c: [w.at(`weight_ih_l${k}`), G, SPACE.G],
      },
      lay.part,
    );
    rec.gradient(
      list,
      {
        M: H,
        N: G,
        K: T * B,
        a: [l.hs, 1, H, SPACE.WS],
        b: [gru ? l.dgh : l.dgx, G, 1, SPACE.WS],
        c: [w.at(`weight_hh_l${k}`), G, SPACE.G],
      },
      lay.part,
    );
    rec.flat(list, pipes.colsum, [T * B, G, l.dgx, G, w.at(`bias_ih_l${k}`), gru ? 0 : 1, w.at(`bias_hh_l${k}`)], G);
    if (gru) rec.flat(list, pipes.colsum, [T * B, G, l.dgh, G, w.at(`bias_hh_l${k}`), 0, 0], G);
  });
}

/** The head's weight and bias gradients. */
function recordHeadGradients(c: Ctx, list: Dispatch[]): void {
  const { lay, w, rec, pipes } = c;
  const { units: H, outputSize: O } = c.spec;
  rec.gradient(
    list,
    {
      M: O,
      N: H,
      K: c.rows,
      a: [lay.dOut, 1, O, SPACE.WS],
      b: [topOutputs(c), H, 1, SPACE.WS],
      c: [w.at('fc.weight'), H, SPACE.G],
    },
    lay.part,
  );
  rec.flat(list, pipes.colsum, [c.rows, O, lay.dOut, O, w.at('fc.bias'), 0, 0], O);
}

/** The backward pass, in dispatch order: the gradients through the layers, then the weights' gradients. */
function recordBackward(c: Ctx, list: Dispatch[]): void {
  recordBackThroughLayers(c, list);
  recordLayerGradients(c, list);
  recordHeadGradients(c, list);
}

/**
 * Lays out the workspace of B windows of T steps and records its dispatches.
 * @throws {@link BackendError} when the workspace exceeds the device's largest binding, or a grid its limits
 * @internal
 */
export function createPlan(
  device: GpuDevice,
  pipes: Pipelines,
  buffers: { P: GpuBuffer; G: GpuBuffer; PK: GpuBuffer; misc: GpuBuffer; step: GpuBuffer },
  spec: RecurrentSpec,
  config: TrainConfig,
  w: WeightMap,
  B: number,
  T: number,
  training: boolean,
): Plan {
  const drop = training && config.dropout > 0 && spec.layers > 1;
  const lay = layoutWorkspace(spec, config, B, T, training, drop);
  const bytes = lay.floats * 4;
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  if (bytes > limit) {
    throw new BackendError(
      `a batch of ${B} windows x ${T} steps needs ${(bytes / 2 ** 20).toFixed(1)} MiB of GPU workspace ` +
        `(${spec.cell}, ${spec.units} units x ${spec.layers} layers), ` +
        `more than this GPU's largest buffer binding of ${(limit / 2 ** 20).toFixed(0)} MiB`,
      { hint: 'use a smaller batchSize or lookback' },
    );
  }
  const rec = new Recorder(device.limits.maxComputeWorkgroupsPerDimension, pipes);
  const c: Ctx = {
    spec,
    config,
    B,
    T,
    G: gateCount(spec.cell) * spec.units,
    rows: config.loss === 'xent' ? T * B : B,
    drop,
    lay,
    w,
    pipes,
    rec,
  };
  const forward: Dispatch[] = [];
  const loss: Dispatch[] = [];
  const backward: Dispatch[] = [];
  recordForward(c, forward);
  recordLoss(c, loss);
  if (training) recordBackward(c, backward);
  const ws = device.createBuffer({
    size: bytes,
    usage: USAGE.STORAGE | USAGE.COPY_DST | USAGE.COPY_SRC,
    label: `stockcast-ws-${B}x${T}`,
  });
  const uniforms = uniformSlots(device, rec.words);
  const entries = [uniforms, buffers.step, ws, buffers.P, buffers.G, buffers.PK, buffers.misc].map(
    (buffer, binding) => ({ binding, resource: binding === 0 ? { buffer, size: 128 } : { buffer } }),
  );
  const group = device.createBindGroup({ layout: pipes.mainLayout, entries });
  return { B, T, training, ws, group, uniforms, X: lay.X, Y: lay.Y, out: lay.out, forward, loss, backward, bytes };
}
