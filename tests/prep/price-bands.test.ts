import { describe, expect, it } from 'vitest';
import { varianceBands, volatilityBands } from '../../src/index.js';

describe('volatilityBands', () => {
  it('is the lognormal band P exp(-/+ z s sqrt(h / A)), by hand', () => {
    const z = 1.959963984540054; // the normal 0.975 quantile
    const b = volatilityBands(100, 20, { steps: 3, coverage: 0.95, periodsPerYear: 252 });
    for (let h = 1; h <= 3; h++) {
      expect(b.lower[h - 1]).toBeCloseTo(100 * Math.exp(-z * 0.2 * Math.sqrt(h / 252)), 10);
      expect(b.upper[h - 1]).toBeCloseTo(100 * Math.exp(z * 0.2 * Math.sqrt(h / 252)), 10);
    }
    expect(b.lower[0]).toBeCloseTo(97.56, 2);
    expect(b.upper[0]).toBeCloseTo(102.5, 2);
    // Zero volatility: the band is the price.
    expect(Array.from(volatilityBands(50, 0, { steps: 2, coverage: 0.9, periodsPerYear: 52 }).upper)).toEqual([50, 50]);
  });

  it('explains bad input', () => {
    expect(() => volatilityBands(0, 20, { steps: 1, coverage: 0.9, periodsPerYear: 252 })).toThrow(
      /positive price: received 0/,
    );
    expect(() => volatilityBands(100, -1, { steps: 1, coverage: 0.9, periodsPerYear: 252 })).toThrow(/volatility >= 0/);
    expect(() => volatilityBands(100, 20, { steps: 0, coverage: 0.9, periodsPerYear: 252 })).toThrow(/steps/);
    expect(() => volatilityBands(100, 20, { steps: 1, coverage: 1, periodsPerYear: 252 })).toThrow(/coverage/);
  });
});

describe('varianceBands', () => {
  it('daily variances of decimal returns: the bands of volatilityBands at the same annual volatility', () => {
    // 20% a year is (0.2^2 / 252) a day; summed over h days it is volatilityBands' s^2 h / A.
    const daily = 0.04 / 252;
    const b = varianceBands(100, [daily, daily, daily], { coverage: 0.95 });
    const v = volatilityBands(100, 20, { steps: 3, coverage: 0.95, periodsPerYear: 252 });
    for (let h = 0; h < 3; h++) {
      expect(b.lower[h]).toBeCloseTo(v.lower[h], 10);
      expect(b.upper[h]).toBeCloseTo(v.upper[h], 10);
    }
    // Changing variances add up: step 2 of [v1, v2] is step 1 of their sum.
    const twoDays = varianceBands(50, [1e-4, 3e-4], { coverage: 0.9 });
    const oneDay = varianceBands(50, [4e-4], { coverage: 0.9 });
    expect(twoDays.upper[1]).toBeCloseTo(oneDay.upper[0], 12);
    expect(twoDays.lower[1]).toBeCloseTo(oneDay.lower[0], 12);
  });

  it('explains bad input', () => {
    expect(() => varianceBands(0, [1e-4], { coverage: 0.9 })).toThrow(/positive price: received 0/);
    expect(() => varianceBands(100, [], { coverage: 0.9 })).toThrow(/at least one variance/);
    expect(() => varianceBands(100, [1e-4, -1], { coverage: 0.9 })).toThrow(/step 2 is -1/);
    expect(() => varianceBands(100, [1e-4], { coverage: 1 })).toThrow(/coverage/);
  });
});
