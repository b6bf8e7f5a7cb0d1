/**
 * A batch shape's plan: the workspace (every activation of B windows of T steps, time-major as in the fused
 * engine) in one GPU buffer, and the dispatches of the forward pass, the loss and the backward pass with their
 * parameter words, written once, so a batch only uploads its windows and records the same commands.
 */
import { BackendError } from '../../../errors.js';
import type { TrainConfig } from '../engine.js';
import { gateCount, type RecurrentSpec } from '../weights.js';
import type { GpuBindGroup, GpuBuffer, GpuComputePipeline, GpuDevice } from './gpu-types.js';
import { USAGE } from './gpu-types.js';
import type { Pipelines } from './pipelines.js';
import { INIT, SPACE, TILE } from './wgsl-products.js';

/** One dispatch: a kernel, its parameter slot (256 bytes each) and its workgroup grid. @internal */
export interface Dispatch {
  pipeline: GpuComputePipeline;
  slot: number;
  x: number;
  y: number;
  z: number;
}

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

/** Parameter words of the dispatches being recorded, and the list they go to. */
class Recorder {
  readonly words: number[][] = [];
  constructor(private readonly maxGroups: number) {}
  push(list: Dispatch[], pipeline: GpuComputePipeline, words: number[], x: number, y = 1, z = 1): void {
    if (Math.max(x, y, z) > this.maxGroups) throw new BackendError(`a dispatch of ${x} x ${y} x ${z} workgroups exceeds this GPU's ${this.maxGroups} per dimension`, { hint: 'use a smaller batchSize or lookback' });
    list.push({ pipeline, slot: this.words.length, x, y, z });
    this.words.push(words);
  }
  /** A 1-D launch of n invocations in 256-wide workgroups, spread over two dimensions when it must be. */
  flat(list: Dispatch[], pipeline: GpuComputePipeline, words: number[], n: number): void {
    const groups = Math.max(1, Math.ceil(n / 256));
    const x = Math.min(groups, this.maxGroups);
    this.push(list, pipeline, words, x, Math.ceil(groups / x));
  }
}

/** The uniform buffer holding parameter words, one 256-byte slot each. @internal */
export function uniformSlots(device: GpuDevice, words: number[][]): GpuBuffer {
  const data = new Uint32Array(Math.max(1, words.length) * 64);
  words.forEach((w, i) => data.set(w, i * 64));
  const buffer = device.createBuffer({ size: data.byteLength, usage: USAGE.UNIFORM | USAGE.COPY_DST, label: 'stockcast-params' });
  device.queue.writeBuffer(buffer, 0, data);
  return buffer;
}

const f32bits = (v: number) => new Uint32Array(new Float32Array([v]).buffer)[0];

/** Rows of K per split-K chunk, and the K below which products never split. */
const SPLIT_K = 1024;
const MAX_SPLITS = 64;

/**
 * How many chunks a product's K is split into: only products of few tiles over a long K (weight gradients over
 * every step of every row), so that enough workgroups run; 1 otherwise.
 */
export function kSplits(M: number, N: number, K: number): number {
  const tiles = Math.ceil(M / TILE) * Math.ceil(N / TILE);
  if (K < 2 * SPLIT_K || tiles >= 64) return 1;
  const chunk = Math.ceil(Math.ceil(K / Math.min(MAX_SPLITS, Math.ceil(K / SPLIT_K))) / 16) * 16;
  return Math.ceil(K / chunk);
}

interface Product {
  M: number; N: number; K: number;
  a: [number, number, number, number]; // offset, row stride, column stride, space
  b: [number, number, number, number];
  c: [number, number, number]; // offset, ldc, space
  init?: { kind: number; off?: number; space?: number };
  mask?: number;
}

function productWords(p: Product, kChunk = 0, partOff = 0): number[] {
  const init = p.init ?? { kind: INIT.ZERO };
  return [p.M, p.N, p.K, ...p.a, ...p.b, ...p.c, init.kind, init.off ?? 0, p.mask ?? 0, p.mask === undefined ? 0 : 1, init.space ?? SPACE.P, kChunk, partOff];
}

/** Lays out the workspace of B windows of T steps and records its dispatches. @internal */
export function createPlan(device: GpuDevice, pipes: Pipelines, buffers: { P: GpuBuffer; G: GpuBuffer; PK: GpuBuffer; misc: GpuBuffer; step: GpuBuffer }, spec: RecurrentSpec, config: TrainConfig, w: WeightMap, B: number, T: number, training: boolean): Plan {
  const { units: H, layers: L, inputSize: F, outputSize: O, cell } = spec;
  const G = gateCount(cell) * H;
  const xent = config.loss === 'xent';
  const rows = xent ? T * B : B;
  const drop = training && config.dropout > 0 && L > 1;
  let used = 0;
  const alloc = (n: number) => {
    const at = used;
    used += Math.ceil(Math.max(n, 1) / 64) * 64;
    return at;
  };
  const perTarget = xent ? T : O / (config.quantiles?.length ?? 1);
  const X = alloc(T * B * F), Y = alloc(B * perTarget), out = alloc(rows * O), dOut = alloc(rows * O), rowLoss = alloc(B);
  const layers = Array.from({ length: L }, (_, k) => ({
    pre: alloc(T * B * G),
    hs: alloc((T + 1) * B * H),
    cs: cell === 'lstm' ? alloc((T + 1) * B * H) : 0,
    tc: cell === 'lstm' ? alloc(T * B * H) : 0,
    gh: cell === 'gru' ? alloc(T * B * H) : 0,
    mask: drop && k < L - 1 ? alloc(T * B * H) : 0,
    xd: drop && k < L - 1 ? alloc(T * B * H) : 0,
    dgx: training ? alloc(T * B * G) : 0,
    dgh: training && cell === 'gru' ? alloc(T * B * G) : 0,
    din: training ? alloc(T * B * H) : 0,
  }));
  // Split-K partials of the weight-gradient products: room for the largest.
  const gradShapes = training ? [...layers.flatMap((_, k) => [[k === 0 ? F : H, G], [H, G]]), [O, H, rows]].map(([M, N, K]) => [M, N, K ?? T * B]) : [];
  const part = alloc(Math.max(0, ...gradShapes.map(([M, N, K]) => (kSplits(M, N, K) > 1 ? kSplits(M, N, K) * M * N : 0))));
  const bytes = used * 4;
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  if (bytes > limit) {
    throw new BackendError(`a batch of ${B} windows x ${T} steps needs ${(bytes / 2 ** 20).toFixed(1)} MiB of GPU workspace (${cell}, ${H} units x ${L} layers), more than this GPU's largest buffer binding of ${(limit / 2 ** 20).toFixed(0)} MiB`, { hint: 'use a smaller batchSize or lookback' });
  }
  const ws = device.createBuffer({ size: bytes, usage: USAGE.STORAGE | USAGE.COPY_DST | USAGE.COPY_SRC, label: `stockcast-ws-${B}x${T}` });
  const rec = new Recorder(device.limits.maxComputeWorkgroupsPerDimension);
  const fwd: Dispatch[] = [], lossList: Dispatch[] = [], bwd: Dispatch[] = [];
  const product = (list: Dispatch[], p: Product) => rec.push(list, pipes.product, productWords(p), Math.ceil(p.N / TILE), Math.ceil(p.M / TILE));
  // A weight gradient: split over K when it has few tiles, then the partials added in chunk order.
  const gradProduct = (list: Dispatch[], p: Product) => {
    const S = kSplits(p.M, p.N, p.K);
    if (S === 1) return product(list, p);
    const chunk = Math.ceil(p.K / S / 16) * 16;
    rec.push(list, pipes.product, productWords(p, chunk, part), Math.ceil(p.N / TILE), Math.ceil(p.M / TILE), S);
    rec.flat(list, pipes.reduce, [p.M * p.N, S, part, p.c[0], p.c[1], p.N, p.c[2]], p.M * p.N);
  };
  const input = (k: number): [number, number] => (k === 0 ? [X, F] : drop ? [layers[k - 1].xd, H] : [layers[k - 1].hs + B * H, H]);
  const WS = SPACE.WS;

  if (drop) rec.flat(fwd, pipes.mask, [B, T, H, L - 1, ...layers.slice(0, L - 1).map((l) => l.mask)], (L - 1) * T * B * H);
  layers.forEach((l, k) => {
    const [inOff, inSize] = input(k);
    product(fwd, { M: T * B, N: G, K: inSize, a: [inOff, inSize, 1, WS], b: [w.at(`weight_ih_l${k}`), G, 1, SPACE.P], c: [l.pre, G, WS], init: { kind: INIT.BIAS, off: w.packed(k) + G * H, space: SPACE.PK } });
    rec.push(fwd, pipes.forward, [B, T, l.pre, l.hs, l.cs, l.tc, l.gh, w.at(`weight_hh_l${k}`), w.at(`bias_hh_l${k}`), l.mask, l.xd, drop && k < L - 1 ? 1 : 0], Math.ceil(B / pipes.shape.RB));
  });
  const top = layers[L - 1];
  const topOff = xent ? top.hs + B * H : top.hs + T * B * H;
  product(fwd, { M: rows, N: O, K: H, a: [topOff, H, 1, WS], b: [w.at('fc.weight'), 1, H, SPACE.P], c: [out, O, WS], init: { kind: INIT.BIAS, off: w.at('fc.bias'), space: SPACE.P } });

  rec.flat(lossList, pipes.loss, [B, T, O, out, dOut, Y, rowLoss, config.quantiles?.length ?? 0, MISC.LEVELS], B);
  rec.push(lossList, pipes.batchLoss, [B, rowLoss, f32bits(xent ? T * B : B * O), MISC.LOSS], 1);

  if (training) {
    product(bwd, { M: rows, N: H, K: O, a: [dOut, O, 1, WS], b: [w.at('fc.weight'), H, 1, SPACE.P], c: [top.din, H, WS] });
    for (let k = L - 1; k >= 0; k--) {
      const l = layers[k];
      const dinFirst = k === L - 1 && !xent ? T - 1 : 0;
      rec.push(bwd, pipes.backward, [B, T, l.pre, l.hs, l.cs, l.tc, l.gh, w.packed(k), l.din, dinFirst, l.dgx, l.dgh], Math.ceil(B / pipes.shape.RB));
      if (k > 0) {
        const mask = drop ? layers[k - 1].mask : undefined;
        product(bwd, { M: T * B, N: H, K: G, a: [l.dgx, G, 1, WS], b: [w.at(`weight_ih_l${k}`), 1, G, SPACE.P], c: [layers[k - 1].din, H, WS], mask });
      }
    }
    layers.forEach((l, k) => {
      const [inOff, inSize] = input(k);
      const dgRec = cell === 'gru' ? l.dgh : l.dgx;
      gradProduct(bwd, { M: inSize, N: G, K: T * B, a: [inOff, 1, inSize, WS], b: [l.dgx, G, 1, WS], c: [w.at(`weight_ih_l${k}`), G, SPACE.G] });
      gradProduct(bwd, { M: H, N: G, K: T * B, a: [l.hs, 1, H, WS], b: [dgRec, G, 1, WS], c: [w.at(`weight_hh_l${k}`), G, SPACE.G] });
      const gru = cell === 'gru';
      rec.flat(bwd, pipes.colsum, [T * B, G, l.dgx, G, w.at(`bias_ih_l${k}`), gru ? 0 : 1, w.at(`bias_hh_l${k}`)], G);
      if (gru) rec.flat(bwd, pipes.colsum, [T * B, G, l.dgh, G, w.at(`bias_hh_l${k}`), 0, 0], G);
    });
    gradProduct(bwd, { M: O, N: H, K: rows, a: [dOut, 1, O, WS], b: [topOff, H, 1, WS], c: [w.at('fc.weight'), H, SPACE.G] });
    rec.flat(bwd, pipes.colsum, [rows, O, dOut, O, w.at('fc.bias'), 0, 0], O);
  }
  const uniforms = uniformSlots(device, rec.words);
  const group = device.createBindGroup({
    layout: pipes.mainLayout,
    entries: [
      { binding: 0, resource: { buffer: uniforms, size: 128 } },
      { binding: 1, resource: { buffer: buffers.step } },
      { binding: 2, resource: { buffer: ws } },
      { binding: 3, resource: { buffer: buffers.P } },
      { binding: 4, resource: { buffer: buffers.G } },
      { binding: 5, resource: { buffer: buffers.PK } },
      { binding: 6, resource: { buffer: buffers.misc } },
    ],
  });
  return { B, T, training, ws, group, uniforms, X, Y, out, forward: fwd, loss: lossList, backward: bwd, bytes };
}
