/** The fused engine's scratch memory for one batch shape: time-major activations and gradients per layer (byte offsets). */
import type { TrainConfig } from '../engine.js';
import { gateCount, type RecurrentSpec } from '../weights.js';
import type { KernelArena } from './kernels.js';

/** Buffers of one layer. */
export interface LayerBuffers {
  /** Features per step entering this layer. */
  inSize: number;
  /** Input projections [T,B,GH]; after each step they hold the gate activations (rnn: h itself). */
  P: number;
  /** Hidden states [(T+1),B,H], h_{-1} = 0 first. */
  Hs: number;
  /** LSTM cell states [(T+1),B,H] and their tanh [T,B,H]. */
  Cs: number;
  TC: number;
  /** GRU recurrent pre-activations [T,B,3H] (gh_n is needed by the backward pass). */
  GH: number;
  /** Dropout on this layer's output: mask and masked copy, [T,B,H]. */
  mask: number;
  Xd: number;
  /** Pre-activation gradients [T,B,GH], input side and (GRU only) recurrent side. */
  dGx: number;
  dGh: number;
  /** Gradient reaching this layer's outputs from above [T,B,H]. */
  dHin: number;
}

/** All scratch buffers of one batch shape. */
export interface Workspace {
  /** Whether the last forward pass applied dropout masks. */
  dropped: boolean;
  B: number;
  T: number;
  /** The batch's inputs, time-major [T,B,F]. */
  X0: number;
  layers: LayerBuffers[];
  /** Head outputs ([B,O], or [T*B,O] logits) and their gradient. */
  out: number;
  dOut: number;
  /** Per-step scratch [B,H]: total dh, the carried dh, the carried dc. */
  D: number;
  dh: number;
  dc: number;
}

/** Lays out every buffer a forward (and, when training, backward) pass over B windows of T steps needs. */
export function allocateWorkspace(arena: KernelArena, spec: RecurrentSpec, config: TrainConfig, B: number, T: number, training: boolean): Workspace {
  const { units: H, layers: L, inputSize: F, outputSize: O, cell } = spec;
  const GH = gateCount(cell) * H;
  const a = (n: number) => arena.alloc(n);
  const X0 = a(T * B * F);
  const layers: LayerBuffers[] = [];
  for (let k = 0; k < L; k++) {
    const Hs = a((T + 1) * B * H);
    const dropout = training && config.dropout > 0 && k < L - 1;
    layers.push({
      inSize: k === 0 ? F : H,
      Hs,
      P: cell === 'rnn' ? Hs + B * H * 4 : a(T * B * GH),
      Cs: cell === 'lstm' ? a((T + 1) * B * H) : 0,
      TC: cell === 'lstm' ? a(T * B * H) : 0,
      GH: cell === 'gru' ? a(T * B * GH) : 0,
      mask: dropout ? a(T * B * H) : 0,
      Xd: dropout ? a(T * B * H) : 0,
      dGx: training ? a(T * B * GH) : 0,
      dGh: training && cell === 'gru' ? a(T * B * GH) : 0,
      dHin: training ? a(T * B * H) : 0,
    });
  }
  const rows = config.loss === 'xent' ? T * B : B;
  return { dropped: false, B, T, X0, layers, out: a(rows * O), dOut: a(rows * O), D: a(B * H), dh: a(B * H), dc: a(B * H) };
}
