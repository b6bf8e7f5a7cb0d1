import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/models/engines/engines.js';
import { quantileLoss, rawToQuantiles, softplus } from '../../../src/models/probabilistic/quantile-head.js';
import { weightsFromStateDict, type RecurrentSpec } from '../../../src/models/engines/weights.js';
import { createRng } from '../../../src/util/random.js';
import { expectNoLeakedTensors } from '../../helpers/tensors.js';
import { readFileSync } from 'node:fs';
import type { TorchGradCase } from '../../helpers/torch-cases.js';

type QuantileCase = TorchGradCase & { horizon: number; levels: number[]; quantiles: number[][] };
const cases = (
  JSON.parse(readFileSync('fixtures/torch/torch-grad-cases.json', 'utf8')) as { quantile_cases: QuantileCase[] }
).quantile_cases;

describe('the non-crossing quantile head', () => {
  it('builds increasing quantiles from any raw values', () => {
    const q = rawToQuantiles([1, -50, 3, 0, 0, 0], 3);
    expect(q[0]).toBe(1);
    expect(q[1]).toBeCloseTo(1 + softplus(-50), 15);
    expect(q[1]).toBeGreaterThanOrEqual(q[0]); // softplus(-50) = 2e-22 vanishes next to 1: equal, never crossed
    expect(q[2]).toBeCloseTo(q[1] + softplus(3), 14);
    expect(Array.from(q.subarray(3))).toEqual([0, Math.LN2, 2 * Math.LN2]);
    expect(softplus(800)).toBe(800);
    expect(softplus(-800)).toBe(0);
    const rng = createRng(5);
    const raw = Float64Array.from({ length: 400 }, () => rng.uniform(-30, 30));
    const many = rawToQuantiles(raw, 4);
    for (let g = 0; g < 400; g += 4)
      for (let k = 1; k < 4; k++) expect(many[g + k]).toBeGreaterThanOrEqual(many[g + k - 1]);
  });

  it('pinball loss and gradient by hand, and against central differences', () => {
    // One row, one step, levels [0.1, 0.9]: z = [0, 0] -> q = [0, ln 2]; y = 1 above both.
    const out = Float32Array.of(0, 0);
    const grad = new Float32Array(2);
    const loss = quantileLoss(out, grad, [1], [0], [0.1, 0.9]);
    expect(loss).toBeCloseTo((0.1 * 1 + 0.9 * (1 - Math.LN2)) / 2, 6);
    // g = [-0.1, -0.9] / 2; dz1 = sum, dz2 = sigmoid(0) x -0.45
    expect(grad[0]).toBeCloseTo(-0.5, 6);
    expect(grad[1]).toBeCloseTo(-0.225, 6);
    const rng = createRng(9);
    const levels = [0.05, 0.3, 0.5, 0.95];
    const B = 3;
    const S = 2;
    const z = Float32Array.from({ length: B * S * 4 }, () => rng.uniform(-1, 1));
    const y = Float32Array.from({ length: B * S }, () => rng.uniform(-2, 2));
    const g = new Float32Array(z.length);
    quantileLoss(z, g, y, [0, 1, 2], levels);
    const f = (v: Float32Array) => quantileLoss(v, new Float32Array(v.length), y, [0, 1, 2], levels);
    for (let i = 0; i < z.length; i++) {
      const plus = Float32Array.from(z);
      const minus = Float32Array.from(z);
      plus[i] += 1e-3;
      minus[i] -= 1e-3;
      expect(Math.abs((f(plus) - f(minus)) / 2e-3 - g[i]), `raw ${i}`).toBeLessThan(1e-4);
    }
  });
});

describe('quantile head on both engines matches PyTorch (scripts/torch_grad_ref.py quantile_cases)', () => {
  it('has rnn, lstm and gru cases', () => expect(cases.map((c) => c.cell).sort()).toEqual(['gru', 'lstm', 'rnn']));
  for (const engine of ['tfjs', 'fused'] as const) {
    it.each(
      cases.map((c) => [`${c.cell} x${c.num_layers}, ${c.levels.length} levels, horizon ${c.horizon}`, c] as const),
    )(`${engine}: %s: quantiles, loss and gradients to 1e-4`, async (_, c) => {
      await expectNoLeakedTensors(async () => {
        const spec: RecurrentSpec = {
          cell: c.cell,
          inputSize: c.input_size,
          units: c.hidden_size,
          layers: c.num_layers,
          outputSize: c.output_size,
        };
        const e = await createEngine(engine, spec, weightsFromStateDict(c.state_dict, spec), {
          loss: 'mse',
          optimizer: 'adam',
          learningRate: 0.01,
          dropout: 0,
          quantiles: c.levels,
        });
        const x = Float32Array.from(c.x.flat(2));
        const count = c.x.length;
        const steps = c.x[0].length;
        const q = rawToQuantiles(await e.predict(x, count, steps), c.levels.length);
        c.quantiles.flat().forEach((v, i) => expect(Math.abs(q[i] - v)).toBeLessThan(1e-5));
        const { loss, grads } = await e.gradients({ x, y: Float32Array.from(c.y.flat()), count, steps });
        expect(Math.abs(loss - c.loss)).toBeLessThan(1e-5);
        const ref = weightsFromStateDict(c.grads, spec);
        for (const k of Object.keys(ref))
          ref[k].forEach((v, i) => expect(Math.abs(grads[k][i] - v), `${k}[${i}]`).toBeLessThan(1e-4));
        e.dispose();
      });
    });
  }
});
