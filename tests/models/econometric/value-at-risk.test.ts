import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { garchValueAtRisk, innovationQuantile } from '../../../src/index.js';

describe('VaR from variance forecasts', () => {
  const quantiles = (
    JSON.parse(readFileSync('fixtures/risk/scipy-ref.json', 'utf8')) as {
      quantiles: { level: number; distribution: 'normal' | 'student-t'; nu?: number; z: number }[];
    }
  ).quantiles;

  it('innovation quantiles match scipy (normal, and Student-t scaled to unit variance)', () => {
    expect(quantiles.length).toBe(16);
    // scipy 1.10's t.ppf is itself off by up to ~2e-9 relative: the 40-digit mpmath root of the t CDF at
    // p = 0.05, nu = 4.05696724876477 is -2.1232748365042955793..., which stdlib matches to 1e-15, scipy to 2e-9.
    for (const q of quantiles)
      expect(Math.abs(innovationQuantile(q.level, q) - q.z), `${q.distribution} ${q.nu} ${q.level}`).toBeLessThan(
        5e-9 * Math.max(1, Math.abs(q.z)),
      );
    const nu = 4.05696724876477;
    expect(innovationQuantile(0.05, { distribution: 'student-t', nu }) / Math.sqrt((nu - 2) / nu)).toBeCloseTo(
      -2.1232748365042955793,
      14,
    );
    expect(() => innovationQuantile(0, { distribution: 'normal' })).toThrow(/in \(0, 1\)/);
    expect(() => innovationQuantile(0.01, { distribution: 'student-t', nu: 2 })).toThrow(/nu > 2/);
  });

  it('garchValueAtRisk is mu + z sqrt(h)', () => {
    const z = innovationQuantile(0.01, { distribution: 'student-t', nu: 6 });
    expect(Array.from(garchValueAtRisk([4, 9], { mu: 0.1, distribution: 'student-t', nu: 6 }, 0.01))).toEqual([
      0.1 + 2 * z,
      0.1 + 3 * z,
    ]);
    expect(() => garchValueAtRisk([-1], { mu: 0, distribution: 'normal' }, 0.05)).toThrow(/variance 0 must be >= 0/);
  });
});
