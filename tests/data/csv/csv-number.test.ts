import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanNumber as scanInto } from '../../../src/data/csv/csv-number.js';

const encode = (s: string) => new TextEncoder().encode(s);
const COMMA = 44;
const out = new Float64Array(1);
/** scanNumber's value and where it stopped. */
const scanned = { end: 0 };
const scanNumber = (bytes: Uint8Array, start: number, end: number, delimiter: number) => {
  out[0] = 12345; // must be overwritten, number or NaN
  scanned.end = scanInto(bytes, start, end, delimiter, out, 0);
  return out[0];
};

/** scanNumber over the whole text as one cell: the value and where it stopped. */
const scan = (text: string) => {
  const bytes = encode(text);
  return { value: scanNumber(bytes, 0, bytes.length, COMMA), end: scanned.end, length: bytes.length };
};

// The cells the fast path must read itself (never leave to Number()): decimals of up to 19 significant digits with
// a power of ten that keeps them normal doubles.
const READ_HERE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const significantDigits = (text: string) =>
  text
    .replace(/[eE].*$/, '')
    .replace(/\D/g, '')
    .replace(/^0+/, '').length;

const digits = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));
const sign = fc.constantFrom('', '', '-', '+');
const exponent = fc.oneof(
  fc.constant(''),
  fc
    .tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 340 }))
    .map((p) => p.join('')),
  fc.tuple(fc.constantFrom('e', 'e-'), fc.integer({ min: 20, max: 25 })).map((p) => p.join('')),
);
const decimal = fc
  .tuple(sign, digits(0, 22), fc.constantFrom('', '.'), digits(0, 22), exponent)
  .map(([s, a, p, b, e]) => `${s}${a}${p}${p ? b : ''}${e}`);
const boundary = fc.constantFrom(
  '9007199254740991', // 2^53 - 1
  '9007199254740992',
  '9007199254740993', // 2^53 + 1: a tie, rounds to even
  '-9007199254740993',
  '1e22',
  '1e23',
  '1e-22',
  '1e-23',
  '123456789e22',
  '-0',
  '-0.0',
  '+0',
  '+5',
  '.5',
  '5.',
  '-.5',
  '0e999',
  '00012.50',
  '1e+5',
  '1E5',
  '4503599627370497.5',
  '1.7976931348623157e308',
  '2.2250738585072014e-308',
);
const junk = fc.constantFrom(
  '',
  ' 5',
  '5 ',
  'Infinity',
  '-Infinity',
  'NaN',
  'inf',
  '0x1F',
  '0b11',
  '1e',
  'e5',
  '.',
  '-',
  '+',
  '+-1',
  '1..2',
  '1.2.3',
  '1_000',
  '٣',
  '1e400',
  '4.9e-324',
  '1.8e308',
);

describe('scanNumber', () => {
  it('gives exactly Number(text) for every cell it reads, and reads every decimal of up to 19 digits', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          decimal,
          boundary,
          junk,
          fc.double({ noNaN: true }).map(String),
          fc.string().filter((t) => !t.includes(',')),
        ),
        (text) => {
          const { value, end, length } = scan(text);
          expect(end).toBe(length);
          if (!Number.isNaN(value)) expect(Object.is(value, Number(text)), text).toBe(true);
          else if (READ_HERE.test(text) && significantDigits(text) <= 19) {
            const n = Math.abs(Number(text));
            // Left to Number() only when the double is subnormal, zero by underflow, or infinite (a written zero,
            // all digits 0, is read here).
            expect(significantDigits(text) > 0 && (n < 2.2250738585072014e-308 || n === Infinity), text).toBe(true);
          }
        },
      ),
      { numRuns: 30000, seed: 16 },
    );
  });

  it('reads the reference cases (ties and near-ties, CPython float()) as Number() does, or leaves them', () => {
    const { cases } = JSON.parse(readFileSync('fixtures/csv/decimal-ref.json', 'utf8')) as {
      cases: [string, string][];
    };
    let read = 0;
    for (const [text] of cases) {
      const { value } = scan(text);
      const n = Math.abs(Number(text));
      // Up to 19 digits with a normal double: always read here. More digits: read where 19 digits decide.
      if (significantDigits(text) <= 19 && n >= 2.2250738585072014e-308 && n < Infinity)
        expect(value, `refused ${text}`).not.toBeNaN();
      if (Number.isNaN(value)) continue;
      read++;
      expect(Object.is(value, Number(text)), text).toBe(true);
    }
    expect(read).toBeGreaterThan(cases.length / 2);
  });

  it('reads cells of more than 19 digits where the first 19 and the next up decide the double', () => {
    expect(scan('12345678901234567890123').value).toBe(12345678901234567890123);
    expect(scan('0.1000000000000000000001').value).toBe(0.1);
    expect(scan('3.141592653589793238462643383279').value).toBe(Math.PI);
    // 1 + 2^-53 exactly: a tie between 1 and the next double, undecided by 19 digits: left to Number().
    expect(scan('1.00000000000000011102230246251565404236316680908203125').value).toBeNaN();
  });

  it('stops at the delimiter: the cell ends there, the rest of the line is not read', () => {
    const bytes = encode('1.5e3,x;2');
    expect(scanNumber(bytes, 0, bytes.length, COMMA)).toBe(1500);
    expect(scanned.end).toBe(5);
    expect(scanNumber(bytes, 6, bytes.length, COMMA)).toBeNaN(); // "x;2" is no number
    expect(scanned.end).toBe(bytes.length);
    expect(scanNumber(bytes, 6, bytes.length, 59)).toBeNaN(); // "x" with ';' as the delimiter
    expect(scanned.end).toBe(7);
    expect(scanNumber(bytes, 8, bytes.length, 59)).toBe(2);
    expect(scanNumber(bytes, 5, 5, COMMA)).toBeNaN(); // an empty cell
    expect(scanned.end).toBe(5);
  });

  it('keeps the sign of zero and refuses what Number() reads but a CSV cell must not be', () => {
    expect(Object.is(scan('-0').value, -0)).toBe(true);
    expect(Object.is(scan('-0.000e5').value, -0)).toBe(true);
    for (const text of [' 5', 'Infinity', '0x1F', '1e400', '']) expect(scan(text).value, text).toBeNaN();
  });
});
