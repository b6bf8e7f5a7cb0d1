import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv, readCsv, type CsvOptions } from '../../../src/index.js';

// The fast path (unquoted bytes) must read every file exactly as the papaparse path does: quoting the header's
// date name sends the same content through papaparse, so both readings (or both errors) must be identical.
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
const viaPapa = (text: string) => text.replace(/^date/, '"date"');

const cell = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }).map((v) => String(v)),
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
  ),
);

describe('the fast CSV path reads as papaparse does', () => {
  it('random files: the same rows, ingest report or error (file:line:column), LF and CRLF', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        fc.constantFrom<CsvOptions['missing']>('error', 'drop', 'ffill'),
        (rows, crlf, missing) => {
          const eol = crlf ? '\r\n' : '\n';
          const lines = rows.map(([a, b], i) => `2021-01-${String(i + 1).padStart(2, '0')},${a},${b}`);
          const text = ['date,a,b', ...lines].join(eol) + eol;
          expect(outcome(() => parseCsv(text, { missing }))).toEqual(
            outcome(() => parseCsv(viaPapa(text), { missing })),
          );
        },
      ),
      { numRuns: 300, seed: 22 },
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
