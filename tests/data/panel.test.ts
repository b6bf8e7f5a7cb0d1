import { describe, expect, it } from 'vitest';
import { DataError, Panel, Series } from '../../src/index.js';
import { syntheticPanel } from '../helpers/panels.js';

const DAY = 86_400_000;
const series = (start: number, values: number[], extra?: Record<string, number[]>) =>
  Series.create({ timestamps: values.map((_, i) => (start + i) * DAY), columns: { close: values, ...extra } });

describe('Panel.create', () => {
  it('keys series by symbol, keeps their own dates and sets meta.symbol', () => {
    const p = Panel.create({ AAPL: series(0, [1, 2, 3]), MSFT: series(2, [5, 6, 7, 8]) });
    expect(p.symbols).toEqual(['AAPL', 'MSFT']);
    expect(p.size).toBe(2);
    expect(p.rowCount).toBe(7);
    expect(p.columns).toEqual(['close']);
    expect(Array.from(p.timestamps)).toEqual([0, 1, 2, 3, 4, 5].map((d) => d * DAY));
    expect(p.firstTimestamp).toBe(0);
    expect(p.lastTimestamp).toBe(5 * DAY);
    expect(p.get('MSFT').meta.symbol).toBe('MSFT');
    expect(Array.from(p.get('MSFT').column('close'))).toEqual([5, 6, 7, 8]);
    expect(p.frequencyInfo.frequency).toBe('daily');
  });

  it('accepts a Map or pairs, keeps their order, and puts columns in the first symbol’s order', () => {
    const a = series(0, [1, 2], { volume: [10, 20] });
    const b = Series.create({ timestamps: [0, DAY], columns: { volume: [1, 2], close: [3, 4] } });
    const p = Panel.create(
      new Map([
        ['B', b],
        ['A', a],
      ]),
    );
    expect(p.symbols).toEqual(['B', 'A']);
    expect(p.get('A').columns).toEqual(['volume', 'close']);
    expect(
      Panel.create([
        ['Z', a],
        ['Y', a],
      ]).symbols,
    ).toEqual(['Z', 'Y']);
  });

  it('does not copy or change the given series', () => {
    const a = series(0, [1, 2]);
    const p = Panel.create({ A: a });
    expect(a.meta.symbol).toBeUndefined();
    expect(p.get('A').column('close')).toEqual(a.column('close'));
    p.timestamps[0] = 99;
    expect(p.firstTimestamp).toBe(0);
  });

  it.each([
    ['no symbols', () => Panel.create({}), /at least one symbol: received none/],
    [
      'an empty symbol',
      () => Panel.create({ '': series(0, [1]) }),
      /symbol names must be non-empty strings: received ""/,
    ],
    [
      'a spaced symbol',
      () => Panel.create({ ' A': series(0, [1]) }),
      /must not start or end with whitespace: received " A"/,
    ],
    [
      'a repeated symbol',
      () =>
        Panel.create([
          ['A', series(0, [1])],
          ['A', series(0, [2])],
        ]),
      /symbol "A" is given twice/,
    ],
    [
      'a symbol with no rows',
      () => Panel.create({ A: series(0, [1]), B: series(0, [1]).slice(0, 0) }),
      /symbol "B" has no rows/,
    ],
    [
      'not a Series',
      () => Panel.create({ A: { length: 1 } as unknown as Series }),
      /symbol "A": expected a Series, received object/,
    ],
    [
      'different columns',
      () => Panel.create({ A: series(0, [1], { volume: [1] }), B: series(0, [1], { open: [1] }) }),
      /every symbol needs the same columns: "B" lacks "volume" and has extra "open" \(compared with "A": "close", "volume"\)/,
    ],
  ])('rejects %s with a DataError', (_, make, message) => {
    expect(make).toThrow(DataError);
    expect(make).toThrow(message);
  });
});

describe('Panel operations', () => {
  const p = Panel.create({ A: series(0, [1, 2, 3, 4]), B: series(3, [10, 11, 12]), C: series(0, [7, 8]) });

  it('get names the symbols that exist when one is unknown', () => {
    expect(() => p.get('D')).toThrow('no symbol "D": the panel has "A", "B", "C"');
    expect(p.has('B')).toBe(true);
    expect(p.has('D')).toBe(false);
  });

  it('iterates [symbol, series] in order', () => {
    expect([...p].map(([s, x]) => `${s}:${x.length}`)).toEqual(['A:4', 'B:3', 'C:2']);
  });

  it('map, filter and select return new validated panels', () => {
    const last2 = p.map((s) => s.slice(-2));
    expect([...last2].map(([, s]) => s.length)).toEqual([2, 2, 2]);
    expect(p.get('A').length).toBe(4);
    expect(p.filter((s) => s.length >= 3).symbols).toEqual(['A', 'B']);
    expect(() => p.filter(() => false)).toThrow(/no symbol passes the filter/);
    expect(p.select(['C', 'A']).symbols).toEqual(['C', 'A']);
    expect(() => p.select(['A', 'X'])).toThrow(/no symbol "X"/);
    expect(() => p.map((s) => s.slice(0, 0))).toThrow(/symbol "A" has no rows/);
  });

  it('between slices every symbol by date and leaves out symbols without rows there', () => {
    const mid = p.between(2 * DAY, 3 * DAY);
    expect(mid.symbols).toEqual(['A', 'B']);
    expect(Array.from(mid.get('A').column('close'))).toEqual([3, 4]);
    expect(Array.from(mid.get('B').column('close'))).toEqual([10]);
    expect(() => p.between(10 * DAY, 11 * DAY)).toThrow(
      /no symbol has rows between 1970-01-11T00:00:00.000Z and 1970-01-12T00:00:00.000Z \(the panel spans 1970-01-01/,
    );
  });

  it('reports ingest per symbol', () => {
    const withReport = Panel.create({
      A: series(0, [1]).withMeta({
        ingest: { rowsRead: 3, order: 'ascending', droppedRows: 2, emptyRows: 0, filledValues: 0, duplicateRows: 0 },
      }),
      B: series(0, [1]),
    });
    expect(withReport.ingest).toEqual({
      A: { rowsRead: 3, order: 'ascending', droppedRows: 2, emptyRows: 0, filledValues: 0, duplicateRows: 0 },
    });
  });
});

describe('syntheticPanel (the generated test panels)', () => {
  it('is reproducible, ragged and daily', () => {
    const a = syntheticPanel({ symbols: 8, days: 600, seed: 3 });
    const b = syntheticPanel({ symbols: 8, days: 600, seed: 3 });
    expect([...a].map(([, s]) => Array.from(s.column('close')))).toEqual(
      [...b].map(([, s]) => Array.from(s.column('close'))),
    );
    expect(a.frequencyInfo.frequency).toBe('daily');
    const starts = new Set([...a].map(([, s]) => s.firstTimestamp));
    expect(starts.size).toBeGreaterThan(1);
    expect(a.get('S000').firstTimestamp).toBe(Date.UTC(2000, 0, 3));
    const c = syntheticPanel({ symbols: 8, days: 600, seed: 4 });
    expect(c.get('S001').column('close')).not.toEqual(a.get('S001').column('close'));
  });
});
