import { describe, expect, it } from 'vitest';
import { DataError, Series } from '../../src/index.js';

const DAY = 86_400_000;
const make = () =>
  Series.create({
    timestamps: [0, DAY, 2 * DAY, 3 * DAY],
    columns: { close: [1, 2, 3, 4], volume: [10, 20, 30, 40] },
    meta: { symbol: 'X' },
  });

describe('Series.create', () => {
  it('validates and exposes the data', () => {
    const s = make();
    expect(s.length).toBe(4);
    expect(s.columns).toEqual(['close', 'volume']);
    expect(Array.from(s.column('close'))).toEqual([1, 2, 3, 4]);
    expect(s.dates()[1].toISOString()).toBe('1970-01-02T00:00:00.000Z');
    expect(s.meta.frequency).toBe('daily');
    expect(s.meta.symbol).toBe('X');
  });

  it('accepts Date timestamps', () => {
    const s = Series.create({ timestamps: [new Date(0), new Date(7 * DAY)], columns: { a: [1, 2] } });
    expect(s.meta.frequency).toBe('weekly');
  });

  it('rejects non-increasing timestamps with both dates', () => {
    expect(() => Series.create({ timestamps: [0, DAY, DAY], columns: { a: [1, 2, 3] } })).toThrow(
      /timestamp 2 \(1970-01-02T00:00:00.000Z\) is not after timestamp 1/,
    );
  });

  it('rejects unequal column lengths, non-finite values and reserved names', () => {
    expect(() => Series.create({ timestamps: [0, DAY], columns: { a: [1] } })).toThrow(
      /column "a" has 1 values but there are 2 timestamps/,
    );
    expect(() => Series.create({ timestamps: [0, DAY], columns: { a: [1, Number.NaN] } })).toThrow(
      /row 1 .* not a finite number: received NaN/,
    );
    expect(() => Series.create({ timestamps: [0], columns: { date: [1] } })).toThrow(DataError);
    expect(() => Series.create({ timestamps: [0], columns: {} })).toThrow(/at least one column/);
  });

  it('copies its inputs, and accessors return copies', () => {
    const close = [1, 2];
    const s = Series.create({ timestamps: [0, DAY], columns: { close } });
    close[0] = 99;
    expect(s.column('close')[0]).toBe(1);
    s.column('close')[0] = 42;
    s.timestamps[0] = 42;
    expect(s.column('close')[0]).toBe(1);
    expect(s.timestamps[0]).toBe(0);
  });

  it('names the existing columns for an unknown one', () => {
    expect(() => make().column('Close')).toThrow('no column "Close": the series has "close", "volume"');
  });
});

describe('Series operations', () => {
  it('slice, between, select and toRows return new series', () => {
    const s = make();
    expect(Array.from(s.slice(1, 3).column('close'))).toEqual([2, 3]);
    expect(Array.from(s.slice(-1).column('volume'))).toEqual([40]);
    expect(s.slice(1, 3).meta.frequency).toBe('daily');
    expect(Array.from(s.between(DAY, 2 * DAY).column('close'))).toEqual([2, 3]);
    expect(Array.from(s.between(new Date(DAY / 2), new Date(10 * DAY)).column('close'))).toEqual([2, 3, 4]);
    expect(s.between(10 * DAY, 20 * DAY).length).toBe(0);
    expect(s.select(['volume']).columns).toEqual(['volume']);
    expect(() => s.select(['nope'])).toThrow(/no column "nope"/);
    expect(s.toRows()[0]).toEqual({ date: new Date(0), close: 1, volume: 10 });
    expect(s.length).toBe(4);
  });

  it('withColumn adds a validated column without touching the original', () => {
    const s = make();
    const t = s.withColumn('ret', [0, 1, 0.5, 0.33]);
    expect(t.columns).toEqual(['close', 'volume', 'ret']);
    expect(s.columns).toEqual(['close', 'volume']);
    expect(() => s.withColumn('bad', [1])).toThrow(/has 1 values/);
  });

  it('indexAtOrAfter finds the first row at or after a time', () => {
    const s = make();
    expect(s.indexAtOrAfter(DAY)).toBe(1);
    expect(s.indexAtOrAfter(DAY + 1)).toBe(2);
    expect(s.indexAtOrAfter(100 * DAY)).toBe(4);
  });
});
