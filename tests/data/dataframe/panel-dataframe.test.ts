import type { DataFrame } from 'danfojs-node';
import { describe, expect, it } from 'vitest';
import {
  DataError,
  panelFromDataFrame,
  panelFromDataFrames,
  panelToDataFrame,
  readCsv,
  readPanelCsv,
  toDataFrame,
} from '../../../src/index.js';

describe('panels and danfojs-node', () => {
  it('round-trips vega-datasets stocks.csv through one long DataFrame', async () => {
    const stocks = await readPanelCsv('fixtures/stocks.csv');
    const df = await panelToDataFrame<DataFrame>(stocks);
    expect(df.columns).toEqual(['symbol', 'date', 'price']);
    expect(df.shape).toEqual([560, 3]);
    const back = panelFromDataFrame(df);
    expect(back.symbols).toEqual(stocks.symbols);
    for (const [symbol, s] of stocks) expect(back.get(symbol).toRows()).toEqual(s.toRows());
    expect(back.meta.source).toBe('dataframe');
  }, 60_000);

  it('a long DataFrame: policies per symbol, a chosen symbol column and symbols', async () => {
    const danfo = await import('danfojs-node');
    const df = new danfo.DataFrame({
      Ticker: ['A', 'B', 'A', 'B', 'A'],
      date: ['2021-01-04', '2021-01-04', '2021-01-05', '2021-01-05', '2021-01-06'],
      close: [1, 10, null, 11, 3],
    });
    const p = panelFromDataFrame(df, { symbolColumn: 'Ticker', missing: 'ffill', symbols: ['B', 'A'] });
    expect(p.symbols).toEqual(['B', 'A']);
    expect(Array.from(p.get('A').column('close'))).toEqual([1, 1, 3]);
    expect(p.ingest.A).toMatchObject({ filledValues: 1, rowsRead: 3 });
    expect(p.ingest.B).toMatchObject({ filledValues: 0, rowsRead: 2 });
    expect(() => panelFromDataFrame(df, { symbolColumn: 'Ticker' })).toThrow(
      'row 2 column "close" (symbol "A"): missing value',
    );
    expect(panelFromDataFrame(df, { missing: 'drop' }).symbols).toEqual(['A', 'B']); // Ticker is found by name
    const unnamed = new danfo.DataFrame({ Sym: ['A'], date: ['2021-01-04'], close: [1] });
    expect(() => panelFromDataFrame(unnamed)).toThrow(
      'no symbol column (looked for symbol, ticker): the DataFrame has "Sym", "date", "close"',
    );
    expect(() => panelFromDataFrame(df, { symbolColumn: 'Sym' })).toThrow(/no symbol column "Sym"/);
    expect(() => panelFromDataFrame(df, { symbolColumn: 'Ticker', missing: 'drop', symbols: ['C'] })).toThrow(
      'symbol "C" has no rows: the symbols found are "A", "B"',
    );
  });

  it('rejects an empty symbol and a repeated date, naming the symbol', async () => {
    const danfo = await import('danfojs-node');
    const empty = new danfo.DataFrame({ symbol: ['A', ' '], date: ['2021-01-04', '2021-01-05'], close: [1, 2] });
    expect(() => panelFromDataFrame(empty)).toThrow('row 1 column "symbol": expected a symbol name, received " "');
    const dup = new danfo.DataFrame({
      symbol: ['A', 'B', 'B'],
      date: ['2021-01-04', '2021-01-04', '2021-01-04'],
      close: [1, 2, 3],
    });
    expect(() => panelFromDataFrame(dup)).toThrow(/^symbol "B": duplicate date 2021-01-04T00:00:00.000Z/);
  });

  it('one DataFrame per symbol', async () => {
    const sp = await readCsv('fixtures/sp500-2000.csv');
    const frames = { SPX: await toDataFrame(sp.slice(0, 50)), LATE: await toDataFrame(sp.slice(20, 40)) };
    const p = panelFromDataFrames(frames);
    expect(p.symbols).toEqual(['SPX', 'LATE']);
    expect(p.get('LATE').toRows()).toEqual(sp.slice(20, 40).toRows());
    expect(p.get('LATE').meta.symbol).toBe('LATE');
    expect(
      panelFromDataFrames(new Map(Object.entries(frames)), { symbols: ['LATE'], columns: ['close'] }).columns,
    ).toEqual(['close']);
    expect(() => panelFromDataFrames(frames, { symbols: ['NOPE'] })).toThrow(
      'no DataFrame for symbol "NOPE": received "SPX", "LATE"',
    );
    const danfo = await import('danfojs-node');
    const bad = new danfo.DataFrame({ date: ['2021-01-04'], close: ['x'] });
    const e = (() => {
      try {
        panelFromDataFrames({ SPX: frames.SPX, BAD: bad }, { columns: ['close'] });
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(DataError);
    expect((e as Error).message).toBe('symbol "BAD": row 0 column "close": expected a finite number, received "x"');
    expect(() => panelFromDataFrames({ A: frames.SPX }, { symbolColumn: 'symbol' })).toThrow(
      /symbolColumn applies to one long DataFrame/,
    );
  }, 60_000);
});
