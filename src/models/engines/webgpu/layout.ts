/** Where a batch shape's activations, gradients and split-K partials lie in its one workspace buffer. */
import type { TrainConfig } from '../engine.js';
import { gateCount, type RecurrentSpec } from '../weights.js';
import { kSplits } from './record.js';

/** The float offsets of one layer's buffers in the workspace (0 where the layer has none). @internal */
export interface LayerBuffers {
  pre: number;
  hs: number;
  cs: number;
  tc: number;
  gh: number;
  mask: number;
  xd: number;
  dgx: number;
  dgh: number;
  din: number;
}

/** A workspace layout: shared buffers, per-layer buffers, split-K partials, and its size. @internal */
export interface Layout {
  X: number;
  Y: number;
  out: number;
  dOut: number;
  rowLoss: number;
  part: number;
  layers: LayerBuffers[];
  floats: number;
}

/**
 * Lays out the workspace of B windows of T steps: 64-float aligned buffers, those a layer does not use left out.
 * @internal
 */
export function layoutWorkspace(
  spec: RecurrentSpec,
  config: TrainConfig,
  B: number,
  T: number,
  training: boolean,
  drop: boolean,
): Layout {
  const { units: H, layers: L, inputSize: F, outputSize: O, cell } = spec;
  const G = gateCount(cell) * H;
  const rows = config.loss === 'xent' ? T * B : B;
  let used = 0;
  const alloc = (n: number) => {
    const at = used;
    used += Math.ceil(Math.max(n, 1) / 64) * 64;
    return at;
  };
  const perTarget = config.loss === 'xent' ? T : O / (config.quantiles?.length ?? 1);
  const shared = {
    X: alloc(T * B * F),
    Y: alloc(B * perTarget),
    out: alloc(rows * O),
    dOut: alloc(rows * O),
    rowLoss: alloc(B),
  };
  const some = (when: boolean, n: number) => (when ? alloc(n) : 0);
  const layers = Array.from({ length: L }, (_, k) => ({
    pre: alloc(T * B * G),
    hs: alloc((T + 1) * B * H),
    cs: some(cell === 'lstm', (T + 1) * B * H),
    tc: some(cell === 'lstm', T * B * H),
    gh: some(cell === 'gru', T * B * H),
    mask: some(drop && k < L - 1, T * B * H),
    xd: some(drop && k < L - 1, T * B * H),
    dgx: some(training, T * B * G),
    dgh: some(training && cell === 'gru', T * B * G),
    din: some(training, T * B * H),
  }));
  // Split-K partials of the weight-gradient products: room for the largest.
  const shapes = training
    ? [
        ...layers.flatMap((_, k) => [
          [k === 0 ? F : H, G, T * B],
          [H, G, T * B],
        ]),
        [O, H, rows],
      ]
    : [];
  const part = alloc(Math.max(0, ...shapes.map(([M, N, K]) => (kSplits(M, N, K) > 1 ? kSplits(M, N, K) * M * N : 0))));
  return { ...shared, part, layers, floats: used };
}
