import { describe, expect, it } from 'vitest';
import { chronologicalSplit, DataError, readCsv, Series, ValidationError } from '../../src/index.js';

const DAY = 86_400_000;
const s = Series.create({
  timestamps: Array.from({ length: 10 }, (_, i) => Date.UTC(2021, 0, 1) + i * DAY),
  columns: { v: Array.from({ length: 10 }, (_, i) => i) },
});

describe('chronologicalSplit', () => {
  it('by fraction: consecutive, non-overlapping, rest to test', () => {
    const r = chronologicalSplit(s, { train: 0.6, validation: 0.2 });
    expect(r.ranges).toEqual({
      train: { start: 0, end: 6 },
      validation: { start: 6, end: 8 },
      test: { start: 8, end: 10 },
    });
    expect(Array.from(r.validation!.column('v'))).toEqual([6, 7]);
    expect(r.train.lastTimestamp).toBeLessThan(r.validation!.firstTimestamp);
  });
  it('by count and by date (inclusive end)', () => {
    expect(chronologicalSplit(s, { train: 5, validation: 2, test: 2 }).ranges.test).toEqual({ start: 7, end: 9 });
    const byDate = chronologicalSplit(s, { train: '2021-01-04', validation: new Date(Date.UTC(2021, 0, 6)) });
    expect(byDate.ranges).toEqual({
      train: { start: 0, end: 4 },
      validation: { start: 4, end: 6 },
      test: { start: 6, end: 10 },
    });
  });
  it('explains empty and overflowing parts', () => {
    expect(() => chronologicalSplit(s, { train: 0.05 })).toThrow('train is empty: it would cover rows [0, 0) of 10');
    expect(() => chronologicalSplit(s, { train: 8, validation: 5 })).toThrow(
      'validation needs rows up to 13 but the series has 10',
    );
    expect(() => chronologicalSplit(s, { train: 2.5 })).toThrow(DataError);
    expect(() => chronologicalSplit(s, { train: -1 })).toThrow(ValidationError);
    expect(() => chronologicalSplit(s, { train: 'soon' })).toThrow(ValidationError);
  });
  it('works on the S&P file by date', async () => {
    const sp = await readCsv('fixtures/sp500-2000.csv');
    const r = chronologicalSplit(sp, { train: '2015-12-31' });
    expect(r.train.dates().at(-1)!.toISOString().slice(0, 10)).toBe('2015-12-31');
    expect(r.test!.dates()[0].toISOString().slice(0, 10)).toBe('2016-01-04');
  });
});
