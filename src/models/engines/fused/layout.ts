/**
 * Where the fused engine keeps everything in its memory, and the descriptor the C driver reads
 * (csrc/model.h: the D_* and L_* words, same order). Persistent buffers (parameters, gradients, optimizer
 * moments, packed weights) are laid out once; a workspace per batch shape holds the time-major activations.
 */
import { CELLS } from '../../../vocabulary.js';
import { BackendError } from '../../../errors.js';
import type { TrainConfig } from '../engine.js';
import { gateCount, type RecurrentSpec } from '../weights.js';
import { EngineMemory, formatBytes } from './memory.js';
import type { Param } from './params.js';

/** Model-wide descriptor words (csrc/model.h D_*). */
export const D = {
  CELL: 0,
  F: 1,
  H: 2,
  L: 3,
  O: 4,
  LOSS: 5,
  B: 6,
  T: 7,
  DROP: 8,
  X0: 9,
  OUT: 10,
  DOUT: 11,
  D: 12,
  DH: 13,
  DC: 14,
  FCW: 15,
  FCB: 16,
  GFCW: 17,
  GFCB: 18,
  FCP: 19,
  FCTP: 20,
  FCBP: 21,
  TILES: 22,
  LAYERS: 23,
} as const;
/** Per-layer words (csrc/model.h L_*), at D.LAYERS + k * LW.WORDS. */
export const LW = {
  WIH: 0,
  WHH: 1,
  BIH: 2,
  BHH: 3,
  GWIH: 4,
  GWHH: 5,
  GBIH: 6,
  GBHH: 7,
  WIHP: 8,
  WHHP: 9,
  WHHTP: 10,
  WIHTP: 11,
  BINP: 12,
  BHHP: 13,
  P: 14,
  HS: 15,
  CS: 16,
  TC: 17,
  GHB: 18,
  MASK: 19,
  XD: 20,
  DGX: 21,
  DGH: 22,
  DHIN: 23,
  WORDS: 24,
} as const;
/**
 * Words only the TypeScript side reads, after the layers: batch targets, per-row losses, dropout keep and seed,
 * the quantile head's levels (offset of K float64 values, and K; 0 without quantiles), and QLIKE's per-row
 * factors to log-variance units (offset of B float32 values; 0 for other losses).
 */
export const JW = { Y: 0, ROWLOSS: 1, KEEP: 2, SEED: 3, QLEVELS: 4, QK: 5, QSCALE: 6, WORDS: 7 } as const;

/** Descriptor words for L layers. */
export function descWords(layers: number): number {
  return D.LAYERS + layers * LW.WORDS + JW.WORDS;
}

/** Offset of the TypeScript-only words. */
export function jsWord(layers: number, word: number): number {
  return D.LAYERS + layers * LW.WORDS + word;
}

/** Packed-panel sizes, from the kernels (they depend on the micro-kernel's width). */
type PackedFloats = (K: number, N: number) => number;

/** Float counts of the persistent packed weights and padded biases of a spec (csrc/model.h pack_model). */
function packedSizes(spec: RecurrentSpec, packed: PackedFloats): number[][] {
  const { units: H, layers: L, inputSize: F, outputSize: O, cell } = spec;
  const G = gateCount(cell) * H;
  const out: number[][] = [];
  for (let k = 0; k < L; k++) {
    const inS = k === 0 ? F : H;
    out.push([
      packed(inS, G),
      packed(H, G),
      packed(G, H),
      k > 0 ? packed(G, inS) : 0,
      packed(1, G),
      cell === 'gru' ? packed(1, G) : 0,
    ]);
  }
  out.push([packed(H, O), packed(O, H), packed(1, O)]);
  return out;
}

/** Float counts of one workspace's buffers, in allocation order. */
function workspaceSizes(
  spec: RecurrentSpec,
  config: TrainConfig,
  B: number,
  T: number,
  training: boolean,
): { shared: number[]; layers: number[][] } {
  const { units: H, layers: L, inputSize: F, outputSize: O, cell } = spec;
  const G = gateCount(cell) * H;
  const rows = config.loss === 'xent' ? T * B : B;
  const targets = config.loss === 'xent' ? B * T : B * O;
  const shared = [T * B * F, rows * O, rows * O, B * H, B * H, B * H, targets, 2 * B, config.loss === 'qlike' ? B : 0];
  const layers: number[][] = [];
  for (let k = 0; k < L; k++) {
    const dropout = training && config.dropout > 0 && k < L - 1;
    layers.push([
      cell === 'rnn' ? 0 : T * B * G,
      (T + 1) * B * H,
      cell === 'lstm' ? (T + 1) * B * H : 0,
      cell === 'lstm' ? T * B * H : 0,
      cell === 'gru' ? T * B * G : 0,
      dropout ? T * B * H : 0,
      dropout ? T * B * H : 0,
      training ? T * B * G : 0,
      training && cell === 'gru' ? T * B * G : 0,
      training ? T * B * H : 0,
    ]);
  }
  return { shared, layers };
}

/** Bytes of a list of buffer sizes in floats, each rounded up as the engine allocates it. */
const bytesOf = (sizes: number[]) => sizes.reduce((s, n) => s + (n > 0 ? EngineMemory.size(n) : 0), 0);

/** The persistent part: parameter blocks and packed weights, written into the descriptor. */
export interface Persistent {
  P: number;
  G: number;
  M: number;
  V: number;
  desc: number;
  counter: number;
}

/** Allocates the persistent buffers and fills the descriptor's weight words. @internal */
export function allocatePersistent(
  mem: EngineMemory,
  spec: RecurrentSpec,
  config: TrainConfig,
  params: Param[],
  total: number,
): Persistent {
  const [P, G, M, V] = [total, total, total, total].map((n) => mem.alloc(n));
  const desc = mem.alloc(descWords(spec.layers) * 2);
  const counter = mem.alloc(16);
  const levels = config.quantiles ? mem.alloc(config.quantiles.length * 2) : 0;
  if (config.quantiles) new Float64Array(mem.buffer(), levels, config.quantiles.length).set(config.quantiles);
  const packed = packedSizes(spec, (K, N) => mem.kernels.packed_floats(K, N)).map((l) =>
    l.map((n) => (n > 0 ? mem.alloc(n) : 0)),
  );
  const d = new Float64Array(mem.buffer(), desc, descWords(spec.layers));
  const at = (block: number, name: string) => block + params.find((p) => p.name === name)!.offset * 4;
  const { units: H, layers: L, inputSize: F, outputSize: O, cell } = spec;
  for (let k = 0; k < L; k++) {
    const w = D.LAYERS + k * LW.WORDS;
    [`weight_ih_l${k}`, `weight_hh_l${k}`, `bias_ih_l${k}`, `bias_hh_l${k}`].forEach((n, i) => {
      d[w + i] = at(P, n);
      d[w + LW.GWIH + i] = at(G, n);
    });
    packed[k].forEach((ptr, i) => (d[w + LW.WIHP + i] = ptr));
  }
  const loss = config.loss === 'xent' ? 1 : 0; // the kernels know many-to-one (mse, qlike) and every-step (xent)
  const model = { [D.CELL]: CELLS.indexOf(cell), [D.F]: F, [D.H]: H, [D.L]: L, [D.O]: O };
  Object.assign(d, { ...model, [D.LOSS]: loss });
  d[jsWord(L, JW.QLEVELS)] = levels;
  d[jsWord(L, JW.QK)] = config.quantiles?.length ?? 0;
  Object.assign(d, {
    [D.FCW]: at(P, 'fc.weight'),
    [D.FCB]: at(P, 'fc.bias'),
    [D.GFCW]: at(G, 'fc.weight'),
    [D.GFCB]: at(G, 'fc.bias'),
    [D.FCP]: packed[L][0],
    [D.FCTP]: packed[L][1],
    [D.FCBP]: packed[L][2],
  });
  return { P, G, M, V, desc, counter };
}

/** One batch shape's workspace. */
export interface Workspace {
  /** The most windows it holds. */
  capacity: number;
  /** Windows in the current batch (at most `capacity`; the descriptor's B). */
  B: number;
  T: number;
  training: boolean;
  /** Byte offsets the TypeScript side reads and writes. */
  X0: number;
  Y: number;
  /** QLIKE's per-row factors (0 for other losses). */
  qscale: number;
  out: number;
  dOut: number;
  rowLoss: number;
  masks: number[];
}

/**
 * Lays out a workspace for B windows of T steps after `mark` and writes it into the descriptor; checks the
 * whole size against the memory limit first, so an oversized batch fails before anything is allocated.
 * @internal
 */
export function allocateWorkspace(
  mem: EngineMemory,
  mark: number,
  spec: RecurrentSpec,
  config: TrainConfig,
  desc: number,
  B: number,
  T: number,
  training: boolean,
): Workspace {
  const sizes = workspaceSizes(spec, config, B, T, training);
  const need = mark + bytesOf(sizes.shared) + bytesOf(sizes.layers.flat());
  if (need > mem.limit) {
    throw new BackendError(
      `a batch of ${B} windows x ${T} steps needs about ${formatBytes(need)} of engine memory (${spec.cell}, ${spec.units} units x ${spec.layers} layers), more than the limit of ${formatBytes(mem.limit)}`,
      {
        hint: 'use a smaller batchSize, lookback or units, or engine: "tfjs"',
      },
    );
  }
  mem.reset(mark);
  const a = (n: number) => (n > 0 ? mem.alloc(n) : 0);
  const [X0, out, dOut, Dm, dh, dc, Y, rowLoss, qscale] = sizes.shared.map(a);
  const layerPtrs = sizes.layers.map((l) => l.map(a));
  const L = spec.layers;
  const d = new Float64Array(mem.buffer(), desc, descWords(L));
  Object.assign(d, {
    [D.B]: B,
    [D.T]: T,
    [D.DROP]: training && config.dropout > 0 && L > 1 ? 1 : 0,
    [D.X0]: X0,
    [D.OUT]: out,
    [D.DOUT]: dOut,
    [D.D]: Dm,
    [D.DH]: dh,
    [D.DC]: dc,
  });
  layerPtrs.forEach((p, k) => {
    const w = D.LAYERS + k * LW.WORDS;
    const [Pp, Hs, Cs, TC, GHb, mask, Xd, dGx, dGh, dHin] = p;
    // The RNN has no gate buffer (0): its pre-activations go straight into the next hidden state's slot.
    Object.assign(d, {
      [w + LW.P]: Pp,
      [w + LW.HS]: Hs,
      [w + LW.CS]: Cs,
      [w + LW.TC]: TC,
      [w + LW.GHB]: GHb,
      [w + LW.MASK]: mask,
      [w + LW.XD]: Xd,
      [w + LW.DGX]: dGx,
      [w + LW.DGH]: dGh,
      [w + LW.DHIN]: dHin,
    });
  });
  d[jsWord(L, JW.Y)] = Y;
  d[jsWord(L, JW.ROWLOSS)] = rowLoss;
  d[jsWord(L, JW.KEEP)] = 1 - config.dropout;
  d[jsWord(L, JW.QSCALE)] = qscale;
  return { capacity: B, B, T, training, X0, Y, qscale, out, dOut, rowLoss, masks: layerPtrs.map((p) => p[5]) };
}
