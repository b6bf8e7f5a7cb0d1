import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv, readCsv, type CsvOptions } from '../../../src/index.js';

// The fast path must read every file exactly as the papaparse path does: a space after the header's quoted date
// name (which papaparse skips and the fast path leaves to papaparse) sends the same content through papaparse, so
// both readings (or both errors) must be identical.
const dir = mkdtempSync(join(tmpdir(), 'stockcast-csv-fast-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const outcome = (read: () => unknown) => {
  try {
    const s = read() as { toRows(): unknown[]; meta: { ingest?: unknown } };
    return { rows: s.toRows(), ingest: s.meta.ingest };
  } catch (e) {
    return { error: `${(e as Error).name}: ${(e as Error).message}`, location: (e as { location?: unknown }).location };
  }
};
const viaPapa = (text: string) => text.replace(/^date/, '"date" ');

const plainCell = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }).map((v) => String(v)),
  fc.double({ noNaN: true }).map((v) => String(v)), // exponent notation, 17 digits, infinities
  fc.bigInt({ min: 0n, max: 10n ** 25n }).map((b) => `${b % 7n === 0n ? '-' : ''}${b}e${Number(b % 41n) - 20}`),
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  fc.bigInt({ min: 0n, max: 10n ** 19n }).map((b) => `${b}.${String(b % 1000n).padStart(3, '0')}`),
  fc.constantFrom(
    '',
    'NA',
    'nan',
    ' 5',
    '5 ',
    '0x1F',
    '1e3',
    '-0',
    '+.5',
    '1.',
    '.',
    'inf',
    '12,5',
    'abc',
    '0012.50',
    '٣',
    'é1',
    '1e400',
    '4.9e-324',
    '1.7976931348623157e308',
    '9007199254740993',
  ),
);
// Quoted cells too: read in place when simply quoted, else (an escaped quote, a space after the closing quote)
// the whole file goes through papaparse; quotes inside an unquoted cell are text.
const cell = fc.oneof(
  plainCell,
  plainCell.map((c) => `"${c}"`),
  fc.constantFrom('"1,5"', '"a""b"', 'ab"c', '"2" ', '""', '"1.5"x', '"'),
);

describe('the fast CSV path reads as papaparse does', () => {
  it('random files: the same rows, ingest report or error (file:line:column), LF and CRLF', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cell, cell, fc.boolean()), { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        fc.constantFrom<CsvOptions['missing']>('error', 'drop', 'ffill'),
        (rows, crlf, missing) => {
          const eol = crlf ? '\r\n' : '\n';
          const date = (i: number, quoted: boolean) => {
            const d = `2021-01-${String(i + 1).padStart(2, '0')}`;
            return quoted ? `"${d}"` : d;
          };
          const lines = rows.map(([a, b, q], i) => `${date(i, q)},${a},${b}`);
          const text = ['date,a,b', ...lines].join(eol) + eol;
          expect(outcome(() => parseCsv(text, { missing }))).toEqual(
            outcome(() => parseCsv(viaPapa(text), { missing })),
          );
        },
      ),
      { numRuns: 600, seed: 22 },
    );
  });

  it('quoted fields past the date-detection sample (1,000 lines): read in place, or the whole file via papaparse', async () => {
    const body = (row: (i: number) => string) =>
      `date,"a","b"\n${Array.from({ length: 1100 }, (_, i) => `"${new Date(Date.UTC(2000, 0, 1 + i)).toISOString().slice(0, 10)}",${row(i)}`).join('\n')}\n`;
    const cases = {
      allQuoted: body((i) => `"${i / 4}","${i}"`),
      escapedQuote: body((i) => (i === 1050 ? '"a""b",1' : `${i},${i}`)), // papaparse: a"b, refused
      spaceAfterQuote: body((i) => (i === 1050 ? '"2" ,1' : `${i},${i}`)), // papaparse: 2
      delimiterInside: body((i) => (i === 1050 ? '"1,5",1' : `"${i}",${i}`)), // one cell "1,5", refused
      badThenMalformed: body((i) => (i === 1020 ? 'abc,1' : i === 1050 ? '"1.5"x,1' : `${i},${i}`)),
      unquotedWithQuote: body((i) => (i === 1050 ? 'ab"c,1' : `${i},${i}`)),
    };
    for (const [name, text] of Object.entries(cases)) {
      const expected = outcome(() => parseCsv(viaPapa(text)));
      expect(
        outcome(() => parseCsv(text)),
        name,
      ).toEqual(expected);
      const file = join(dir, `${name}.csv`);
      writeFileSync(file, text);
      const read = await readCsv(file).then(
        (s) => outcome(() => s),
        (e) =>
          outcome(() => {
            throw e;
          }),
      );
      const inFile =
        'error' in expected ? { ...expected, error: String(expected.error).replace('<input>', file) } : expected;
      expect(read, name).toMatchObject(inFile);
    }
    expect(outcome(() => parseCsv(cases.allQuoted)).rows).toHaveLength(1100);
    expect(outcome(() => parseCsv(cases.delimiterInside)).location).toMatchObject({ line: 1052, column: 2 });
  });

  it('a delimiter that can be part of a number, or a number as a missing-value token: as papaparse reads them', () => {
    const dotted = 'date.a.b\n2021-01-01.5.7\n2021-01-02.NA.1e3\n';
    for (const missing of ['error', 'drop'] as const)
      expect(outcome(() => parseCsv(dotted, { delimiter: '.', missing }))).toEqual(
        outcome(() => parseCsv(dotted.replace(/^date/, '"date" '), { delimiter: '.', missing })),
      );
    expect(parseCsv(dotted, { delimiter: '.', missing: 'drop' }).column('b')).toEqual(Float64Array.of(7));
    const sentinel = 'date,a\n2021-01-01,-999\n2021-01-02,2.5\n2021-01-03,1e1\n';
    const s = parseCsv(sentinel, { naValues: ['-999'], missing: 'drop' });
    expect(Array.from(s.column('a'))).toEqual([2.5, 10]);
    expect(outcome(() => s)).toEqual(
      outcome(() => parseCsv(viaPapa(sentinel), { naValues: ['-999'], missing: 'drop' })),
    );
  });

  it('a file of three chunks (10 MB; each chunk read into the same memory): the same series as the whole text through papaparse', async () => {
    const lines = ['date,open,close'];
    let t = Date.UTC(2000, 0, 3, 9, 30);
    for (let i = 0; i < 200_000; i++, t += 60_000)
      lines.push(
        `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')},${(1e9 + i * 1.000001).toFixed(6)},${i % 97 === 0 ? 'NA' : (i / 7).toFixed(9)}`,
      );
    const text = `${lines.join('\r\n')}\r\n`;
    const file = join(dir, 'big.csv');
    writeFileSync(file, text);
    const fast = await readCsv(file, { missing: 'ffill' });
    const papa = parseCsv(viaPapa(text), { missing: 'ffill' });
    // Row 1's close is NA: with ffill that leading gap is dropped.
    expect([fast.length, papa.length]).toEqual([199_999, 199_999]);
    expect(Array.from(fast.timestamps)).toEqual(Array.from(papa.timestamps));
    for (const c of ['open', 'close']) expect(Array.from(fast.column(c))).toEqual(Array.from(papa.column(c)));
    expect(fast.meta.ingest).toEqual(papa.meta.ingest);
  });
});
