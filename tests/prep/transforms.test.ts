import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diff, invertDiff, invertLogReturns, invertPctChange, logReturns, pctChange, Series } from '../../src/index.js';

const s = Series.create({ timestamps: [0, 1, 2, 3], columns: { close: [100, 110, 99, 108.9], volume: [1, 2, 3, 4] } });

describe('transforms', () => {
  it('pctChange and logReturns drop the first row and keep other columns aligned', () => {
    const p = pctChange(s, { columns: ['close'] });
    expect(p.length).toBe(3);
    expect(Array.from(p.column('close')).map((v) => +v.toFixed(12))).toEqual([0.1, -0.1, 0.1]);
    expect(Array.from(p.column('volume'))).toEqual([2, 3, 4]);
    expect(p.timestamps[0]).toBe(1);
    expect(logReturns(s, { columns: ['close'] }).column('close')[0]).toBeCloseTo(Math.log(1.1), 14);
  });

  it('diff of order k', () => {
    const sq = Series.create({ timestamps: [0, 1, 2, 3, 4], columns: { x: [1, 4, 9, 16, 25] } });
    expect(Array.from(diff(sq).column('x'))).toEqual([3, 5, 7, 9]);
    expect(Array.from(diff(sq, { order: 2 }).column('x'))).toEqual([2, 2, 2]);
    expect(() => diff(sq, { order: 0 })).toThrow(/positive integer/);
    expect(() => diff(sq, { order: 5 })).toThrow(/needs more than 5 rows/);
  });

  it('inverses rebuild the levels from the anchor', () => {
    const close = s.column('close');
    const rebuilt = invertPctChange(pctChange(s).column('close'), close[0]);
    Array.from(rebuilt).forEach((v, i) => expect(v).toBeCloseTo(close[i + 1], 10));
    const fromLog = invertLogReturns(logReturns(s).column('close'), close[0]);
    Array.from(fromLog).forEach((v, i) => expect(v).toBeCloseTo(close[i + 1], 10));
  });

  it('property: invertDiff(diff(x, k), first k levels) == x after them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), { minLength: 5, maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        (xs, k) => {
          const series = Series.create({ timestamps: xs.map((_, i) => i), columns: { x: xs } });
          const d = diff(series, { order: k }).column('x');
          const back = invertDiff(d, xs.slice(0, k));
          back.forEach((v, i) => expect(v).toBeCloseTo(xs[i + k], 6));
        },
      ),
      { numRuns: 100, seed: 3 },
    );
  });

  it('explains undefined returns and leaves inputs alone', () => {
    const z = Series.create({ timestamps: [0, 1], columns: { c: [0, 1] } });
    expect(() => pctChange(z)).toThrow('column "c" is 0 at row 0, so the return to row 1 is undefined');
    const neg = Series.create({ timestamps: [0, 1], columns: { c: [1, -1] } });
    expect(() => logReturns(neg)).toThrow(/needs positive prices/);
    expect(() => pctChange(s, { columns: ['nope'] })).toThrow(/no column "nope"/);
    expect(Array.from(s.column('close'))).toEqual([100, 110, 99, 108.9]);
    expect(() => invertDiff([1], [])).toThrow(/anchor/);
  });
});
