/**
 * Recording dispatches: each dispatch's parameter words go into a 256-byte slot of one uniform buffer (read
 * with a dynamic offset), and dense products are described once (operands, strides, start value) and turned
 * into the product kernel's words, with split-K for weight gradients.
 */
import { BackendError } from '../../../errors.js';
import type { GpuBuffer, GpuComputePipeline, GpuDevice } from './gpu-types.js';
import { USAGE } from './gpu-types.js';
import { INIT, SPACE, TILE } from './wgsl-products.js';

/** One dispatch: a kernel, its parameter slot (256 bytes each) and its workgroup grid. @internal */
export interface Dispatch {
  pipeline: GpuComputePipeline;
  slot: number;
  x: number;
  y: number;
  z: number;
}

/**
 * A dense product C = start + A B: operands as (offset, row stride, column stride, space), C as (offset, ldc,
 * space). @internal
 */
export interface Product {
  M: number;
  N: number;
  K: number;
  a: [number, number, number, number];
  b: [number, number, number, number];
  c: [number, number, number];
  init?: { kind: number; off?: number; space?: number };
  /** Workspace offset of a mask to scale C by, element for element (dropout's backward). */
  mask?: number;
}

/** Rows of K per split-K chunk, and the most chunks. */
const SPLIT_K = 1024;
const MAX_SPLITS = 64;

/**
 * How many chunks a product's K is split into: only products of few tiles over a long K (weight gradients over
 * every step of every row), so that enough workgroups run; 1 otherwise.
 * @internal
 */
export function kSplits(M: number, N: number, K: number): number {
  const tiles = Math.ceil(M / TILE) * Math.ceil(N / TILE);
  if (K < 2 * SPLIT_K || tiles >= 64) return 1;
  const chunk = Math.ceil(Math.ceil(K / Math.min(MAX_SPLITS, Math.ceil(K / SPLIT_K))) / 16) * 16;
  return Math.ceil(K / chunk);
}

function productWords(p: Product, kChunk = 0, partOff = 0): number[] {
  const init = p.init ?? { kind: INIT.ZERO };
  return [
    p.M,
    p.N,
    p.K,
    ...p.a,
    ...p.b,
    ...p.c,
    init.kind,
    init.off ?? 0,
    p.mask ?? 0,
    p.mask === undefined ? 0 : 1,
    init.space ?? SPACE.P,
    kChunk,
    partOff,
  ];
}

/** Parameter words of the dispatches being recorded. @internal */
export class Recorder {
  readonly words: number[][] = [];
  constructor(
    private readonly maxGroups: number,
    private readonly kernels: { product: GpuComputePipeline; reduce: GpuComputePipeline },
  ) {}

  push(list: Dispatch[], pipeline: GpuComputePipeline, words: number[], x: number, y = 1, z = 1): void {
    if (Math.max(x, y, z) > this.maxGroups)
      throw new BackendError(
        `a dispatch of ${x} x ${y} x ${z} workgroups exceeds this GPU's ${this.maxGroups} per dimension`,
        { hint: 'use a smaller batchSize or lookback' },
      );
    list.push({ pipeline, slot: this.words.length, x, y, z });
    this.words.push(words);
  }

  /** A 1-D launch of n invocations in 256-wide workgroups, spread over two dimensions when it must be. */
  flat(list: Dispatch[], pipeline: GpuComputePipeline, words: number[], n: number): void {
    const groups = Math.max(1, Math.ceil(n / 256));
    const x = Math.min(groups, this.maxGroups);
    this.push(list, pipeline, words, x, Math.ceil(groups / x));
  }

  /** A product on 64 x 64 output tiles. */
  product(list: Dispatch[], p: Product): void {
    this.push(list, this.kernels.product, productWords(p), Math.ceil(p.N / TILE), Math.ceil(p.M / TILE));
  }

  /** A weight gradient: split over K into partials at `part` when it has few tiles, then added in chunk order. */
  gradient(list: Dispatch[], p: Product, part: number): void {
    const S = kSplits(p.M, p.N, p.K);
    if (S === 1) {
      this.product(list, p);
      return;
    }
    const chunk = Math.ceil(p.K / S / 16) * 16;
    this.push(
      list,
      this.kernels.product,
      productWords(p, chunk, part),
      Math.ceil(p.N / TILE),
      Math.ceil(p.M / TILE),
      S,
    );
    this.flat(list, this.kernels.reduce, [p.M * p.N, S, part, p.c[0], p.c[1], p.N, p.c[2]], p.M * p.N);
  }
}

/** The uniform buffer holding parameter words, one 256-byte slot each. @internal */
export function uniformSlots(device: GpuDevice, words: number[][]): GpuBuffer {
  const data = new Uint32Array(Math.max(1, words.length) * 64);
  words.forEach((w, i) => data.set(w, i * 64));
  const buffer = device.createBuffer({
    size: data.byteLength,
    usage: USAGE.UNIFORM | USAGE.COPY_DST,
    label: 'stockcast-params',
  });
  device.queue.writeBuffer(buffer, 0, data);
  return buffer;
}
