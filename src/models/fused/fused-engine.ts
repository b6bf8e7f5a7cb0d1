/**
 * The fused CPU engine: a whole-sequence forward and an explicit backward-through-time per layer on contiguous
 * float32 buffers in WebAssembly memory, with batch-level SIMD products and the optimizer update fused.
 * No tensors, no tape, no per-step allocation; the same math, weights and results as the tfjs engine.
 */
import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import type { Rng } from '../../util/random.js';
import type { EngineData, Gradients, RecurrentEngine, TrainConfig } from '../engine.js';
import { gateCount, type RecurrentSpec, type RecurrentWeights } from '../weights.js';
import { KernelArena, kernelModule } from './kernels.js';
import { crossEntropyLoss, mseLoss } from './losses.js';
import { quantileLoss } from '../quantile-head.js';
import { GradientWorker } from './parallel.js';
import { paramLayout, readParams, writeParams, type Param } from './params.js';
import { allocateWorkspace, type Workspace } from './workspace.js';

const PREDICT_CHUNK = 512;
// Below about this many recurrent multiply-adds per batch, handing half to a worker costs more than it saves.
const PARALLEL_MIN_MACS = 4_000_000;

/** @internal */
export class FusedEngine implements RecurrentEngine {
  readonly kind = 'fused' as const;
  private readonly arena: KernelArena;
  private readonly params: Param[];
  private readonly total: number;
  private readonly P: number;
  private readonly G: number;
  private readonly M: number;
  private readonly V: number;
  private readonly mark: number;
  private ws: Workspace | undefined;
  private step = 0;
  private learningRate: number;
  private readonly threads: number;
  private helper: GradientWorker | undefined;

  constructor(
    readonly spec: RecurrentSpec,
    weights: RecurrentWeights,
    private readonly config: TrainConfig,
  ) {
    const module = kernelModule();
    if (!module) throw new Error('the fused engine is not built (wasm/kernels.wasm is missing)');
    this.arena = new KernelArena(module);
    this.params = paramLayout(spec);
    const last = this.params[this.params.length - 1];
    this.total = last.offset + ((last.size + 3) & ~3);
    this.P = this.arena.alloc(this.total);
    this.G = this.arena.alloc(this.total);
    this.M = this.arena.alloc(this.total);
    this.V = this.arena.alloc(this.total);
    this.mark = this.arena.used;
    this.learningRate = config.learningRate;
    this.threads = config.threads ?? (isMainThread && availableParallelism() >= 2 ? 2 : 1);
    this.setWeights(weights);
  }

  private ptr(name: string, block = this.P): number {
    return block + this.params.find((p) => p.name === name)!.offset * 4;
  }

  private workspace(B: number, T: number, training: boolean): Workspace {
    if (this.ws && this.ws.B === B && this.ws.T === T && (!training || this.ws.layers[0].dGx !== 0)) return this.ws;
    this.arena.reset(this.mark);
    this.ws = allocateWorkspace(this.arena, this.spec, this.config, B, T, training);
    return this.ws;
  }

  /** Copies windows rows[i] into the time-major input [T,B,F]. */
  private loadInput(ws: Workspace, x: Float32Array, rows: ArrayLike<number>): void {
    const { T } = ws;
    const F = this.spec.inputSize;
    const X = this.arena.view(ws.X0, T * rows.length * F);
    const B = rows.length;
    for (let b = 0; b < B; b++) {
      const src = rows[b] * T * F;
      for (let t = 0; t < T; t++) X.set(x.subarray(src + t * F, src + (t + 1) * F), (t * B + b) * F);
    }
  }

  private forward(ws: Workspace, training: boolean, rng?: Rng): void {
    const k_ = this.arena.k;
    const { B, T } = ws;
    const { units: H, cell, outputSize: O } = this.spec;
    const GH = gateCount(cell) * H;
    const BH = B * H;
    let X = ws.X0;
    ws.dropped = training && this.config.dropout > 0;
    ws.layers.forEach((l, k) => {
      const wih = this.ptr(`weight_ih_l${k}`);
      const whh = this.ptr(`weight_hh_l${k}`);
      const bhh = this.ptr(`bias_hh_l${k}`);
      k_.gemm_ab(T * B, GH, l.inSize, X, l.inSize, 1, wih, l.P, 0);
      k_.add_bias(l.P, this.ptr(`bias_ih_l${k}`), T * B, GH);
      if (cell === 'lstm') this.arena.view(l.Cs, BH).fill(0);
      for (let t = 0; t < T; t++) {
        const hPrev = l.Hs + t * BH * 4;
        const h = hPrev + BH * 4;
        const g = l.P + t * B * GH * 4;
        if (cell === 'rnn') {
          k_.gemm_ab(B, H, H, hPrev, H, 1, whh, g, 1);
          k_.add_bias(g, bhh, B, H);
          k_.rnn_forward(g, BH);
        } else if (cell === 'lstm') {
          k_.gemm_ab(B, GH, H, hPrev, H, 1, whh, g, 1);
          k_.add_bias(g, bhh, B, GH);
          k_.lstm_forward(g, l.Cs + t * BH * 4, l.Cs + (t + 1) * BH * 4, l.TC + t * BH * 4, h, B, H);
        } else {
          const gh = l.GH + t * B * GH * 4;
          k_.gemm_ab(B, GH, H, hPrev, H, 1, whh, gh, 0);
          k_.add_bias(gh, bhh, B, GH);
          k_.gru_forward(g, gh, hPrev, h, B, H);
        }
      }
      X = l.Hs + BH * 4;
      if (ws.dropped && l.mask) {
        const keep = 1 - this.config.dropout;
        const mask = this.arena.view(l.mask, T * BH);
        for (let i = 0; i < mask.length; i++) mask[i] = rng!.next() < keep ? 1 / keep : 0;
        const xd = this.arena.view(l.Xd, T * BH);
        const out = this.arena.view(X, T * BH);
        for (let i = 0; i < xd.length; i++) xd[i] = out[i] * mask[i];
        X = l.Xd;
      }
    });
    const top = ws.layers[ws.layers.length - 1];
    const fcW = this.ptr('fc.weight');
    if (this.config.loss === 'mse') k_.gemm_abt(B, O, H, top.Hs + T * BH * 4, fcW, ws.out, 0);
    else k_.gemm_abt(T * B, O, H, top.Hs + BH * 4, fcW, ws.out, 0);
    k_.add_bias(ws.out, this.ptr('fc.bias'), this.config.loss === 'mse' ? B : T * B, O);
  }

  /** Loss and the output gradient for batch rows; y rows are batch-major like EngineData. */
  private lossAndGrad(ws: Workspace, y: Float32Array | Int32Array, rows: ArrayLike<number>): number {
    const O = this.spec.outputSize;
    const size = (this.config.loss === 'mse' ? ws.B : ws.T * ws.B) * O;
    const out = this.arena.view(ws.out, size);
    const grad = this.arena.view(ws.dOut, size);
    if (this.config.quantiles) return quantileLoss(out, grad, y, rows, this.config.quantiles);
    return this.config.loss === 'mse' ? mseLoss(out, grad, y, rows, O) : crossEntropyLoss(out, grad, y as Int32Array, rows, ws.T, O);
  }

  private backward(ws: Workspace): void {
    const k_ = this.arena.k;
    const { B, T } = ws;
    const { units: H, cell, outputSize: O, layers: L } = this.spec;
    const GH = gateCount(cell) * H;
    const BH = B * H;
    this.arena.view(this.G, this.total).fill(0);
    const top = ws.layers[L - 1];
    const fcW = this.ptr('fc.weight');
    const rows = this.config.loss === 'mse' ? B : T * B;
    const hTop = this.config.loss === 'mse' ? top.Hs + T * BH * 4 : top.Hs + BH * 4;
    k_.gemm_ab(O, H, rows, ws.dOut, 1, O, hTop, this.ptr('fc.weight', this.G), 1);
    k_.colsum_acc(ws.dOut, rows, O, this.ptr('fc.bias', this.G));
    if (this.config.loss === 'mse') {
      this.arena.view(top.dHin, (T - 1) * BH).fill(0);
      k_.gemm_ab(B, H, O, ws.dOut, O, 1, fcW, top.dHin + (T - 1) * BH * 4, 0);
    } else {
      k_.gemm_ab(T * B, H, O, ws.dOut, O, 1, fcW, top.dHin, 0);
    }
    for (let k = L - 1; k >= 0; k--) {
      const l = ws.layers[k];
      const whh = this.ptr(`weight_hh_l${k}`);
      const dGh = cell === 'gru' ? l.dGh : l.dGx;
      const dh = this.arena.view(ws.dh, BH).fill(0);
      this.arena.view(ws.dc, BH).fill(0);
      const D = this.arena.view(ws.D, BH);
      for (let t = T - 1; t >= 0; t--) {
        const dIn = this.arena.view(l.dHin + t * BH * 4, BH);
        for (let i = 0; i < BH; i++) D[i] = dIn[i] + dh[i];
        const hPrev = l.Hs + t * BH * 4;
        const gx = l.dGx + t * B * GH * 4;
        if (cell === 'rnn') {
          k_.rnn_backward(hPrev + BH * 4, ws.D, gx, BH);
          k_.gemm_abt(B, H, GH, gx, whh, ws.dh, 0);
        } else if (cell === 'lstm') {
          k_.lstm_backward(l.P + t * B * GH * 4, l.TC + t * BH * 4, l.Cs + t * BH * 4, ws.D, ws.dc, gx, B, H);
          k_.gemm_abt(B, H, GH, gx, whh, ws.dh, 0);
        } else {
          const gh = l.dGh + t * B * GH * 4;
          k_.gru_backward(l.P + t * B * GH * 4, l.GH + t * B * GH * 4, hPrev, ws.D, gx, gh, ws.dh, B, H);
          k_.gemm_abt(B, H, GH, gh, whh, ws.dh, 1);
        }
      }
      // Weight gradients for all time steps in one product each.
      const below = k > 0 ? ws.layers[k - 1] : undefined;
      const X = !below ? ws.X0 : ws.dropped && below.Xd ? below.Xd : below.Hs + BH * 4;
      k_.gemm_ab(H, GH, T * B, l.Hs, 1, H, dGh, this.ptr(`weight_hh_l${k}`, this.G), 1);
      k_.gemm_ab(l.inSize, GH, T * B, X, 1, l.inSize, l.dGx, this.ptr(`weight_ih_l${k}`, this.G), 1);
      k_.colsum_acc(l.dGx, T * B, GH, this.ptr(`bias_ih_l${k}`, this.G));
      k_.colsum_acc(dGh, T * B, GH, this.ptr(`bias_hh_l${k}`, this.G));
      if (below) {
        k_.gemm_abt(T * B, H, GH, l.dGx, this.ptr(`weight_ih_l${k}`), below.dHin, 0);
        if (ws.dropped && below.mask) {
          const d = this.arena.view(below.dHin, T * BH);
          const m = this.arena.view(below.mask, T * BH);
          for (let i = 0; i < d.length; i++) d[i] *= m[i];
        }
      }
    }
  }

  private update(): void {
    const k_ = this.arena.k;
    let scale = 1;
    if (this.config.clipNorm !== undefined) {
      const norm = Math.sqrt(k_.sumsq(this.G, this.total));
      scale = Math.min(1, this.config.clipNorm / (norm + 1e-6));
    }
    const lr = this.learningRate;
    if (this.config.optimizer === 'adam') {
      this.step++;
      k_.adam_step(this.P, this.G, this.M, this.V, this.total, lr, 0.9, 0.999, 1e-8, 1 - 0.9 ** this.step, 1 - 0.999 ** this.step, scale);
    } else if (this.config.optimizer === 'rmsprop') {
      k_.rmsprop_step(this.P, this.G, this.M, this.total, lr, 0.99, 1e-8, scale);
    } else {
      k_.sgd_step(this.P, this.G, this.total, lr, scale);
    }
  }

  /** Forward, loss and backward for some rows (gradients land in the gradient block); returns their mean loss. @internal */
  batchGradients(data: EngineData, rows: ArrayLike<number>, rng?: Rng): number {
    const ws = this.workspace(rows.length, data.steps, true);
    this.loadInput(ws, data.x, rows);
    this.forward(ws, rng !== undefined, rng);
    const loss = this.lossAndGrad(ws, data.y, rows);
    this.backward(ws);
    return loss;
  }

  /** The live parameter block (engine layout). @internal */
  paramBlock(): Float32Array {
    return this.arena.view(this.P, this.total);
  }

  /** The live gradient block (engine layout). @internal */
  gradBlock(): Float32Array {
    return this.arena.view(this.G, this.total);
  }

  /** Whether a batch is worth splitting across two threads: enough multiply-adds per half to hide the hand-over. */
  private splits(rows: number, steps: number): boolean {
    const { units: H, cell } = this.spec;
    return this.threads > 1 && this.config.dropout === 0 && rows >= 16 && rows * steps * gateCount(cell) * H * H >= PARALLEL_MIN_MACS;
  }

  async trainEpoch(data: EngineData, batchSize: number, rng: Rng): Promise<number> {
    const order = rng.shuffle(Int32Array.from({ length: data.count }, (_, i) => i));
    let total = 0;
    for (let start = 0; start < data.count; start += batchSize) {
      const rows = order.subarray(start, Math.min(data.count, start + batchSize));
      if (this.splits(rows.length, data.steps)) {
        // The worker takes the second half; this thread the first; combined by size in a fixed order.
        const half = rows.length >> 1;
        if (this.helper && this.helper.capacity < batchSize) {
          this.helper.close();
          this.helper = undefined;
        }
        this.helper ??= new GradientWorker(this.spec, this.config, this.total, batchSize);
        this.helper.start(data, this.paramBlock(), rows.subarray(half));
        const mine = this.batchGradients(data, rows.subarray(0, half));
        const theirs = this.helper.finish();
        const g = this.gradBlock();
        const w = this.helper.grads;
        const a = half / rows.length;
        const b = 1 - a;
        for (let i = 0; i < g.length; i++) g[i] = a * g[i] + b * w[i];
        total += mine * half + theirs * (rows.length - half);
      } else {
        total += this.batchGradients(data, rows, rng) * rows.length;
      }
      this.update();
    }
    return total / data.count;
  }

  async gradients(data: EngineData): Promise<Gradients> {
    const loss = this.batchGradients(data, Int32Array.from({ length: data.count }, (_, i) => i));
    return { loss, grads: readParams(this.params, this.gradBlock()) };
  }

  async evaluate(data: EngineData): Promise<number> {
    let total = 0;
    for (let start = 0; start < data.count; start += PREDICT_CHUNK) {
      const rows = Int32Array.from({ length: Math.min(data.count, start + PREDICT_CHUNK) - start }, (_, i) => start + i);
      const ws = this.workspace(rows.length, data.steps, false);
      this.loadInput(ws, data.x, rows);
      this.forward(ws, false);
      total += this.lossAndGrad(ws, data.y, rows) * rows.length;
    }
    return total / data.count;
  }

  async predict(x: Float32Array, count: number, steps: number): Promise<Float32Array> {
    const O = this.spec.outputSize;
    const perWindow = (this.config.loss === 'xent' ? steps : 1) * O;
    const result = new Float32Array(count * perWindow);
    for (let start = 0; start < count; start += PREDICT_CHUNK) {
      const B = Math.min(count, start + PREDICT_CHUNK) - start;
      const rows = Int32Array.from({ length: B }, (_, i) => start + i);
      const ws = this.workspace(B, steps, false);
      this.loadInput(ws, x, rows);
      this.forward(ws, false);
      const out = this.arena.view(ws.out, B * perWindow);
      if (this.config.loss === 'mse') result.set(out, start * perWindow);
      else for (let t = 0; t < steps; t++) for (let b = 0; b < B; b++) result.set(out.subarray((t * B + b) * O, (t * B + b + 1) * O), ((start + b) * steps + t) * O);
    }
    return result;
  }

  getWeights(): RecurrentWeights {
    return readParams(this.params, this.arena.view(this.P, this.total));
  }

  setWeights(weights: RecurrentWeights): void {
    writeParams(this.params, weights, this.arena.view(this.P, this.total));
  }

  setLearningRate(lr: number): void {
    this.learningRate = lr;
  }

  dispose(): void {
    this.ws = undefined;
    this.helper?.close();
    this.helper = undefined;
  }
}
