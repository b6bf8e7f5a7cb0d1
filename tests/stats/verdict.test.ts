import { describe, expect, it } from 'vitest';
import { SIGNIFICANCE, verdict } from '../../src/index.js';
import { overlapHorizon } from '../../src/stats/verdict.js';

describe('the verdict rule', () => {
  it('beats or loses to only below p 0.05, in the direction of the statistic; ties otherwise', () => {
    expect(SIGNIFICANCE).toBe(0.05);
    expect(verdict({ statistic: -2.5, pValue: 0.013 })).toBe('beats');
    expect(verdict({ statistic: 2.5, pValue: 0.013 })).toBe('loses to');
    expect(verdict({ statistic: -1.9, pValue: 0.05 })).toBe('ties');
    expect(verdict({ statistic: -0.1, pValue: 0.92 })).toBe('ties');
    // No test (equal losses everywhere, too few points): nothing tells the two apart.
    expect(verdict({ statistic: Number.NaN, pValue: Number.NaN })).toBe('ties');
    expect(verdict({ statistic: null, pValue: null })).toBe('ties');
    expect(verdict(null)).toBe('ties');
  });

  it('lags of the long-run variance follow the overlap of forecasts: ceil(step / spacing)', () => {
    expect([1, 2, 3, 5].map((k) => overlapHorizon(k, 1))).toEqual([1, 2, 3, 5]);
    expect([1, 2, 3, 5].map((k) => overlapHorizon(k, 5))).toEqual([1, 1, 1, 1]);
    expect([1, 2, 3, 5].map((k) => overlapHorizon(k, 2))).toEqual([1, 1, 2, 3]);
  });
});
