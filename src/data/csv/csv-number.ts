/**
 * Reads a number cell from a line's UTF-8 bytes while the line is split, with no string made: decimals with an
 * optional exponent, each read to exactly the double `Number()` gives its text (Clinger's fast path, else
 * Eisel-Lemire); anything else, or anything no exact method covers, is left to the caller's general path.
 */
import { eiselLemireInto } from './csv-eisel-lemire.js';

const TWO53 = 9007199254740992;
const TWO32 = 4294967296;
// Powers of ten that doubles hold exactly: an integer m < 2^53 and one of these are both exact, so one correctly
// rounded multiplication or division gives the same double as `Number(text)` (Clinger's fast path).
const EXACT_POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const PLUS = 43;
const MINUS = 45;
const POINT = 46;

/**
 * Reads the cell from `start` to the next `delimiter` (or `end`, the end of the line) as a decimal number,
 * `[+-](digits[.digits] | .digits)[(e|E)[+-]digits]`, into `out[at]`: exactly the double `Number()` gives the
 * cell's text when it is finite; NaN when the cell has any other form (spaces, a missing-value token, hex, `inf`,
 * ...) or no exact method applies (subnormal, out of range, some cells of more than 19 digits): the caller then
 * reads the cell's text on its general path. (Written, not returned: a double returned from a call that is not
 * inlined is boxed, a million objects for a million cells.)
 * @returns where the cell ends: the offset of the delimiter after it, or `end`
 * @internal
 */
export function scanNumber(
  bytes: Uint8Array,
  start: number,
  end: number,
  delimiter: number,
  out: Float64Array,
  at: number,
): number {
  let i = start;
  let c = i < end ? bytes[i] : delimiter;
  const negative = c === MINUS;
  if (negative || c === PLUS) i++;
  // The significand's first 15 significant digits in `m` (exact in a double), the next 4 in `m2`; `digits` counts
  // every digit (leading zeros too) for the power of ten, `significant` those from the first non-zero on.
  let m = 0;
  let m2 = 0;
  let digits = 0;
  let significant = 0;
  let point = -1;
  for (; i < end; i++) {
    c = bytes[i];
    const d = c - 48;
    if (d >= 0 && d <= 9) {
      digits++;
      if (significant < 15) {
        m = m * 10 + d;
        if (m !== 0) significant++;
      } else {
        if (significant < 19) m2 = m2 * 10 + d;
        significant++;
      }
    } else if (c === POINT && point < 0) point = digits;
    else break;
  }
  let q = point < 0 ? 0 : point - digits;
  if (i < end && (c === 101 || c === 69) && digits > 0) {
    i++;
    const sign = i < end ? bytes[i] : 0;
    if (sign === MINUS || sign === PLUS) i++;
    let e = 0;
    const first = i;
    for (; i < end; i++) {
      const d = bytes[i] - 48;
      if (d < 0 || d > 9) break;
      if (e < 100000) e = e * 10 + d;
    }
    if (i === first) return skip(bytes, i, end, delimiter, out, at);
    q += sign === MINUS ? -e : e;
  }
  if (digits === 0 || (i < end && bytes[i] !== delimiter)) return skip(bytes, i, end, delimiter, out, at);
  const v = significant > 15 ? Number.NaN : m === 0 ? 0 : clinger(m, q);
  if (!Number.isNaN(v)) out[at] = negative ? -v : v;
  else wide(m, m2, significant, q, out, at, negative);
  return i;
}

/** The cell is no number this path reads: NaN, and where it ends. */
function skip(bytes: Uint8Array, from: number, end: number, delimiter: number, out: Float64Array, at: number): number {
  let i = from;
  while (i < end && bytes[i] !== delimiter) i++;
  out[at] = Number.NaN;
  return i;
}

/** m * 10^q for an integer 0 < m < 2^53 by one exact operation, where one is exact (else NaN). */
function clinger(m: number, q: number): number {
  if (q === 0) return m;
  if (q < 0 && q >= -22) return m / EXACT_POW10[-q];
  if (q > 0 && q <= 22) return m * EXACT_POW10[q];
  if (q > 22 && q <= 22 + 15) {
    // m * 10^(q-22) is an exact integer while it stays below 2^53 (rounding is monotonic, so the rounded product
    // is below 2^53 only when the exact one is); then one rounding.
    const scaled = m * EXACT_POW10[q - 22];
    if (scaled < TWO53) return scaled * 1e22;
  }
  return Number.NaN;
}

/**
 * Into out[at], with its sign: a significand beyond Clinger's reach, its first 15 significant digits in `m` and the
 * next up to 4 in `m2`, put together in 64 bits: Clinger's fast path where it fits 53 bits and the power allows,
 * else Eisel-Lemire on up to 19 digits; beyond, on the first 19 (w) and on w + 1, which bracket the value: where both
 * give the same double, so does every number between them. NaN where none decides.
 */
function wide(m: number, m2: number, significant: number, q: number, out: Float64Array, at: number, negative: boolean) {
  // w = m * 10^k + m2 with k = min(significant, 19) - 15: each product and sum below is an exact integer in doubles.
  const k = Math.max(0, Math.min(significant, 19) - 15);
  const scale = EXACT_POW10[k];
  const mh = Math.floor(m / TWO32);
  const low = (m - mh * TWO32) * scale + m2;
  const carry = Math.floor(low / TWO32);
  const hi = mh * scale + carry;
  const lo = low - carry * TWO32;
  let decided: boolean;
  if (significant <= 19) {
    const w = hi * TWO32 + lo;
    const v = w < TWO53 ? clinger(w, q) : Number.NaN;
    if (!Number.isNaN(v)) out[at] = v;
    decided = !Number.isNaN(v) || eiselLemireInto(hi, lo, q, out, at);
  } else {
    const power = q + significant - 19;
    decided =
      eiselLemireInto(hi, lo, power, out, at) &&
      (lo === 0xffffffff
        ? eiselLemireInto(hi + 1, 0, power, bracket, 0)
        : eiselLemireInto(hi, lo + 1, power, bracket, 0)) &&
      bracket[0] === out[at];
  }
  out[at] = !decided ? Number.NaN : negative ? -out[at] : out[at];
}

const bracket = new Float64Array(1);
