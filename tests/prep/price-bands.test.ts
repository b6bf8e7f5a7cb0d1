import { describe, expect, it } from 'vitest';
import { volatilityBands } from '../../src/index.js';

describe('volatilityBands', () => {
  it('is the lognormal band P exp(-/+ z s sqrt(h / A)), by hand', () => {
    const z = 1.959963984540054; // the normal 0.975 quantile
    const b = volatilityBands(100, 20, { steps: 3, coverage: 0.95, periodsPerYear: 252 });
    for (let h = 1; h <= 3; h++) {
      expect(b.lower[h - 1]).toBeCloseTo(100 * Math.exp(-z * 0.2 * Math.sqrt(h / 252)), 10);
      expect(b.upper[h - 1]).toBeCloseTo(100 * Math.exp(z * 0.2 * Math.sqrt(h / 252)), 10);
    }
    expect(b.lower[0]).toBeCloseTo(97.56, 2);
    expect(b.upper[0]).toBeCloseTo(102.50, 2);
    // Zero volatility: the band is the price.
    expect(Array.from(volatilityBands(50, 0, { steps: 2, coverage: 0.9, periodsPerYear: 52 }).upper)).toEqual([50, 50]);
  });

  it('explains bad input', () => {
    expect(() => volatilityBands(0, 20, { steps: 1, coverage: 0.9, periodsPerYear: 252 })).toThrow(/positive price: received 0/);
    expect(() => volatilityBands(100, -1, { steps: 1, coverage: 0.9, periodsPerYear: 252 })).toThrow(/volatility >= 0/);
    expect(() => volatilityBands(100, 20, { steps: 0, coverage: 0.9, periodsPerYear: 252 })).toThrow(/steps/);
    expect(() => volatilityBands(100, 20, { steps: 1, coverage: 1, periodsPerYear: 252 })).toThrow(/coverage/);
  });
});
