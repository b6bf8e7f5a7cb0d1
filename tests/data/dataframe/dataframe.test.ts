import type { DataFrame } from 'danfojs-node';
import { describe, expect, it, vi } from 'vitest';
import { DataError, fromDataFrame, readCsv, toDataFrame } from '../../../src/index.js';

describe('danfojs-node interop', () => {
  it('round-trips the S&P file exactly, volumes above 2^31 included', async () => {
    const s = await readCsv('fixtures/sp500-2000.csv');
    expect(Math.max(...s.column('volume'))).toBeGreaterThan(2 ** 31);
    const df = await toDataFrame<DataFrame>(s);
    expect(df.columns).toEqual(['date', 'open', 'high', 'low', 'close', 'adjclose', 'volume']);
    expect(df.shape).toEqual([5105, 7]);
    const back = fromDataFrame(df);
    expect(Array.from(back.timestamps)).toEqual(Array.from(s.timestamps));
    for (const c of s.columns) expect(Array.from(back.column(c))).toEqual(Array.from(s.column(c)));
  }, 60_000);

  it('reads a DataFrame with string dates and a chosen date column', async () => {
    const danfo = await import('danfojs-node');
    const df = new danfo.DataFrame({ when: ['2021.3.28', '2021.3.21'], price: [834000, 932000], name: ['a', 'b'] });
    const s = fromDataFrame(df, { dateColumn: 'when', columns: ['price'] });
    expect(s.dates()[0].toISOString().slice(0, 10)).toBe('2021-03-21');
    expect(Array.from(s.column('price'))).toEqual([932000, 834000]);
    expect(s.meta.ingest?.order).toBe('descending');
  });

  it('uses the index when there is no date column', () => {
    const frame = {
      columns: ['close'],
      index: [new Date(Date.UTC(2021, 0, 1)), new Date(Date.UTC(2021, 0, 2))],
      column: () => ({ values: [1, 2] }),
    };
    expect(fromDataFrame(frame).length).toBe(2);
  });

  it('names the row and column of bad values', () => {
    const frame = (values: unknown[]) => ({
      columns: ['date', 'close'],
      index: [0, 1],
      column: (n: string) => ({ values: n === 'date' ? [0, 86400000] : values }),
    });
    expect(() => fromDataFrame(frame([1, 'x']))).toThrow(
      'row 1 column "close": expected a finite number, received "x"',
    );
    expect(() => fromDataFrame(frame([1, null]))).toThrow(/row 1 column "close": missing value/);
    expect(fromDataFrame(frame([1, null]), { missing: 'ffill' }).column('close')[1]).toBe(1);
    expect(() => fromDataFrame(frame([1, 2]), { columns: ['open'] })).toThrow(
      'no value column "open": the DataFrame has "date", "close"',
    );
    expect(() =>
      fromDataFrame({ ...frame([1, 2]), column: (n: string) => ({ values: n === 'date' ? ['x', 'y'] : [1, 2] }) }),
    ).toThrow(DataError);
  });

  it('does not load danfojs-node when the core is imported', async () => {
    vi.resetModules();
    vi.doMock('danfojs-node', () => {
      throw new Error('danfojs-node was loaded at import time');
    });
    const core = await import('../../../src/index.js');
    expect(core.Series.create({ timestamps: [0], columns: { a: [1] } }).length).toBe(1);
    await expect(core.toDataFrame(core.Series.create({ timestamps: [0], columns: { a: [1] } }))).rejects.toThrow(
      /danfojs-node is not installed/,
    );
    vi.doUnmock('danfojs-node');
  });
});
