import { describe, expect, it } from 'vitest';
import { cqrShifts, isotonic } from '../../src/models/conformal-quantiles.js';
import { createRng } from '../../src/util/random.js';

describe('CQR shifts', () => {
  it('take the conformal rank of the scores per level, by hand', () => {
    const s = Float64Array.from([5, 3, 9, 1, 7, 2, 8, 4, 6]); // n = 9
    const [shifts] = cqrShifts([[s, s, s]], [0.1, 0.5, 0.9]);
    // floor(10 x 0.1) = 1st, ceil(10 x 0.5) = 5th, ceil(10 x 0.9) = 9th smallest
    expect(Array.from(shifts)).toEqual([1, 5, 9]);
  });

  it('pool violators so calibrated quantiles keep their order', () => {
    expect(Array.from(isotonic([3, 1, 2]))).toEqual([2, 2, 2]);
    expect(Array.from(isotonic([1, 3, 2, 4]))).toEqual([1, 2.5, 2.5, 4]);
    expect(Array.from(isotonic([1, 2, 3]))).toEqual([1, 2, 3]);
    const high = Float64Array.from([10, 11, 12, 13, 14, 15, 16, 17, 18]);
    const low = Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const [shifts] = cqrShifts([[high, low]], [0.3, 0.7]);
    for (let k = 1; k < shifts.length; k++) expect(shifts[k]).toBeGreaterThanOrEqual(shifts[k - 1]);
  });

  it('give the nominal coverage on fresh exchangeable data', () => {
    const rng = createRng(3);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rng.uniform(0, 1))) * Math.cos(2 * Math.PI * rng.uniform(0, 1));
    const levels = [0.05, 0.5, 0.95];
    // A badly calibrated model: it predicts quantiles of N(0, 0.5^2) for N(1, 1) data.
    const model = [-0.822, 0, 0.822];
    const calib = levels.map((_, k) => Float64Array.from({ length: 999 }, () => 1 + normal() - model[k]));
    const [shift] = cqrShifts([calib], levels);
    const test = Array.from({ length: 20000 }, () => 1 + normal());
    levels.forEach((tau, k) => {
      const below = test.filter((y) => y <= model[k] + shift[k]).length / test.length;
      expect(Math.abs(below - tau), `level ${tau}`).toBeLessThan(0.015);
    });
  });

  it('say how many windows a level needs', () => {
    expect(() => cqrShifts([[Float64Array.of(1, 2, 3)]], [0.01])).toThrow('calibrating the 0.01 quantile (step 1) needs at least 99 held-out windows, there are 3');
    expect(() => cqrShifts([[Float64Array.of(1, 2, 3)]], [0.9])).toThrow(/needs at least 9 held-out windows/);
  });
});
