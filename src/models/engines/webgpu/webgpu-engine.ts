/**
 * The webgpu engine: the fused engine's network, losses and optimizers as WGSL kernels on a GPU. Weights,
 * gradients, optimizer moments and activations stay on the device; a training batch is one command submission
 * (its windows are uploaded into a bounded workspace, the step values into a small uniform), and only the batch
 * losses (once per epoch, with a copy of the weights), the validation loss and the forecasts are read back.
 */
import type { Rng } from '../../../util/random.js';
import { BackendError } from '../../../errors.js';
import type { EngineData, EngineRun, Gradients, RecurrentEngine, TrainConfig } from '../engine.js';
import { paramLayout, readParams, writeParams, type Param } from '../fused/params.js';
import { gateCount, type RecurrentSpec, type RecurrentWeights } from '../weights.js';
import { checkDevice, gpuDevice, type GpuContext } from './device.js';
import type { GpuBindGroup, GpuBuffer, GpuDevice } from './gpu-types.js';
import { compilePipelines, type Pipelines } from './pipelines.js';
import { createPlan, MISC, type Plan, type WeightMap } from './plan.js';
import type { Dispatch } from './record.js';
import { Traffic, type Timings } from './traffic.js';
import { stepValues } from './step.js';
import { createEngineBuffers, recordUpdates, type EngineBuffers } from './engine-state.js';

const PREDICT_CHUNK = 512;
/** What a batch uploads: windows, and targets (with QLIKE's factors) when it is scored. */
type UploadData = Pick<EngineData, 'x' | 'lossScale'> & { y?: EngineData['y'] };
/**
 * Plans kept: an epoch's full and last training batches and evaluation's full and last chunks, with room for
 * forecasts and gradients, so no plan is laid out again every epoch.
 */
const PLANS = 6;

/** @internal */
export class WebGpuEngine implements RecurrentEngine {
  readonly kind = 'webgpu' as const;
  private readonly device: GpuDevice;
  private readonly params: Param[];
  private readonly total: number;
  private readonly bufs: EngineBuffers;
  private readonly updateGroup: GpuBindGroup;
  private readonly updateWords: GpuBuffer;
  private readonly update: Dispatch[];
  private readonly packOnly: Dispatch[];
  private readonly plans = new Map<string, Plan>();
  private readonly weightMap: WeightMap;
  private mirror: Float32Array;
  private step = 0;
  private learningRate: number;
  private readonly io: Traffic;
  private disposed = false;

  private constructor(
    private readonly ctx: GpuContext,
    readonly spec: RecurrentSpec,
    weights: RecurrentWeights,
    private readonly config: TrainConfig,
    private readonly pipes: Pipelines,
  ) {
    this.device = ctx.device;
    this.io = new Traffic(ctx);
    this.params = paramLayout(spec);
    const last = this.params[this.params.length - 1];
    this.total = last.offset + last.size;
    const { units: H } = spec;
    const G = gateCount(spec.cell) * H;
    this.bufs = createEngineBuffers(this.device, spec, config, this.total);
    const offsets = new Map(this.params.map((p) => [p.name, p.offset]));
    this.weightMap = { at: (name) => offsets.get(name)!, packed: (k) => k * (G * H + G) };
    if (config.quantiles)
      this.device.queue.writeBuffer(this.bufs.misc, MISC.LEVELS * 4, new Float32Array(config.quantiles));
    this.device.queue.writeBuffer(this.bufs.MV, 0, new Float32Array(this.bufs.MV.size / 4));
    const commands = recordUpdates(this.device, pipes, this.bufs, spec, config, this.total, this.weightMap);
    this.update = commands.update;
    this.packOnly = commands.packOnly;
    this.updateWords = commands.words;
    this.updateGroup = commands.group;
    this.learningRate = config.learningRate;
    this.mirror = new Float32Array(this.total);
    this.setWeights(weights);
  }

  /**
   * Creates an engine on the shared device.
   * @throws {@link BackendError} when there is no adapter, or the model's kernels or buffers do not fit the device
   */
  static async create(spec: RecurrentSpec, weights: RecurrentWeights, config: TrainConfig): Promise<WebGpuEngine> {
    const ctx = await gpuDevice();
    checkDevice(ctx);
    const d = ctx.device;
    d.pushErrorScope('out-of-memory');
    d.pushErrorScope('validation');
    let engine: WebGpuEngine | undefined;
    let failure: unknown;
    try {
      const pipes = compilePipelines(d, spec, config, d.limits.maxComputeWorkgroupStorageSize);
      engine = new WebGpuEngine(ctx, spec, weights, config, pipes);
    } catch (e) {
      failure = e;
    }
    // The error scopes are popped whatever happened; a device error explains a failure better than its symptom.
    const validation = await d.popErrorScope();
    const memory = await d.popErrorScope();
    const error = validation ?? memory;
    if (error) {
      engine?.dispose();
      throw new BackendError(`the webgpu engine could not set up its kernels and buffers (${error.message})`, {
        hint: 'use engine: "fused"',
      });
    }
    if (failure !== undefined || !engine) throw failure;
    return engine;
  }

  private plan(B: number, T: number, training: boolean): Plan {
    checkDevice(this.ctx);
    const key = `${B}x${T}x${training ? 't' : 'e'}`;
    let plan = this.plans.get(key);
    if (plan) {
      this.plans.delete(key);
      this.plans.set(key, plan);
      return plan;
    }
    plan = createPlan(this.device, this.pipes, this.bufs, this.spec, this.config, this.weightMap, B, T, training);
    this.plans.set(key, plan);
    if (this.plans.size > PLANS) {
      const [oldKey, old] = this.plans.entries().next().value!;
      this.plans.delete(oldKey);
      old.ws.destroy();
      old.uniforms.destroy();
    }
    return plan;
  }

  /** Uploads windows rows[b] time-major [T, B, F], and their targets, into the plan's workspace. */
  private upload(plan: Plan, data: UploadData, rows: ArrayLike<number>): void {
    const t0 = performance.now();
    const { T } = plan;
    const B = rows.length;
    const F = this.spec.inputSize;
    const X = new Float32Array(T * B * F);
    for (let b = 0; b < B; b++) {
      const src = rows[b] * T * F;
      for (let t = 0; t < T; t++) X.set(data.x.subarray(src + t * F, src + (t + 1) * F), (t * B + b) * F);
    }
    this.io.upload(plan.ws, plan.X, X, t0);
    if (!data.y) return;
    const per = this.config.loss === 'xent' ? T : this.spec.outputSize / (this.config.quantiles?.length ?? 1);
    const Y = this.config.loss === 'xent' ? new Int32Array(B * per) : new Float32Array(B * per);
    for (let b = 0; b < B; b++) Y.set(data.y.subarray(rows[b] * per, (rows[b] + 1) * per), b * per);
    this.io.upload(plan.ws, plan.Y, Y, performance.now());
    if (this.config.loss !== 'qlike') return;
    // QLIKE's factor per window, from network units to log-variance units (1 without one), as the fused engine.
    const scale = Float32Array.from({ length: B }, (_, b) => (data.lossScale ? data.lossScale[rows[b]] : 1));
    this.io.upload(plan.ws, plan.scale, scale, performance.now());
  }

  /**
   * Host time so far: gathering and uploading windows, recording and submitting commands, waiting for the GPU to
   * drain the bounded queue, and reading results back (which waits for the GPU to finish); for `npm run bench`.
   */
  timings(): Timings {
    return { ...this.io.clock };
  }

  private guard<T>(what: string, work: () => Promise<T>): Promise<T> {
    if (this.disposed) return Promise.reject(new BackendError('the webgpu engine was disposed'));
    return this.io.scoped(what, work);
  }

  private writeStep(slot: number, seed: number | undefined): void {
    const adam = this.config.optimizer === 'adam';
    const values = stepValues({
      lr: this.learningRate,
      step: adam ? this.step : 0,
      clip: this.config.clipNorm,
      seed,
      dropout: this.config.dropout,
      slot,
    });
    this.device.queue.writeBuffer(this.bufs.step, 0, values);
  }

  prepare(batchSize: number, steps: number): void {
    this.plan(batchSize, steps, true);
  }

  async trainEpoch(data: EngineData, batchSize: number, rng: Rng): Promise<number> {
    return this.guard('training', async () => {
      const order = rng.shuffle(Int32Array.from({ length: data.count }, (_, i) => i));
      let total = 0;
      let sizes: number[] = [];
      const flush = async () => {
        const [losses] = await this.io.read([{ buffer: this.bufs.misc, offset: MISC.LOSS, floats: sizes.length }]);
        sizes.forEach((n, i) => (total += losses[i] * n));
        sizes = [];
      };
      for (let start = 0; start < data.count; start += batchSize) {
        const rows = order.subarray(start, Math.min(data.count, start + batchSize));
        const plan = this.plan(rows.length, data.steps, true);
        this.upload(plan, data, rows);
        // One draw per batch seeds every row's dropout masks, as in the fused engine (rowSeed).
        const seed = this.config.dropout > 0 && this.spec.layers > 1 ? rng.fork() : undefined;
        if (this.config.optimizer === 'adam') this.step++;
        this.writeStep(sizes.length, seed);
        sizes.push(rows.length);
        await this.io.submit([
          { list: [...plan.forward, ...plan.loss, ...plan.backward], group: plan.group },
          { list: this.update, group: this.updateGroup },
        ]);
        if (sizes.length === MISC.SLOTS) await flush();
      }
      const [losses, weights] = await this.io.read([
        { buffer: this.bufs.misc, offset: MISC.LOSS, floats: sizes.length },
        { buffer: this.bufs.P, offset: 0, floats: this.total },
      ]);
      sizes.forEach((n, i) => (total += losses[i] * n));
      this.mirror = weights.slice();
      return total / data.count;
    });
  }

  async gradients(data: EngineData): Promise<Gradients> {
    return this.guard('computing gradients', async () => {
      const plan = this.plan(data.count, data.steps, true);
      this.upload(
        plan,
        data,
        Int32Array.from({ length: data.count }, (_, i) => i),
      );
      this.writeStep(0, undefined);
      await this.io.submit([{ list: [...plan.forward, ...plan.loss, ...plan.backward], group: plan.group }]);
      const [loss, grads] = await this.io.read([
        { buffer: this.bufs.misc, offset: MISC.LOSS, floats: 1 },
        { buffer: this.bufs.G, offset: 0, floats: this.total },
      ]);
      return { loss: loss[0], grads: readParams(this.params, grads) };
    });
  }

  /** Windows per forward-only chunk: the training plan's batch when one is laid out, else PREDICT_CHUNK. */
  private chunk(steps: number): number {
    for (const p of this.plans.values()) if (p.training && p.T === steps && p.B >= 64) return p.B;
    return PREDICT_CHUNK;
  }

  async evaluate(data: EngineData): Promise<number> {
    return this.guard('evaluating', async () => {
      const chunk = this.chunk(data.steps);
      const sizes: number[] = [];
      let total = 0;
      for (let start = 0; start < data.count; start += chunk) {
        const B = Math.min(data.count, start + chunk) - start;
        const plan = this.plan(B, data.steps, false);
        this.upload(
          plan,
          data,
          Int32Array.from({ length: B }, (_, i) => start + i),
        );
        this.writeStep(sizes.length, undefined);
        sizes.push(B);
        await this.io.submit([{ list: [...plan.forward, ...plan.loss], group: plan.group }]);
        if (sizes.length === MISC.SLOTS) {
          const [losses] = await this.io.read([{ buffer: this.bufs.misc, offset: MISC.LOSS, floats: sizes.length }]);
          sizes.forEach((n, i) => (total += losses[i] * n));
          sizes.length = 0;
        }
      }
      const [losses] = await this.io.read([{ buffer: this.bufs.misc, offset: MISC.LOSS, floats: sizes.length }]);
      sizes.forEach((n, i) => (total += losses[i] * n));
      return total / data.count;
    });
  }

  async predict(x: Float32Array, count: number, steps: number): Promise<Float32Array> {
    return this.guard('forecasting', async () => {
      const O = this.spec.outputSize;
      const xent = this.config.loss === 'xent';
      const perWindow = (xent ? steps : 1) * O;
      const result = new Float32Array(count * perWindow);
      const chunk = this.chunk(steps);
      for (let start = 0; start < count; start += chunk) {
        const B = Math.min(count, start + chunk) - start;
        const plan = this.plan(B, steps, false);
        this.upload(
          plan,
          { x },
          Int32Array.from({ length: B }, (_, i) => start + i),
        );
        await this.io.submit([{ list: plan.forward, group: plan.group }]);
        const [out] = await this.io.read([{ buffer: plan.ws, offset: plan.out, floats: B * perWindow }]);
        if (!xent) result.set(out, start * perWindow);
        else
          for (let t = 0; t < steps; t++)
            for (let b = 0; b < B; b++)
              result.set(out.subarray((t * B + b) * O, (t * B + b + 1) * O), ((start + b) * steps + t) * O);
      }
      return result;
    });
  }

  /** The weights as of the last epoch's end or setWeights (read back with each epoch's losses). */
  getWeights(): RecurrentWeights {
    return readParams(this.params, this.mirror);
  }

  setWeights(weights: RecurrentWeights): void {
    checkDevice(this.ctx);
    writeParams(this.params, weights, this.mirror);
    this.device.queue.writeBuffer(this.bufs.P, 0, this.mirror);
    const enc = this.device.createCommandEncoder();
    this.io.encode(enc, [{ list: this.packOnly, group: this.updateGroup }]);
    this.device.queue.submit([enc.finish()]);
  }

  setLearningRate(lr: number): void {
    this.learningRate = lr;
  }

  describe(): EngineRun {
    const a = this.ctx.adapter;
    const adapter =
      [a.vendor, a.architecture, a.description].filter(Boolean).join(' ') +
      (a.software ? ' (software rasterizer)' : '');
    const threads = this.config.threads ?? 'auto';
    return {
      engine: 'webgpu',
      kernels: 'webgpu',
      adapter,
      requestedThreads: threads,
      threads: 1,
      note:
        'threads does not apply to the webgpu engine: one host thread records the commands, and the GPU runs ' +
        'them; concurrent models (parallel folds) share one device',
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of this.plans.values()) {
      p.ws.destroy();
      p.uniforms.destroy();
    }
    this.plans.clear();
    for (const b of Object.values(this.bufs)) b.destroy();
    this.updateWords.destroy();
  }
}
