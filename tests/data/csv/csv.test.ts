import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError, parseCsv, readCsv, ValidationError } from '../../../src/index.js';

const bad = (name: string) => `fixtures/csv/${name}.csv`;

async function errorOf(p: Promise<unknown>): Promise<DataError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DataError);
  return e as DataError;
}

describe('readCsv on the bundled fixtures', () => {
  it("reads the lecture's NCSoft table (yyyy.M.d dates)", async () => {
    const s = await readCsv('fixtures/ncsoft-weekly.csv');
    expect(s.length).toBe(23);
    expect(s.columns).toEqual(['num_search', 'stock_price']);
    expect(s.dates()[0].toISOString()).toBe('2021-03-21T00:00:00.000Z');
    expect(s.dates()[22].toISOString()).toBe('2021-08-22T00:00:00.000Z');
    expect(s.meta.frequency).toBe('weekly');
    expect(s.column('stock_price')[0]).toBe(932000);
    expect(s.column('num_search')[22]).toBe(38);
  });

  it('reads the S&P 500 daily OHLCV file', async () => {
    const s = await readCsv('fixtures/sp500-2000.csv');
    expect(s.length).toBe(5105);
    expect(s.columns).toEqual(['open', 'high', 'low', 'close', 'adjclose', 'volume']);
    expect(s.dates()[0].toISOString().slice(0, 10)).toBe('2000-01-03');
    expect(s.dates()[5104].toISOString().slice(0, 10)).toBe('2020-04-17');
    expect(s.meta.frequency).toBe('daily');
    expect(s.meta.ingest).toEqual({
      rowsRead: 5105,
      order: 'ascending',
      droppedRows: 0,
      emptyRows: 0,
      filledValues: 0,
      duplicateRows: 0,
    });
  });

  it('handles BOM, CRLF, quoted fields, spaced headers and descending order', async () => {
    const s = await readCsv('fixtures/csv/bom-crlf-desc.csv');
    expect(s.columns).toEqual(['Open', 'Adj Close', 'Volume']);
    expect(Array.from(s.column('Adj Close'))).toEqual([1.5, 2.5, 3.5]);
    expect(s.dates().map((d) => d.toISOString().slice(0, 10))).toEqual(['2021-01-01', '2021-01-04', '2021-01-05']);
    expect(s.meta.ingest?.order).toBe('descending');
  });

  it('parseCsv and readCsv agree', async () => {
    const text = readFileSync('fixtures/ncsoft-weekly.csv', 'utf8');
    expect(parseCsv(text).toRows()).toEqual((await readCsv('fixtures/ncsoft-weekly.csv')).toRows());
  });
});

describe('bad input: a DataError with file, line, column and the offending value', () => {
  it.each([
    ['empty', 'fixtures/csv/empty.csv: empty file: expected a header line and data rows'],
    ['header-only', 'fixtures/csv/header-only.csv:2: no data rows after the header (date, close)'],
    [
      'no-date-column',
      'fixtures/csv/no-date-column.csv:1: no date column (looked for date, timestamp, time, datetime): the header has "day", "close"',
    ],
    [
      'bad-date',
      'fixtures/csv/bad-date.csv:3:1 column "date": cannot parse date "2021-01-32" with format iso (auto-detected)',
    ],
    ['non-numeric', 'fixtures/csv/non-numeric.csv:3:2 column "close": expected a number, received "abc"'],
    ['ragged', 'fixtures/csv/ragged.csv:3:3 column "volume": expected 3 fields like the header, received 2'],
    [
      'duplicate-date',
      'fixtures/csv/duplicate-date.csv:4: duplicate date 2021-01-02T00:00:00.000Z, first seen on line 3',
    ],
    ['blank-value', 'fixtures/csv/blank-value.csv:3:2 column "close": blank value where a number was expected'],
  ])('%s', async (name, message) => {
    const e = await errorOf(readCsv(bad(name)));
    expect(e.message.startsWith(message)).toBe(true);
    expect(e.location.file).toBe(bad(name));
    expect(e.code).toBe('DATA_ERROR');
  });

  it('reports a file that does not exist', async () => {
    const e = await errorOf(readCsv('fixtures/csv/nope.csv'));
    expect(e.message).toMatch(/fixtures\/csv\/nope.csv: cannot read file: ENOENT/);
  });

  it('counts physical lines when quoted fields contain line breaks', () => {
    const text = 'date,note,close\n2021-01-01,"two\nlines",1\n2021-01-02,x,oops\n';
    expect(() => parseCsv(text, { columns: ['close'] })).toThrow(
      /^<input>:4:3 column "close": expected a number, received "oops"/,
    );
  });

  it('names the columns that exist when a requested column is missing', () => {
    expect(() => parseCsv('date,close\n2021-01-01,1\n', { columns: ['Close'] })).toThrow(
      'no value column "Close": the header has "date", "close"',
    );
    expect(() => parseCsv('Day,close\n2021-01-01,1\n', { dateColumn: 'date' })).toThrow(
      'no date column "date": the header has "Day", "close"',
    );
  });

  it('refuses a header that repeats a name or has no value column, and names blank columns like pandas', () => {
    expect(() => parseCsv('date,close,close\n2021-01-01,1,2\n')).toThrow(
      '<input>:1:3: duplicate column name "close" in the header',
    );
    expect(() => parseCsv('date\n2021-01-01\n')).toThrow('<input>:1: no value columns besides the date column "date"');
    expect(parseCsv('\ufeffdate,\n2021-01-01,1\n').columns).toEqual(['Unnamed: 1']);
  });

  it('rejects bad options with a ValidationError naming the option', () => {
    expect(() => parseCsv('date,a\n2021-01-01,1\n', { missing: 'zero' as never })).toThrow(ValidationError);
    expect(() => parseCsv('date,a\n2021-01-01,1\n', { missing: 'zero' as never })).toThrow(/missing:/);
    expect(() => parseCsv('date,a\n', { nope: 1 } as never)).toThrow(/nope/);
  });
});

describe('dates', () => {
  const one = (date: string, options = {}) => parseCsv(`date,v\n${date},1\n`, options).dates()[0].toISOString();
  it('auto-detects ISO, the lecture format, epochs and compact dates', () => {
    expect(one('2021-03-21')).toBe('2021-03-21T00:00:00.000Z');
    expect(one('2021.3.21')).toBe('2021-03-21T00:00:00.000Z');
    expect(one('2021-03-21T14:30:00Z')).toBe('2021-03-21T14:30:00.000Z');
    expect(one('2021-03-21 14:30:00')).toBe('2021-03-21T14:30:00.000Z');
    expect(one('2021-03-21T14:30:00+09:00')).toBe('2021-03-21T05:30:00.000Z');
    expect(one('1616284800')).toBe('2021-03-21T00:00:00.000Z');
    expect(one('1616284800000')).toBe('2021-03-21T00:00:00.000Z');
    expect(one('20210321')).toBe('2021-03-21T00:00:00.000Z');
    expect(one('3/21/2021')).toBe('2021-03-21T00:00:00.000Z');
  });
  it('reads month names (vega-datasets style) and day-first dashes', () => {
    expect(one('Jan 1 2000')).toBe('2000-01-01T00:00:00.000Z');
    expect(one('"Mar 21, 2021"')).toBe('2021-03-21T00:00:00.000Z');
    expect(one('21-Mar-2021')).toBe('2021-03-21T00:00:00.000Z');
    expect(parseCsv('date,v\n21-03-2021,1\n22-03-2021,2\n').dates()[0].toISOString().slice(0, 10)).toBe('2021-03-21');
  });

  it('names an empty header like pandas does (its index column)', () => {
    const s = parseCsv(',date,close\n0,2021-01-01,5\n1,2021-01-02,6\n');
    expect(s.columns).toEqual(['Unnamed: 0', 'close']);
    expect(parseCsv(',date,close\n0,2021-01-01,5\n', { columns: ['close'] }).columns).toEqual(['close']);
  });

  it('uses an explicit date-fns format', () => {
    expect(one('21/03/2021', { dateFormat: 'dd/MM/yyyy' })).toBe('2021-03-21T00:00:00.000Z');
    expect(one('21 Mar 2021', { dateFormat: 'dd MMM yyyy' })).toBe('2021-03-21T00:00:00.000Z');
    expect(one('1616284800', { dateFormat: 'epoch-s' })).toBe('2021-03-21T00:00:00.000Z');
  });
  it('names the candidates when the format is ambiguous', () => {
    expect(() => parseCsv('date,v\n01/02/2021,1\n03/04/2021,2\n')).toThrow(
      /^<input>:2:1 column "date": ambiguous date format: M\/d\/yyyy and d\/M\/yyyy all read "01\/02\/2021"/,
    );
    // A day above 12 settles it.
    expect(parseCsv('date,v\n01/02/2021,1\n25/02/2021,2\n').dates()[1].toISOString().slice(0, 10)).toBe('2021-02-25');
  });
  it('rejects impossible calendar dates', () => {
    expect(() => parseCsv('date,v\n2021-02-29,1\n', { dateFormat: 'yyyy-MM-dd' })).toThrow(
      /cannot parse date "2021-02-29" with format "yyyy-MM-dd"/,
    );
  });
});

describe('policies', () => {
  const gappy = 'date,a,b\n2021-01-01,,1\n2021-01-02,2,2\n2021-01-03,,3\n2021-01-05,6,5\n2021-01-06,null,6\n';
  it('drop removes incomplete rows and counts them', () => {
    const s = parseCsv(gappy, { missing: 'drop' });
    expect(Array.from(s.column('a'))).toEqual([2, 6]);
    expect(s.meta.ingest?.droppedRows).toBe(3);
  });
  it('ffill carries values forward; leading gaps are dropped and counted', () => {
    const s = parseCsv(gappy, { missing: 'ffill' });
    expect(Array.from(s.column('a'))).toEqual([2, 2, 6, 6]);
    expect(s.meta.ingest).toMatchObject({ droppedRows: 1, filledValues: 2 });
  });
  it('interpolate is linear in time; trailing gaps are carried forward', () => {
    const s = parseCsv(gappy, { missing: 'interpolate' });
    // Jan 3 lies one third of the way from Jan 2 (2) to Jan 5 (6).
    expect(Array.from(s.column('a'))).toEqual([2, 2 + 4 / 3, 6, 6]);
    expect(s.meta.ingest?.filledValues).toBe(2);
  });
  it('duplicates first/last keep the row in file order and count the rest', () => {
    const text = 'date,v\n2021-01-02,2\n2021-01-01,1\n2021-01-02,3\n';
    expect(Array.from(parseCsv(text, { duplicates: 'first' }).column('v'))).toEqual([1, 2]);
    expect(Array.from(parseCsv(text, { duplicates: 'last' }).column('v'))).toEqual([1, 3]);
    expect(parseCsv(text, { duplicates: 'last' }).meta.ingest).toMatchObject({ duplicateRows: 1, order: 'unsorted' });
  });
  it('descending files with duplicates keep file order for first/last', () => {
    const text = 'date,v\n2021-01-03,3\n2021-01-02,20\n2021-01-02,21\n2021-01-01,1\n';
    expect(Array.from(parseCsv(text, { duplicates: 'first' }).column('v'))).toEqual([1, 20, 3]);
    expect(Array.from(parseCsv(text, { duplicates: 'last' }).column('v'))).toEqual([1, 21, 3]);
  });
  it('keeps only the requested columns and skips blank lines', () => {
    const s = parseCsv('date,name,close\n2021-01-01,a,1\n\n2021-01-02,b,2\n', { columns: ['close'] });
    expect(s.columns).toEqual(['close']);
    expect(s.length).toBe(2);
  });
});
