import { describe, expect, it } from 'vitest';
import { ewmaVariance } from '../../../src/index.js';

describe('ewmaVariance', () => {
  it('is the RiskMetrics recursion started from the warmup mean square', () => {
    const v = ewmaVariance([1, 3, 2, -4], { lambda: 0.5, warmup: 2 });
    expect(Array.from(v)).toEqual([5, 0.5 * 5 + 0.5 * 4, 0.5 * 4.5 + 0.5 * 16]);
    const d = ewmaVariance(Array.from({ length: 30 }, (_, i) => (i % 3) - 1));
    expect(d.length).toBe(30 - 22 + 1);
    expect(d[1]).toBeCloseTo(0.94 * d[0] + 0.06 * ((22 % 3) - 1) ** 2, 15);
  });

  it('uses returns before t only and explains bad input', () => {
    const r = [1, 2, 3, 4, 5, 6];
    const clean = ewmaVariance(r, { warmup: 2 });
    const poisoned = ewmaVariance([1, 2, 3, 1e9, 1e9, 1e9], { warmup: 2 });
    // out[i] is the forecast for return 2 + i: forecasts for returns 2 and 3 use returns 0..2 only.
    expect(Array.from(poisoned.subarray(0, 2))).toEqual(Array.from(clean.subarray(0, 2)));
    expect(() => ewmaVariance([1], { warmup: 2 })).toThrow(/at least warmup = 2 returns: received 1/);
    expect(() => ewmaVariance(r, { lambda: 1 })).toThrow(/lambda/);
    expect(() => ewmaVariance([1, Number.NaN], { warmup: 1 })).toThrow(/return 1 is not finite/);
  });
});
