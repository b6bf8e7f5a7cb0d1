/**
 * The fused CPU engine: the whole network's forward pass, loss, backward-through-time and weight gradients in
 * compiled kernels (csrc/, native or WebAssembly) on one shared memory, with the optimizer update fused.
 * Each batch's rows are shared between threads and its weight gradients are tiles any thread may compute;
 * every gradient element is one sum over all rows in a fixed order, so the results are the same bits for any
 * thread count (they depend on the kernels: native and WebAssembly differ in rounding).
 */
import type { Rng } from '../../../util/random.js';
import { BackendError } from '../../../errors.js';
import type { EngineData, EngineRun, Gradients, RecurrentEngine, TrainConfig } from '../engine.js';
import { platform } from '../../../platform/runtime.js';
import { resolveThreads } from '../threads.js';
import { gateCount, type RecurrentSpec, type RecurrentWeights } from '../weights.js';
import { kernelPreference, kernelProblem, selectKernels, type KernelInfo } from './kernels.js';
import {
  allocatePersistent,
  allocateWorkspace,
  D,
  descWords,
  JW,
  jsWord,
  type Persistent,
  type Workspace,
} from './layout.js';
import { EngineMemory, STACK_BYTES } from './memory.js';
import { paramLayout, readParams, writeParams, type Param } from './params.js';
import { runRows } from './rows.js';
import { CMD, GradientPool } from './thread-pool.js';

/** What a batch gathers: inputs, and targets (with QLIKE's factors) when the batch is scored. */
type GatherData = Pick<EngineData, 'x' | 'lossScale'> & { y?: EngineData['y'] };

const PREDICT_CHUNK = 512;
/** Floating-point work a helper thread needs per batch to be worth waking (about 0.25 ms). */
const MIN_FLOPS_PER_THREAD = 16e6;

/** @internal */
export class FusedEngine implements RecurrentEngine {
  readonly kind = 'fused' as const;
  readonly kernels: KernelInfo;
  private readonly mem: EngineMemory;
  private readonly params: Param[];
  private readonly total: number;
  private readonly at: Persistent;
  private readonly scratch: number[];
  private readonly stacks: number[];
  private readonly mark: number;
  private readonly mr: number;
  private ws: Workspace | undefined;
  private step = 0;
  private learningRate: number;
  /** Threads this engine may use (the main thread plus helpers). */
  readonly threads: number;
  private pool: GradientPool | undefined;
  private ranThreads = 1;
  private smallBatches = 0;
  /** Why helper threads cannot run here (a page that is not cross-origin isolated), when more were asked for. */
  private readonly singleThreadReason: string | undefined;

  constructor(
    readonly spec: RecurrentSpec,
    weights: RecurrentWeights,
    private readonly config: TrainConfig,
  ) {
    const choice = config.kernels ?? kernelPreference();
    const info = selectKernels(choice);
    if (!info)
      throw new BackendError(`the fused engine cannot run here: ${kernelProblem(choice)}`, {
        hint: 'npm run build:wasm rebuilds wasm/kernels.wasm; engine: "tfjs" runs without it',
      });
    this.kernels = info;
    const wanted = resolveThreads(config.threads);
    const unavailable = wanted > 1 ? platform().threadsUnavailable() : undefined;
    this.singleThreadReason = unavailable;
    this.threads = unavailable ? 1 : wanted;
    this.mem = new EngineMemory(info);
    try {
      this.params = paramLayout(spec);
      const last = this.params[this.params.length - 1];
      this.total = last.offset + last.size;
      this.at = allocatePersistent(this.mem, spec, config, this.params, this.total);
      const k = this.mem.kernels;
      this.mr = k.tile_shape(0);
      this.scratch = Array.from({ length: this.threads }, () => this.mem.alloc(k.scratch_floats(0)));
      // WebAssembly instances in workers need stacks of their own in the shared memory.
      this.stacks =
        info.kind === 'wasm'
          ? Array.from({ length: this.threads - 1 }, () => this.mem.alloc(STACK_BYTES / 4) + STACK_BYTES)
          : [];
      this.mark = this.mem.used;
      // Gradient tiles per matrix: enough that every thread gets some (the shape never changes the results).
      this.descView()[D.TILES] = 2 * this.threads;
      this.learningRate = config.learningRate;
      this.setWeights(weights);
    } catch (e) {
      this.mem.release();
      throw e;
    }
  }

  private get k() {
    return this.mem.kernels;
  }

  private descView(): Float64Array {
    return new Float64Array(this.mem.buffer(), this.at.desc, descWords(this.spec.layers));
  }

  /**
   * A workspace for B windows of T steps: the current one when it is large enough (buffers are laid out with
   * stride B, so a smaller batch fits in a larger workspace), else a new one (the last, smaller batch of an
   * epoch, or evaluation between epochs, then need no new layout).
   */
  private workspace(B: number, T: number, training: boolean): Workspace {
    const ws = this.ws;
    if (ws && ws.T === T && B <= ws.capacity && (ws.training || !training)) {
      ws.B = B;
      this.descView()[D.B] = B;
      return ws;
    }
    this.ws = undefined;
    this.ws = allocateWorkspace(this.mem, this.mark, this.spec, this.config, this.at.desc, B, T, training);
    return this.ws;
  }

  /** Windows per forward-only chunk: the current workspace's when it is a reasonable size, so none is laid out anew. */
  private chunk(steps: number): number {
    return this.ws && this.ws.T === steps && this.ws.capacity >= 64 ? this.ws.capacity : PREDICT_CHUNK;
  }

  /** Copies windows rows[b] into the time-major input [T, B, F] and their targets into the batch's Y. */
  private gather(ws: Workspace, data: GatherData, rows: ArrayLike<number>): void {
    const { T, B } = ws;
    const F = this.spec.inputSize;
    const buf = this.mem.buffer();
    const X = new Float32Array(buf, ws.X0, T * B * F);
    for (let b = 0; b < B; b++) {
      const src = rows[b] * T * F;
      for (let t = 0; t < T; t++) {
        const s = src + t * F;
        const o = (t * B + b) * F;
        for (let f = 0; f < F; f++) X[o + f] = data.x[s + f];
      }
    }
    if (!data.y) return;
    // Targets per window: every step's class (xent), the outputs (mse), or one per horizon step (quantile head).
    const per = this.config.loss === 'xent' ? T : this.spec.outputSize / (this.config.quantiles?.length ?? 1);
    const Y = this.config.loss === 'xent' ? new Int32Array(buf, ws.Y, B * per) : new Float32Array(buf, ws.Y, B * per);
    for (let b = 0; b < B; b++) Y.set(data.y.subarray(rows[b] * per, (rows[b] + 1) * per), b * per);
    if (ws.qscale === 0) return;
    const scale = new Float32Array(buf, ws.qscale, B);
    for (let b = 0; b < B; b++) scale[b] = data.lossScale ? data.lossScale[rows[b]] : 1;
  }

  /** Threads worth using for a batch: each must get enough work to pay for waking it. */
  private plan(B: number, T: number): number {
    if (this.threads === 1) return 1;
    const { units: H, layers: L, inputSize: F, cell } = this.spec;
    const G = gateCount(cell) * H;
    const flops = 6 * T * B * G * (F + H + (L - 1) * 2 * H);
    return Math.max(1, Math.min(this.threads, Math.floor(flops / MIN_FLOPS_PER_THREAD), Math.ceil(B / this.mr)));
  }

  private async helpers(): Promise<GradientPool> {
    this.pool ??= await GradientPool.start(
      this.mem.handle,
      this.threads - 1,
      this.scratch.slice(1),
      this.stacks,
      this.config.fault,
    );
    return this.pool;
  }

  /**
   * Forward, loss and (with `backward`) gradients of one batch, on as many threads as it is worth; dropout
   * when `dropoutSeed` is given. Returns the mean loss.
   */
  private async batch(ws: Workspace, backward: boolean, dropoutSeed?: number): Promise<number> {
    const { B, T } = ws;
    const d = this.descView();
    d[D.DROP] = dropoutSeed === undefined ? 0 : 1;
    d[jsWord(this.spec.layers, JW.SEED)] = dropoutSeed ?? 0;
    const nt = backward ? this.plan(B, T) : 1;
    if (nt > 1 && this.threads > 1) {
      const pool = await this.helpers();
      try {
        // Rows go in chunks that threads claim as they get free (at least two per thread when the batch allows,
        // and never so small that a chunk's products lose their register tiles).
        const chunk = Math.max(2 * this.mr, Math.ceil(B / (2 * nt)));
        pool.issue(CMD.ROWS, this.at.desc, nt, { rows: B, chunk });
        const buf = this.mem.buffer();
        pool.claimChunks((r0, r1) => runRows(this.k, buf, this.at.desc, r0, r1, true));
        await pool.join();
        new Int32Array(this.mem.buffer(), this.at.counter, 1)[0] = 0;
        pool.issue(CMD.GRADS, this.at.desc, nt, { counter: this.at.counter });
        this.k.model_grads(this.at.desc, 0, -1, this.at.counter, this.scratch[0]);
        await pool.join();
      } catch (e) {
        // A failed or interrupted batch leaves workers mid-command: never reuse them.
        this.pool?.close();
        this.pool = undefined;
        throw e;
      }
      this.ranThreads = Math.max(this.ranThreads, nt);
      if (nt < this.threads) this.smallBatches++;
    } else {
      if (backward && this.threads > 1) this.smallBatches++;
      runRows(this.k, this.mem.buffer(), this.at.desc, 0, B, backward);
      if (backward) this.k.model_grads(this.at.desc, 0, this.k.model_tile_count(this.at.desc), 0, this.scratch[0]);
    }
    const rowLoss = new Float64Array(this.mem.buffer(), ws.rowLoss, B);
    let sum = 0;
    for (let b = 0; b < B; b++) sum += rowLoss[b];
    return sum / (this.config.loss === 'xent' ? T * B : B * this.spec.outputSize);
  }

  private update(): void {
    const k = this.k;
    const { P, G, M, V } = this.at;
    let scale = 1;
    if (this.config.clipNorm !== undefined)
      scale = Math.min(1, this.config.clipNorm / (Math.sqrt(k.sumsq(G, this.total)) + 1e-6));
    const lr = this.learningRate;
    if (this.config.optimizer === 'adam') {
      this.step++;
      k.opt_adam(P, G, M, V, this.total, lr, 0.9, 0.999, 1e-8, 1 - 0.9 ** this.step, 1 - 0.999 ** this.step, scale);
    } else if (this.config.optimizer === 'rmsprop') {
      k.opt_rmsprop(P, G, M, this.total, lr, 0.99, 1e-8, scale);
    } else {
      k.opt_sgd(P, G, this.total, lr, scale);
    }
    k.model_pack(this.at.desc);
  }

  prepare(batchSize: number, steps: number): void {
    this.workspace(batchSize, steps, true);
  }

  async trainEpoch(data: EngineData, batchSize: number, rng: Rng): Promise<number> {
    const order = rng.shuffle(Int32Array.from({ length: data.count }, (_, i) => i));
    let total = 0;
    for (let start = 0; start < data.count; start += batchSize) {
      const rows = order.subarray(start, Math.min(data.count, start + batchSize));
      const ws = this.workspace(rows.length, data.steps, true);
      this.gather(ws, data, rows);
      // One draw per batch seeds every row's dropout masks (rowSeed), whichever thread makes them.
      const seed = this.config.dropout > 0 && this.spec.layers > 1 ? rng.fork() : undefined;
      total += (await this.batch(ws, true, seed)) * rows.length;
      this.update();
    }
    return total / data.count;
  }

  async gradients(data: EngineData): Promise<Gradients> {
    const ws = this.workspace(data.count, data.steps, true);
    this.gather(
      ws,
      data,
      Int32Array.from({ length: data.count }, (_, i) => i),
    );
    const loss = await this.batch(ws, true);
    return { loss, grads: readParams(this.params, this.mem.f32(this.at.G, this.total)) };
  }

  async evaluate(data: EngineData): Promise<number> {
    let total = 0;
    const chunk = this.chunk(data.steps);
    for (let start = 0; start < data.count; start += chunk) {
      const rows = Int32Array.from({ length: Math.min(data.count, start + chunk) - start }, (_, i) => start + i);
      const ws = this.workspace(rows.length, data.steps, false);
      this.gather(ws, data, rows);
      total += (await this.batch(ws, false)) * rows.length;
    }
    return total / data.count;
  }

  async predict(x: Float32Array, count: number, steps: number): Promise<Float32Array> {
    const O = this.spec.outputSize;
    const xent = this.config.loss === 'xent';
    const perWindow = (xent ? steps : 1) * O;
    const result = new Float32Array(count * perWindow);
    const chunk = this.chunk(steps);
    for (let start = 0; start < count; start += chunk) {
      const B = Math.min(count, start + chunk) - start;
      const ws = this.workspace(B, steps, false);
      this.gather(
        ws,
        { x },
        Int32Array.from({ length: B }, (_, i) => start + i),
      );
      this.descView()[D.DROP] = 0;
      this.k.model_forward(this.at.desc, 0, B);
      const out = this.mem.f32(ws.out, B * perWindow);
      if (!xent) result.set(out, start * perWindow);
      else
        for (let t = 0; t < steps; t++)
          for (let b = 0; b < B; b++)
            result.set(out.subarray((t * B + b) * O, (t * B + b + 1) * O), ((start + b) * steps + t) * O);
    }
    return result;
  }

  getWeights(): RecurrentWeights {
    return readParams(this.params, this.mem.f32(this.at.P, this.total));
  }

  setWeights(weights: RecurrentWeights): void {
    writeParams(this.params, weights, this.mem.f32(this.at.P, this.total));
    this.k.model_pack(this.at.desc);
  }

  setLearningRate(lr: number): void {
    this.learningRate = lr;
  }

  /** Peak bytes of the engine's memory. */
  memoryBytes(): number {
    return this.mem.peakBytes;
  }

  describe(): EngineRun {
    const requested = this.config.threads ?? 'auto';
    const run: EngineRun = {
      engine: 'fused',
      kernels: this.kernels.kind,
      isa: this.kernels.isa,
      requestedThreads: requested,
      threads: this.ranThreads,
    };
    if (this.singleThreadReason) run.note = `one thread ran: ${this.singleThreadReason}`;
    else if (this.ranThreads < this.threads && this.smallBatches > 0)
      run.note = `${this.threads} threads available, but batches had too little work to use them all (under ${MIN_FLOPS_PER_THREAD / 1e6} MFLOP per thread), so ${this.ranThreads === 1 ? 'one thread' : `at most ${this.ranThreads} threads`} ran`;
    return run;
  }

  dispose(): void {
    this.ws = undefined;
    this.pool?.close();
    this.pool = undefined;
    this.mem.release();
  }
}
