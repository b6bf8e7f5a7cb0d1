import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError, DEFAULT_NA_VALUES, parseCsv, readCsv } from '../../src/index.js';
import { MISSING_CELLS, NUMBER_CELLS, PANDAS_NA_VALUES, REFUSED_CELLS, withCell } from '../helpers/cell-cases.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-cells-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function errorOf(f: () => unknown): DataError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError');
}

describe('missing-value tokens: pandas defaults, exactly', () => {
  it('the exported list is pandas’ default na_values and nothing else', () => {
    expect([...DEFAULT_NA_VALUES].sort()).toEqual([...PANDAS_NA_VALUES].sort());
    expect(DEFAULT_NA_VALUES).toHaveLength(19);
    expect(Object.isFrozen(DEFAULT_NA_VALUES)).toBe(true);
  });

  const tokens = MISSING_CELLS;
  it.each(tokens.map((t) => [JSON.stringify(t), t]))(
    '%s is missing: an error under missing=error, dropped or filled otherwise',
    (_, token) => {
      const e = errorOf(() => parseCsv(withCell(token)));
      expect(e.location).toMatchObject({ line: 3, column: 2, columnName: 'close' });
      expect(e.message).toMatch(
        token.trim() === ''
          ? /blank value where a number was expected/
          : /missing value ".+" where a number was expected/,
      );
      const dropped = parseCsv(withCell(token), { missing: 'drop' });
      expect(Array.from(dropped.column('close'))).toEqual([1, 3]);
      expect(dropped.meta.ingest?.droppedRows).toBe(1);
      const filled = parseCsv(withCell(token), { missing: 'ffill' });
      expect(Array.from(filled.column('close'))).toEqual([1, 1, 3]);
      expect(filled.meta.ingest?.filledValues).toBe(1);
    },
  );

  it('readCsv (the streaming path) treats every token the same way', async () => {
    const file = join(dir, 'tokens.csv');
    const rows = tokens.map((t, i) => `2021-02-${String(i + 1).padStart(2, '0')},"${t}"`);
    writeFileSync(file, `date,close\n2021-01-31,5\n${rows.join('\n')}\n`);
    const s = await readCsv(file, { missing: 'ffill' });
    expect(s.length).toBe(tokens.length + 1);
    expect(new Set(s.column('close'))).toEqual(new Set([5]));
    expect(s.meta.ingest?.filledValues).toBe(tokens.length);
  });

  it('a list given in naValues replaces the default; numeric sentinels are honoured', () => {
    const s = parseCsv(withCell('-999'), { naValues: ['-999'], missing: 'drop' });
    expect(Array.from(s.column('close'))).toEqual([1, 3]);
    expect(() => parseCsv(withCell('NA'), { naValues: ['-999'] })).toThrow(/expected a number, received "NA"/);
    expect(Array.from(parseCsv(withCell(' . '), { naValues: ['.'], missing: 'drop' }).column('close'))).toEqual([1, 3]);
  });
});

describe('numbers: decimals with or without surrounding spaces', () => {
  it.each(NUMBER_CELLS)('%j reads as %d', (cell, value) => {
    expect(parseCsv(withCell(cell)).column('close')[1]).toBe(value);
  });
});

describe('refused, never guessed: a DataError at file:line:column', () => {
  it.each(REFUSED_CELLS)('%j', (cell, pattern) => {
    const e = errorOf(() => parseCsv(withCell(cell), { missing: 'drop' }));
    expect(e.message).toMatch(/^<input>:3:2 column "close": /);
    expect(e.message).toMatch(pattern);
    expect(e.location).toMatchObject({ line: 3, column: 2, columnName: 'close' });
  });

  it('names the file when reading from disk', async () => {
    const file = join(dir, 'hex.csv');
    writeFileSync(file, withCell('0x1F'));
    await expect(readCsv(file)).rejects.toThrow(
      `${file}:3:2 column "close": expected a decimal number, received the hexadecimal literal "0x1F"`,
    );
  });
});
