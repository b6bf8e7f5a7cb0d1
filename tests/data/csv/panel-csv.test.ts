import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DataError,
  formatPanelCsv,
  parsePanelCsv,
  readPanelCsv,
  ValidationError,
  type PanelCsvOptions,
} from '../../../src/index.js';
import { syntheticPanel } from '../../helpers/panels.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-panel-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

describe('long files', () => {
  it('reads vega-datasets stocks.csv: 5 symbols, monthly, GOOG listed in 2004', async () => {
    const p = await readPanelCsv('fixtures/stocks.csv');
    expect(p.symbols).toEqual(['MSFT', 'AMZN', 'IBM', 'GOOG', 'AAPL']);
    expect(p.columns).toEqual(['price']);
    expect(p.rowCount).toBe(560);
    expect(p.frequencyInfo.frequency).toBe('monthly');
    expect(p.get('GOOG').length).toBe(68);
    expect(iso(p.get('GOOG').firstTimestamp)).toBe('2004-08-01');
    expect(iso(p.get('AAPL').lastTimestamp)).toBe('2010-03-01');
    expect(p.get('MSFT').column('price')[0]).toBe(39.81);
    expect(p.meta.source).toBe('fixtures/stocks.csv');
    expect(p.ingest.GOOG).toEqual({
      rowsRead: 68,
      order: 'ascending',
      droppedRows: 0,
      emptyRows: 0,
      filledValues: 0,
      duplicateRows: 0,
    });
  });

  it('round-trips a generated daily panel through formatPanelCsv', async () => {
    const panel = syntheticPanel({ symbols: 6, days: 300, seed: 11 });
    const file = join(dir, 'synthetic.csv');
    writeFileSync(file, formatPanelCsv(panel));
    const back = await readPanelCsv(file);
    expect(back.symbols).toEqual(panel.symbols);
    for (const [symbol, s] of panel) expect(back.get(symbol).toRows()).toEqual(s.toRows());
    expect(parsePanelCsv(formatPanelCsv(panel)).get('S003').toRows()).toEqual(panel.get('S003').toRows());
  });

  it('applies the missing and duplicate policies per symbol, with a report per symbol', () => {
    // Rows interleaved and out of order; A has a gap and a repeated date, B a leading gap.
    const text =
      'ticker,date,close\nA,2021-01-04,1\nB,2021-01-05,\nA,2021-01-06,\nB,2021-01-06,20\nA,2021-01-05,2\nA,2021-01-07,4\nA,2021-01-07,5\nB,2021-01-07,21\n';
    const p = parsePanelCsv(text, { missing: 'ffill', duplicates: 'last' });
    expect(Array.from(p.get('A').column('close'))).toEqual([1, 2, 2, 5]);
    expect(p.ingest.A).toEqual({
      rowsRead: 5,
      order: 'unsorted',
      droppedRows: 0,
      emptyRows: 0,
      filledValues: 1,
      duplicateRows: 1,
      filled: { method: 'ffill', timestamps: [Date.UTC(2021, 0, 6)] },
    });
    expect(Array.from(p.get('B').column('close'))).toEqual([20, 21]);
    expect(p.ingest.B).toEqual({
      rowsRead: 3,
      order: 'ascending',
      droppedRows: 1,
      emptyRows: 0,
      filledValues: 0,
      duplicateRows: 0,
    });
    expect(() => parsePanelCsv(text, { missing: 'ffill' })).toThrow(
      /^<input>:8: duplicate date 2021-01-07T00:00:00.000Z, first seen on line 7/,
    );
  });

  it('keeps chosen symbols (in that order) and columns; skips other symbols’ rows unread', () => {
    const text = 'Symbol,Date,Open,Close\nA,2021-01-04,1,2\nB,2021-01-04,3,4\nC,not a date,x,y\n';
    const p = parsePanelCsv(text, { symbolColumn: 'Symbol', symbols: ['B', 'A'], columns: ['Close'] });
    expect(p.symbols).toEqual(['B', 'A']);
    expect(p.columns).toEqual(['Close']);
  });

  it.each([
    [
      'an unknown symbol column',
      'sym,date,close\nA,2021-01-04,1\n',
      { symbolColumn: 'Ticker' },
      '<input>:1: no symbol column "Ticker": the header has "sym", "date", "close"',
    ],
    [
      'no symbol column to detect',
      'sym,date,close\nA,2021-01-04,1\n',
      {},
      '<input>:1: no symbol column (looked for symbol, ticker): the header has "sym", "date", "close"',
    ],
    [
      'an empty symbol name',
      'symbol,date,close\nA,2021-01-04,1\n  ,2021-01-05,1\n',
      {},
      '<input>:3:1 column "symbol": empty symbol name',
    ],
    [
      'a symbol with no rows',
      'symbol,date,close\nA,2021-01-04,1\n',
      { symbols: ['A', 'B'] },
      'symbol "B" has no rows: the symbols found are "A"',
    ],
    [
      'a symbol whose rows are all dropped',
      'symbol,date,close\nA,2021-01-04,NA\nB,2021-01-04,1\n',
      { missing: 'drop' },
      'symbol "A" has no rows left: the missing policy "drop" dropped all 1',
    ],
    [
      'a hex value',
      'symbol,date,close\nA,2021-01-04,0x10\n',
      {},
      '<input>:2:3 column "close": expected a decimal number, received the hexadecimal literal "0x10"',
    ],
    [
      'a missing value under missing=error',
      'symbol,date,close\nA,2021-01-04,1\nA,2021-01-05, \n',
      {},
      '<input>:3:3 column "close": blank value where a number was expected',
    ],
  ])('rejects %s', (_, text, options, message) => {
    let error: unknown;
    try {
      parsePanelCsv(text, options as PanelCsvOptions);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message.startsWith(message)).toBe(true);
  });

  it('names the file in errors from disk', async () => {
    const file = join(dir, 'bad-symbol.csv');
    writeFileSync(file, 'symbol,date,close\nA,2021-01-04,1\n,2021-01-05,2\n');
    await expect(readPanelCsv(file)).rejects.toThrow(`${file}:3:1 column "symbol": empty symbol name`);
    await expect(readPanelCsv(file, { symbols: ['Z'] })).rejects.toThrow(
      `${file}:3:1 column "symbol": empty symbol name`,
    );
  });
});

describe('wide files', () => {
  const wide = 'date,AAPL,MSFT,GOOG\n2021-01-04,,10,\n2021-01-05,1,11,\n2021-01-06,2,12,100\n2021-01-07,3,,101\n';

  it('one value column per symbol; empty cells before the first and after the last value are not rows', () => {
    const p = parsePanelCsv(wide, { wide: true });
    expect(p.symbols).toEqual(['AAPL', 'MSFT', 'GOOG']);
    expect(p.columns).toEqual(['close']);
    expect(
      p
        .get('AAPL')
        .dates()
        .map((d) => iso(+d)),
    ).toEqual(['2021-01-05', '2021-01-06', '2021-01-07']);
    expect(Array.from(p.get('MSFT').column('close'))).toEqual([10, 11, 12]);
    expect(Array.from(p.get('GOOG').column('close'))).toEqual([100, 101]);
    expect(p.ingest.GOOG).toMatchObject({ rowsRead: 2, droppedRows: 0 });
  });

  it('names the value column with valueColumn and picks symbols', () => {
    const p = parsePanelCsv(wide, { wide: true, valueColumn: 'adjclose', symbols: ['GOOG', 'AAPL'] });
    expect(p.symbols).toEqual(['GOOG', 'AAPL']);
    expect(p.columns).toEqual(['adjclose']);
  });

  it('a gap inside a symbol’s span follows the missing policy', () => {
    const gappy = 'date,A,B\n2021-01-04,1,5\n2021-01-05,NA,6\n2021-01-06,3,7\n';
    expect(() => parsePanelCsv(gappy, { wide: true })).toThrow(
      /^<input>:3:2 column "A": missing value for symbol "A" on 2021-01-05, inside its span of data \(2021-01-04 to 2021-01-06\)/,
    );
    const p = parsePanelCsv(gappy, { wide: true, missing: 'interpolate' });
    expect(Array.from(p.get('A').column('close'))).toEqual([1, 2, 3]);
    expect(p.ingest.A).toMatchObject({ filledValues: 1 });
    expect(p.ingest.B).toMatchObject({ filledValues: 0 });
  });

  it('reads descending files the same way', () => {
    const desc = 'date,A,B\n2021-01-06,3,\n2021-01-05,2,6\n2021-01-04,,5\n';
    const p = parsePanelCsv(desc, { wide: true });
    expect(Array.from(p.get('A').column('close'))).toEqual([2, 3]);
    expect(Array.from(p.get('B').column('close'))).toEqual([5, 6]);
    expect(p.ingest.A?.order).toBe('descending');
  });

  it.each([
    [
      'a header that repeats a symbol',
      'date,AAPL,MSFT,AAPL\n2021-01-04,1,2,3\n',
      {},
      '<input>:1:4: symbol "AAPL" appears twice in the header (columns 2 and 4)',
    ],
    [
      'an empty symbol name',
      'date,AAPL,\n2021-01-04,1,2\n',
      {},
      '<input>:1:3: empty symbol name in the header of a wide file (column 3)',
    ],
    [
      'a symbol with no values',
      'date,AAPL,MSFT\n2021-01-04,1,\n2021-01-05,2, \n',
      {},
      '<input>:1:3: symbol "MSFT" has no values: every cell of column 3 is missing',
    ],
    [
      'an unknown symbol',
      'date,AAPL\n2021-01-04,1\n',
      { symbols: ['MSFT'] },
      '<input>:1: no column for symbol "MSFT": the header has "date", "AAPL"',
    ],
    [
      'infinite text',
      'date,AAPL\n2021-01-04,inf\n',
      {},
      '<input>:2:2 column "AAPL": expected a finite number, received "inf"',
    ],
  ])('rejects %s', (_, text, options, message) => {
    expect(() => parsePanelCsv(text, { wide: true, ...options })).toThrow(DataError);
    expect(() => parsePanelCsv(text, { wide: true, ...options })).toThrow(message);
  });

  it('reads a wide file from disk with the file in errors', async () => {
    const file = join(dir, 'wide.csv');
    writeFileSync(file, wide);
    expect((await readPanelCsv(file, { wide: true })).get('AAPL').length).toBe(3);
    const dup = join(dir, 'dup.csv');
    writeFileSync(dup, 'date,X,X\n2021-01-04,1,2\n');
    await expect(readPanelCsv(dup, { wide: true })).rejects.toThrow(`${dup}:1:3: symbol "X" appears twice`);
  });
});

describe('options', () => {
  it.each([
    [{ wide: true, symbolColumn: 'symbol' }, /symbolColumn: a wide file has no symbol column/],
    [{ wide: true, columns: ['close'] }, /columns: a wide file has one value per symbol/],
    [{ valueColumn: 'close' }, /valueColumn: valueColumn names the values of a wide file/],
    [{ symbols: ['A', 'A'] }, /symbols: a symbol is listed twice/],
    [{ nope: 1 }, /nope/],
  ])('%j is refused', (options, message) => {
    expect(() => parsePanelCsv('symbol,date,close\nA,2021-01-04,1\n', options as never)).toThrow(ValidationError);
    expect(() => parsePanelCsv('symbol,date,close\nA,2021-01-04,1\n', options as never)).toThrow(message);
  });
});
