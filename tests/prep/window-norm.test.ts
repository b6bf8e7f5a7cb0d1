import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError, denormalizeTargets, makeWindows, normalizeWindows, Series } from '../../src/index.js';

const s = Series.create({
  timestamps: [0, 1, 2, 3, 4, 5],
  columns: { close: [100, 110, 121, 100, 90, 99], vol: [1, 2, 3, 4, 5, 6] },
});

describe('per-window normalization', () => {
  it('last: relative change from each window last value, exactly invertible', () => {
    const w = makeWindows(s, { lookback: 2, target: 'close', features: ['vol', 'close'] });
    const n = normalizeWindows(w, { windowNorm: 'last' });
    expect(n.windows.y[0]).toBeCloseTo(121 / 110 - 1, 6);
    expect(n.windows.x[3]).toBe(0); // the window's own last close maps to 0
    expect(w.x[3]).toBe(110); // input untouched
  });

  it('zscore: each window by its own mean and std; constant windows get std 1', () => {
    const w = makeWindows(s, { lookback: 3, target: 'close' });
    const n = normalizeWindows(w, { windowNorm: 'zscore' });
    const [a, b, c] = [100, 110, 121];
    const mean = (a + b + c) / 3;
    const sd = Math.sqrt(((a - mean) ** 2 + (b - mean) ** 2 + (c - mean) ** 2) / 3);
    expect(n.windows.y[0]).toBeCloseTo((100 - mean) / sd, 5);
    const flat = Series.create({ timestamps: [0, 1, 2], columns: { c: [5, 5, 7] } });
    const nf = normalizeWindows(makeWindows(flat, { lookback: 2, target: 'c' }), { windowNorm: 'zscore' });
    expect(Array.from(nf.windows.y)).toEqual([2]);
  });

  it('the inverse is exact up to the float32 rounding of normalized values: relative error below 2^-23', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -3, max: 6, noNaN: true }),
        fc.array(fc.double({ min: 0.5, max: 1.5, noNaN: true }), { minLength: 12, maxLength: 40 }),
        (exponent, factors) => {
          const values = factors.map((f) => f * 10 ** exponent);
          const series = Series.create({ timestamps: values.map((_, i) => i), columns: { c: values } });
          const w = makeWindows(series, { lookback: 5, horizon: 3, target: 'c' });
          for (const windowNorm of ['last', 'zscore'] as const) {
            const n = normalizeWindows(w, { windowNorm });
            denormalizeTargets(n.windows.y, n).forEach((v, i) =>
              expect(Math.abs(v - w.y[i]) / Math.abs(w.y[i])).toBeLessThan(2 ** -23),
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('explains a zero last value and a target that is not a feature', () => {
    const z = Series.create({ timestamps: [0, 1, 2], columns: { c: [1, 0, 2] } });
    expect(() => normalizeWindows(makeWindows(z, { lookback: 2, target: 'c' }), { windowNorm: 'last' })).toThrow(
      /window 0 \(target row 2\): feature "c" ends at 0/,
    );
    expect(() =>
      normalizeWindows(makeWindows(s, { lookback: 2, target: 'close', features: ['vol'] }), { windowNorm: 'last' }),
    ).toThrow(DataError);
    const n = normalizeWindows(makeWindows(s, { lookback: 2, target: 'close' }), { windowNorm: 'last' });
    expect(() => denormalizeTargets([1], n)).toThrow(/expected 4 values/);
  });
});
