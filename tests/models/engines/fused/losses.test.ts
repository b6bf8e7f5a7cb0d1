import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../../src/models/engines/engines.js';
import type { TrainConfig } from '../../../../src/models/engines/engine.js';
import { qlikeRows } from '../../../../src/models/engines/fused/losses.js';
import { initWeights, weightsFromStateDict, type RecurrentSpec } from '../../../../src/models/engines/weights.js';
import { createRng } from '../../../../src/util/random.js';
import { kernelPaths, withPath, type KernelPath } from '../../../helpers/kernel-paths.js';
import { expectNoLeakedTensors } from '../../../helpers/tensors.js';
import { torchCases, type TorchQlikeCase } from '../../../helpers/torch-cases.js';

const cases = torchCases<TorchQlikeCase>('torch-qlike-cases.json');
const config: TrainConfig = { loss: 'qlike', optimizer: 'adam', learningRate: 0.01, dropout: 0 };
const PATHS: Array<{ name: string; engine: 'tfjs' | 'fused'; path?: KernelPath }> = [
  { name: 'tfjs', engine: 'tfjs' },
  ...kernelPaths().map((path) => ({ name: `fused ${path.name}`, engine: 'fused' as const, path })),
];
const onPath = <T>(p: (typeof PATHS)[number], fn: (extra: Partial<TrainConfig>) => Promise<T>) =>
  p.path ? withPath(p.path, () => fn({ kernels: p.path!.kernels })) : fn({});
const specOf = (c: TorchQlikeCase): RecurrentSpec => ({
  cell: c.cell,
  inputSize: c.input_size,
  units: c.hidden_size,
  layers: c.num_layers,
  outputSize: c.output_size,
});
const dataOf = (c: TorchQlikeCase) => ({
  x: Float32Array.from(c.x.flat(2)),
  y: Float32Array.from(c.y.flat()),
  lossScale: Float32Array.from(c.scale),
  count: c.x.length,
  steps: c.x[0].length,
});

describe('qlikeRows', () => {
  it('is QLIKE of the variances exp(scale y) and exp(scale z), with its gradient', () => {
    const out = Float32Array.of(0.5, -1);
    const y = Float32Array.of(1, -1);
    const scale = Float32Array.of(2, 1);
    const grad = new Float32Array(2);
    const rowLoss = new Float64Array(2);
    qlikeRows(out, grad, y, scale, rowLoss, 0, 2, 2, 1);
    const s2 = Math.exp(2 * 1);
    const h = Math.exp(2 * 0.5);
    expect(rowLoss[0]).toBeCloseTo(s2 / h - Math.log(s2 / h) - 1, 12);
    expect(rowLoss[1]).toBe(0);
    expect(grad[0]).toBeCloseTo((-2 * (Math.exp(1) - 1)) / 2, 6);
    expect(Math.abs(grad[1])).toBe(0);
  });

  it('does not change when targets and outputs shift together, and does when they are scaled', () => {
    const run = (out: number[], y: number[], scale = 1) => {
      const rowLoss = new Float64Array(1);
      qlikeRows(
        Float32Array.from(out),
        new Float32Array(out.length),
        Float32Array.from(y),
        Float32Array.of(scale),
        rowLoss,
        0,
        1,
        1,
        out.length,
      );
      return rowLoss[0];
    };
    expect(run([0.25, -0.5], [0.5, 0.25])).toBeCloseTo(run([3.25, 2.5], [3.5, 3.25]), 6);
    expect(run([0.25, -0.5], [0.5, 0.25])).not.toBeCloseTo(run([0.5, -1], [1, 0.5]), 3);
    expect(run([0.5, -1], [1, 0.5])).toBeCloseTo(run([0.25, -0.5], [0.5, 0.25], 2), 6);
  });
});

describe('QLIKE on every engine matches PyTorch gradients (scripts/torch_qlike_ref.py)', () => {
  it('covers rnn, lstm and gru, one and two layers, unit and per-row scales', () => {
    expect(cases.map((c) => `${c.cell}${c.num_layers}`).sort()).toEqual(['gru1', 'gru2', 'lstm1', 'lstm2', 'rnn1']);
    expect(cases.some((c) => c.scale.some((s) => s !== 1))).toBe(true);
  });
  for (const p of PATHS) {
    it.each(cases.map((c) => [`${c.cell} x${c.num_layers}`, c] as const))(
      `${p.name}: %s loss and every gradient to 1e-4`,
      async (_, c) => {
        await onPath(p, (extra) =>
          expectNoLeakedTensors(async () => {
            const spec = specOf(c);
            const e = await createEngine(p.engine, spec, weightsFromStateDict(c.state_dict, spec), {
              ...config,
              ...extra,
            });
            const { loss, grads } = await e.gradients(dataOf(c));
            expect(Math.abs(loss - c.loss)).toBeLessThan(1e-5 * Math.max(1, c.loss));
            const want = weightsFromStateDict(c.grads, spec);
            for (const k of Object.keys(want))
              want[k].forEach((v, i) => expect(Math.abs(grads[k][i] - v), `${k}[${i}]`).toBeLessThan(1e-4));
            expect(Math.abs((await e.evaluate(dataOf(c))) - c.loss)).toBeLessThan(1e-5 * Math.max(1, c.loss));
            e.dispose();
          }),
        );
      },
    );
  }

  it('fused: the same bits on one thread and on two', async () => {
    const spec: RecurrentSpec = { cell: 'lstm', inputSize: 2, units: 32, layers: 1, outputSize: 1 };
    const rng = createRng(3);
    const count = 256;
    const data = {
      x: Float32Array.from({ length: count * 20 * 2 }, () => rng.uniform(-1, 1)),
      y: Float32Array.from({ length: count }, () => rng.uniform(-1, 1)),
      lossScale: Float32Array.from({ length: count }, () => rng.uniform(0.5, 2)),
      count,
      steps: 20,
    };
    const grads = [];
    for (const threads of [1, 2]) {
      const e = await createEngine('fused', spec, initWeights(spec, 1), { ...config, threads });
      grads.push((await e.gradients(data)).grads);
      e.dispose();
    }
    for (const k of Object.keys(grads[0])) expect(grads[1][k], k).toEqual(grads[0][k]);
  });
});
