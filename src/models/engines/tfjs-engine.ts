/** The TensorFlow.js engine: one stacked RNN/LSTM/GRU graph (PyTorch semantics) on whatever tfjs backend is active. */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../util/random.js';
import type { EngineData, EngineRun, Gradients, RecurrentEngine, TrainConfig } from './engine.js';
import { quantileLossTf } from '../probabilistic/quantile-head-tf.js';
import { gateCount, transpose, weightShapes, type RecurrentSpec, type RecurrentWeights } from './weights.js';

const PREDICT_BATCH = 4096;
// tfjs variable names must be unique in the process.
let variableCounter = 0;

/** PyTorch stores W as [out, in]; tfjs multiplies x·W, so matrices are kept transposed as [in, out]. */
const isMatrix = (name: string) => name.startsWith('weight_') || name === 'fc.weight';

function makeOptimizer(config: TrainConfig, lr: number): tf.Optimizer {
  if (config.optimizer === 'sgd') return tf.train.sgd(lr);
  if (config.optimizer === 'rmsprop') return tf.train.rmsprop(lr, 0.99, 0, 1e-8);
  return tf.train.adam(lr, 0.9, 0.999, 1e-8);
}

/** @internal */
export class TfjsEngine implements RecurrentEngine {
  readonly kind = 'tfjs' as const;
  private readonly vars = new Map<string, tf.Variable>();
  private readonly optimizer: tf.Optimizer;

  constructor(
    readonly spec: RecurrentSpec,
    weights: RecurrentWeights,
    private readonly config: TrainConfig,
  ) {
    for (const [name, shape] of weightShapes(spec)) {
      const values = weights[name];
      const tensor = isMatrix(name)
        ? tf.tensor2d(transpose(values, shape[0], shape[1]), [shape[1], shape[0]])
        : tf.tensor1d(values);
      this.vars.set(name, tf.variable(tensor, true, `stockcast_${++variableCounter}_${name}`));
      tensor.dispose();
    }
    this.optimizer = makeOptimizer(config, config.learningRate);
  }

  private v(name: string): tf.Variable {
    return this.vars.get(name)!;
  }

  /** Runs the stack; returns the last layer's hidden states [B, T, H] (all steps) or [B, H] (last step). */
  private hidden(x: tf.Tensor3D, allSteps: boolean, dropoutSeed: (() => number) | undefined): tf.Tensor {
    const [B, T] = x.shape;
    const H = this.spec.units;
    const G = gateCount(this.spec.cell);
    let input: tf.Tensor3D = x;
    let last: tf.Tensor2D = tf.zeros([B, H]);
    for (let k = 0; k < this.spec.layers; k++) {
      const inSize = input.shape[2];
      // All time steps' input projections in one product.
      const proj = tf
        .matMul(input.reshape([B * T, inSize]), this.v(`weight_ih_l${k}`))
        .add(this.v(`bias_ih_l${k}`))
        .reshape([B, T, G * H]);
      const steps = tf.unstack(proj, 1) as tf.Tensor2D[];
      const whh = this.v(`weight_hh_l${k}`);
      const bhh = this.v(`bias_hh_l${k}`);
      let h: tf.Tensor2D = tf.zeros([B, H]);
      let c: tf.Tensor2D = tf.zeros([B, H]);
      const outputs: tf.Tensor2D[] = [];
      for (let t = 0; t < T; t++) {
        const gh = tf.matMul(h, whh).add(bhh) as tf.Tensor2D;
        if (this.spec.cell === 'rnn') {
          h = tf.tanh(steps[t].add(gh)) as tf.Tensor2D;
        } else if (this.spec.cell === 'lstm') {
          const [i, f, g, o] = tf.split(steps[t].add(gh), 4, 1);
          c = tf
            .sigmoid(f)
            .mul(c)
            .add(tf.sigmoid(i).mul(tf.tanh(g)));
          h = tf.sigmoid(o).mul(tf.tanh(c));
        } else {
          const [xr, xz, xn] = tf.split(steps[t], 3, 1);
          const [hr, hz, hn] = tf.split(gh, 3, 1);
          const r = tf.sigmoid(xr.add(hr));
          const z = tf.sigmoid(xz.add(hz));
          const n = tf.tanh(xn.add(r.mul(hn)));
          h = n.add(z.mul(h.sub(n))) as tf.Tensor2D; // (1 - z) * n + z * h
        }
        if (allSteps || k < this.spec.layers - 1) outputs.push(h);
      }
      last = h;
      if (k < this.spec.layers - 1 || allSteps) {
        input = tf.stack(outputs, 1) as tf.Tensor3D;
        if (dropoutSeed && this.config.dropout > 0 && k < this.spec.layers - 1)
          input = tf.dropout(input, this.config.dropout, undefined, dropoutSeed()) as tf.Tensor3D;
      }
    }
    return allSteps ? input : last;
  }

  /** Head outputs: [B, out] from the last step, or [B*T, out] logits for every step. */
  private forward(x: tf.Tensor3D, dropoutSeed?: () => number): tf.Tensor2D {
    const allSteps = this.config.loss === 'xent';
    const h = this.hidden(x, allSteps, dropoutSeed);
    const flat = allSteps ? h.reshape([-1, this.spec.units]) : h;
    return tf.matMul(flat as tf.Tensor2D, this.v('fc.weight')).add(this.v('fc.bias'));
  }

  private lossOf(x: tf.Tensor3D, y: tf.Tensor, scale: tf.Tensor | undefined, dropoutSeed?: () => number): tf.Scalar {
    const out = this.forward(x, dropoutSeed);
    if (this.config.quantiles) return quantileLossTf(out, y, this.config.quantiles);
    if (this.config.loss === 'mse') return tf.losses.meanSquaredError(y, out) as tf.Scalar;
    if (this.config.loss === 'qlike') {
      // QLIKE on log variances (fused/losses.ts qlikeRows): d = scale (y - z), mean of exp(d) - d - 1.
      const d = tf.mul(scale!, tf.sub(y, out));
      return tf.mean(tf.sub(tf.sub(tf.exp(d), d), 1)) as tf.Scalar;
    }
    const labels = tf.oneHot(y.reshape([-1]) as tf.Tensor1D, this.spec.outputSize);
    return tf.losses.softmaxCrossEntropy(labels, out) as tf.Scalar;
  }

  private tensors(data: EngineData, rows: ArrayLike<number>): [tf.Tensor3D, tf.Tensor, tf.Tensor | undefined] {
    const { steps } = data;
    const F = this.spec.inputSize;
    const xRow = steps * F;
    const yRow = data.y.length / data.count;
    const xb = new Float32Array(rows.length * xRow);
    const yb = data.y instanceof Int32Array ? new Int32Array(rows.length * yRow) : new Float32Array(rows.length * yRow);
    for (let i = 0; i < rows.length; i++) {
      xb.set(data.x.subarray(rows[i] * xRow, (rows[i] + 1) * xRow), i * xRow);
      yb.set(data.y.subarray(rows[i] * yRow, (rows[i] + 1) * yRow), i * yRow);
    }
    const y =
      yb instanceof Int32Array ? tf.tensor2d(yb, [rows.length, yRow], 'int32') : tf.tensor2d(yb, [rows.length, yRow]);
    const factors = this.config.loss === 'qlike' ? Float32Array.from(rows, (r) => data.lossScale?.[r] ?? 1) : undefined;
    const scale = factors && tf.tensor2d(factors, [rows.length, 1]);
    return [tf.tensor3d(xb, [rows.length, steps, F]), y, scale];
  }

  async trainEpoch(data: EngineData, batchSize: number, rng: Rng): Promise<number> {
    const order = rng.shuffle(Int32Array.from({ length: data.count }, (_, i) => i));
    const varList = [...this.vars.values()];
    let total = 0;
    for (let start = 0; start < data.count; start += batchSize) {
      const rows = order.subarray(start, Math.min(data.count, start + batchSize));
      const loss = tf.tidy(() => {
        const [x, y, scale] = this.tensors(data, rows);
        const { value, grads } = tf.variableGrads(() => this.lossOf(x, y, scale, () => rng.fork()), varList);
        let g = grads;
        if (this.config.clipNorm !== undefined) {
          const norm = tf.sqrt(tf.addN(Object.values(grads).map((t) => tf.sum(tf.square(t)))));
          const factor = tf.minimum(1, tf.div(this.config.clipNorm, tf.add(norm, 1e-6)));
          g = Object.fromEntries(Object.entries(grads).map(([k, t]) => [k, tf.mul(t, factor)]));
        }
        this.optimizer.applyGradients(g);
        return value;
      });
      total += (await loss.data())[0] * rows.length;
      loss.dispose();
    }
    return total / data.count;
  }

  async gradients(data: EngineData): Promise<Gradients> {
    const rows = Int32Array.from({ length: data.count }, (_, i) => i);
    const names = weightShapes(this.spec).map(([n]) => n);
    const { value, grads } = tf.tidy(() => {
      const [x, y, scale] = this.tensors(data, rows);
      return tf.variableGrads(
        () => this.lossOf(x, y, scale),
        names.map((n) => this.v(n)),
      );
    });
    const out: RecurrentWeights = {};
    for (const [name, shape] of weightShapes(this.spec)) {
      const g = grads[this.v(name).name];
      const values = (await g.data()) as Float32Array;
      out[name] = isMatrix(name) ? transpose(values, shape[1], shape[0]) : values.slice();
      g.dispose();
    }
    const loss = (await value.data())[0];
    value.dispose();
    return { loss, grads: out };
  }

  async evaluate(data: EngineData): Promise<number> {
    let total = 0;
    for (let start = 0; start < data.count; start += PREDICT_BATCH) {
      const rows = Int32Array.from(
        { length: Math.min(data.count, start + PREDICT_BATCH) - start },
        (_, i) => start + i,
      );
      const loss = tf.tidy(() => {
        const [x, y, scale] = this.tensors(data, rows);
        return this.lossOf(x, y, scale);
      });
      total += (await loss.data())[0] * rows.length;
      loss.dispose();
    }
    return total / data.count;
  }

  async predict(x: Float32Array, count: number, steps: number): Promise<Float32Array> {
    const F = this.spec.inputSize;
    const per = (this.config.loss === 'xent' ? steps : 1) * this.spec.outputSize;
    const out = new Float32Array(count * per);
    for (let start = 0; start < count; start += PREDICT_BATCH) {
      const n = Math.min(count, start + PREDICT_BATCH) - start;
      const y = tf.tidy(() =>
        this.forward(tf.tensor3d(x.subarray(start * steps * F, (start + n) * steps * F), [n, steps, F])),
      );
      out.set(await y.data(), start * per);
      y.dispose();
    }
    return out;
  }

  getWeights(): RecurrentWeights {
    const out: RecurrentWeights = {};
    for (const [name, shape] of weightShapes(this.spec)) {
      const values = this.v(name).dataSync() as Float32Array;
      out[name] = isMatrix(name) ? transpose(values, shape[1], shape[0]) : values.slice();
    }
    return out;
  }

  setWeights(weights: RecurrentWeights): void {
    for (const [name, shape] of weightShapes(this.spec)) {
      const values = isMatrix(name) ? transpose(weights[name], shape[0], shape[1]) : weights[name];
      tf.tidy(() => this.v(name).assign(tf.tensor(values, this.v(name).shape)));
    }
  }

  setLearningRate(lr: number): void {
    // Keeps the optimizer's moments; tfjs reads the public learningRate field at every step (SGD caches it).
    const o = this.optimizer as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
    if (o.setLearningRate) o.setLearningRate(lr);
    else o.learningRate = lr;
  }

  describe(): EngineRun {
    const requested = this.config.threads ?? 'auto';
    const run: EngineRun = { engine: 'tfjs', kernels: tf.getBackend(), requestedThreads: requested, threads: 1 };
    if (requested === 'auto' || requested > 1)
      run.note = `the tfjs engine runs each batch on one thread (threads: ${requested} applies to the fused engine only)`;
    return run;
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
    this.optimizer.dispose();
  }
}
