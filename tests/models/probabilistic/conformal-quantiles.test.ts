import { describe, expect, it } from 'vitest';
import { applyCqr, cqrCalibrate } from '../../../src/models/probabilistic/conformal-quantiles.js';
import { createRng } from '../../../src/util/random.js';

describe('order-preserving CQR', () => {
  it('shifts the lowest level by the conformal rank of y - q_1 and scales the gaps above, by hand', () => {
    // n = 9 windows, one step, levels [0.1, 0.9]; model quantiles q = [0, 1] everywhere, y = 1..9.
    const q = Float64Array.from({ length: 18 }, (_, i) => i % 2);
    const y = Float64Array.from({ length: 9 }, (_, i) => i + 1);
    const [p] = cqrCalibrate(q, y, [0.1, 0.9], 1);
    // floor(10 x 0.1) = 1st smallest of y - 0 = 1; then scores (y - 1) / 1, ceil(10 x 0.9) = 9th smallest = 8.
    expect(Array.from(p)).toEqual([1, 8]);
    const out = Float64Array.of(0, 1, 5, 5.5);
    applyCqr(out, [p], 2);
    expect(Array.from(out)).toEqual([1, 9, 6, 10]);
  });

  it('never crosses, even when the calibrated gaps shrink', () => {
    const rng = createRng(4);
    const levels = [0.05, 0.25, 0.5, 0.75, 0.95];
    const n = 200;
    // Far too wide model quantiles: calibration must shrink the gaps (factors < 1), never below 0.
    const q = new Float64Array(n * 5);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = rng.uniform(-1, 1);
      for (let k = 0; k < 5; k++) q[i * 5 + k] = (k - 2) * 10 + rng.uniform(0, 0.1);
    }
    const params = cqrCalibrate(q, y, levels, 1);
    params[0].slice(1).forEach((c) => expect(c).toBeGreaterThanOrEqual(0));
    expect(params[0][1]).toBeLessThan(1);
    const fresh = Float64Array.from({ length: 500 }, (_, i) => ((i % 5) - 2) * 10 + rng.uniform(0, 5));
    applyCqr(fresh, params, 5);
    for (let g = 0; g < 500; g += 5)
      for (let k = 1; k < 5; k++) expect(fresh[g + k]).toBeGreaterThanOrEqual(fresh[g + k - 1]);
  });

  it('gives every level its coverage on fresh exchangeable data', () => {
    const rng = createRng(3);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rng.uniform(0, 1))) * Math.cos(2 * Math.PI * rng.uniform(0, 1));
    const levels = [0.05, 0.5, 0.95];
    // A badly calibrated model: quantiles of N(0, 0.5^2) for N(1, 1) data; two horizon steps.
    const model = [-0.822, 0, 0.822];
    const n = 999;
    const q = Float64Array.from({ length: n * 2 * 3 }, (_, i) => model[i % 3]);
    const y = Float64Array.from({ length: n * 2 }, () => 1 + normal());
    const params = cqrCalibrate(q, y, levels, 2);
    const m = 20000;
    const test = Float64Array.from({ length: m * 2 * 3 }, (_, i) => model[i % 3]);
    applyCqr(test, params, 3);
    const yt = Array.from({ length: m * 2 }, () => 1 + normal());
    levels.forEach((tau, k) => {
      const below = yt.filter((v, i) => v <= test[i * 3 + k]).length / yt.length;
      expect(Math.abs(below - tau), `level ${tau}`).toBeLessThan(0.015);
    });
  });

  it('say how many windows a level needs', () => {
    expect(() => cqrCalibrate([0, 0, 0], [1, 2, 3], [0.01], 1)).toThrow(
      'calibrating the 0.01 quantile (step 1) needs at least 99 held-out windows, there are 3',
    );
    expect(() => cqrCalibrate([0, 0, 0], [1, 2, 3], [0.9], 1)).toThrow(/needs at least 9 held-out windows/);
  });
});
