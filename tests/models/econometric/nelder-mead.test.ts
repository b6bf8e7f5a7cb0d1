import { describe, expect, it } from 'vitest';
import { nelderMead } from '../../../src/models/econometric/nelder-mead.js';

describe('nelderMead', () => {
  it('finds the minimum of the Rosenbrock function and a 4-d quadratic', () => {
    const rosen = nelderMead((p) => (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2, [-1.2, 1]);
    expect(rosen.converged).toBe(true);
    expect(rosen.x[0]).toBeCloseTo(1, 5);
    expect(rosen.x[1]).toBeCloseTo(1, 5);
    const target = [3, -1, 0.5, 10];
    const quad = nelderMead((p) => p.reduce((s, v, i) => s + (i + 1) * (v - target[i]) ** 2, 0), [0, 0, 0, 0]);
    quad.x.forEach((v, i) => expect(v).toBeCloseTo(target[i], 5));
  });

  it('treats non-finite values as +Infinity and respects the evaluation budget', () => {
    const r = nelderMead((p) => (p[0] < 0 ? Number.NaN : (p[0] - 2) ** 2), [1]);
    expect(r.x[0]).toBeCloseTo(2, 6);
    const capped = nelderMead((p) => (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2, [-1.2, 1], {
      maxEvaluations: 30,
    });
    expect(capped.converged).toBe(false);
    expect(capped.evaluations).toBeLessThanOrEqual(34);
  });
});
