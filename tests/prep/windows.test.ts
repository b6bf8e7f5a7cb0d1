import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  countWindows,
  DataError,
  makeWindows,
  readCsv,
  Series,
  ValidationError,
  windowBatches,
} from '../../src/index.js';

const DAY = 86_400_000;
function seriesOf(a: number[], b?: number[]): Series {
  return Series.create({ timestamps: a.map((_, i) => i * DAY), columns: b ? { a, b } : { a } });
}

describe('makeWindows', () => {
  it("windows the lecture's table: 5 weeks of (num_search, stock_price) -> next week's price", async () => {
    const s = await readCsv('fixtures/ncsoft-weekly.csv');
    const w = makeWindows(s, { lookback: 5, target: 'stock_price', features: ['num_search', 'stock_price'] });
    expect(w.xShape).toEqual([18, 5, 2]);
    expect(w.yShape).toEqual([18, 1]);
    expect(Array.from(w.x.slice(0, 10))).toEqual([38, 932000, 39, 834000, 36, 885000, 31, 906000, 32, 894000]);
    expect(w.y[0]).toBe(861000);
    expect(w.targetIndex[0]).toBe(5);
    expect(new Date(w.targetTimestamps[17]).toISOString().slice(0, 10)).toBe('2021-08-22');
  });

  it('supports horizon, stride and start/end limits', () => {
    const s = seriesOf([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const w = makeWindows(s, { lookback: 3, horizon: 2, target: 'a', step: 2 });
    expect(Array.from(w.targetIndex)).toEqual([3, 5, 7]);
    expect(Array.from(w.y)).toEqual([3, 4, 5, 6, 7, 8]);
    const limited = makeWindows(s, { lookback: 3, target: 'a', start: 6, end: 8 });
    expect(Array.from(limited.targetIndex)).toEqual([6, 7]);
    expect(Array.from(limited.x)).toEqual([3, 4, 5, 4, 5, 6]);
  });

  it('says both numbers when the lookback is longer than the series', () => {
    const s = seriesOf([1, 2, 3]);
    expect(() => makeWindows(s, { lookback: 5, target: 'a' })).toThrow(DataError);
    expect(() => makeWindows(s, { lookback: 5, target: 'a' })).toThrow(
      'no complete window: lookback 5 + horizon 1 needs 6 rows, the series has 3',
    );
  });

  it('rejects invalid options and unknown columns', () => {
    const s = seriesOf([1, 2, 3]);
    expect(() => makeWindows(s, { lookback: 0, target: 'a' })).toThrow(ValidationError);
    expect(() => makeWindows(s, { lookback: 1.5, target: 'a' })).toThrow(/lookback/);
    expect(() => makeWindows(s, { lookback: 1, target: 'b' })).toThrow('no column "b": the series has "a"');
  });

  it('does not mutate the series', () => {
    const s = seriesOf([1, 2, 3, 4], [5, 6, 7, 8]);
    const before = s.toRows();
    const w = makeWindows(s, { lookback: 2, target: 'a', features: ['a', 'b'] });
    w.x.fill(0);
    expect(s.toRows()).toEqual(before);
  });

  it('property: x is the series slice, y the next H targets, no input at or after the first target', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 60 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        (values, L, H, stride) => {
          fc.pre(values.length >= L + H);
          const b = values.map((v) => v * 2 + 1);
          const s = seriesOf(values, b);
          const w = makeWindows(s, { lookback: L, horizon: H, target: 'a', features: ['b', 'a'], step: stride });
          expect(w.count).toBe(Math.floor((values.length - H - L) / stride) + 1);
          expect(countWindows(s, { lookback: L, horizon: H, target: 'a', step: stride })).toBe(w.count);
          for (let i = 0; i < w.count; i++) {
            const t = w.targetIndex[i];
            expect(t).toBe(L + i * stride);
            expect(t - L).toBeGreaterThanOrEqual(0);
            expect(t + H).toBeLessThanOrEqual(values.length);
            for (let r = 0; r < L; r++) {
              expect(w.x[(i * L + r) * 2]).toBe(Math.fround(b[t - L + r]));
              expect(w.x[(i * L + r) * 2 + 1]).toBe(Math.fround(values[t - L + r]));
            }
            for (let h = 0; h < H; h++) expect(w.y[i * H + h]).toBe(Math.fround(values[t + h]));
            expect(w.targetTimestamps[i]).toBe(t * DAY);
          }
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });
});

describe('windowBatches', () => {
  it('yields the same windows as makeWindows, in bounded batches', () => {
    const s = seriesOf(Array.from({ length: 103 }, (_, i) => i * 1.5));
    const all = makeWindows(s, { lookback: 7, horizon: 2, target: 'a' });
    const batches = [...windowBatches(s, { lookback: 7, horizon: 2, target: 'a', batchSize: 10 })];
    expect(batches.map((b) => b.count)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 5]);
    expect(Array.from(batches.flatMap((b) => Array.from(b.x)))).toEqual(Array.from(all.x));
    expect(batches.flatMap((b) => Array.from(b.targetIndex))).toEqual(Array.from(all.targetIndex));
  });
  it('validates batchSize', () => {
    expect(() => [...windowBatches(seriesOf([1, 2, 3]), { lookback: 1, target: 'a', batchSize: 0 })]).toThrow(
      /batchSize/,
    );
  });
});
