/**
 * Decimal to double for significands up to 19 digits at any power of ten a double reaches: the Eisel-Lemire
 * algorithm (D. Lemire, "Number Parsing at a Gigabyte per Second", Software: Practice and Experience 51(8), 2021,
 * section 5-6; the fast_float library), on 32-bit limbs because JavaScript has no 64-bit integer arithmetic
 * without allocation (BigInt). It gives the correctly rounded double, the one `Number()` gives the text, or NaN
 * where it cannot be sure (the caller then asks `Number()`).
 */

const SMALLEST_POWER = -342;
const LARGEST_POWER = 308;
const TWO32 = 4294967296;

/**
 * The 128-bit significands of 5^q for q in [-342, 308], four 32-bit words each (most significant first), made on
 * first use (a few milliseconds of BigInt arithmetic): 5^q shifted so its top bit is bit 127 and truncated for
 * q >= 0, and floor(2^b / 5^-q) + 1 (likewise normalised and truncated) for q < 0, as fast_float's table is made.
 */
let powers: Uint32Array | undefined;

/** The table of powers of five (see {@link powers}). @internal */
export function powersOfFive(): Uint32Array {
  if (powers) return powers;
  const table = new Uint32Array((LARGEST_POWER - SMALLEST_POWER + 1) * 4);
  const mask = (1n << 32n) - 1n;
  for (let q = SMALLEST_POWER; q <= LARGEST_POWER; q++) {
    let v: bigint;
    if (q >= 0) {
      v = 5n ** BigInt(q);
      while (v < 1n << 127n) v <<= 1n;
    } else {
      const p = 5n ** BigInt(-q);
      // z: the least with 2^z >= 5^-q, its bit length (a power of five is no power of two).
      const z = BigInt(p.toString(2).length);
      const b = q >= -27 ? z + 127n : 2n * z + 128n;
      v = (1n << b) / p + 1n;
    }
    while (v >= 1n << 128n) v >>= 1n;
    const at = (q - SMALLEST_POWER) * 4;
    for (let k = 0; k < 4; k++) table[at + k] = Number((v >> BigInt(96 - 32 * k)) & mask);
  }
  powers = table;
  return table;
}

// 2^(e - 1075) for the biased exponents e of normal doubles (1..2046): a 53-bit significand times one of these is
// exact. Made by halving and doubling, which are exact, rather than by Math.pow.
const POW2 = new Float64Array(2047);
{
  let v = 1;
  for (let e = 1075; e < 2047; e++, v *= 2) POW2[e] = v;
  v = 1;
  for (let e = 1075; e >= 1; e--, v /= 2) POW2[e] = v;
}

// The 128-bit product's four words, most significant first, and one result (scratch, no allocation).
const r = new Float64Array(4);
const scratch = new Float64Array(1);

/**
 * The high word of the 64-bit product of 32-bit unsigned a and b whose low word is `low`: a * b in doubles is
 * within 2^11 of the exact product (below 2^64), whose high part is an integer, so rounding recovers it exactly.
 */
function high32(a: number, b: number, low: number): number {
  return Math.round((a * b - low) * 2.3283064365386963e-10);
}

/** r = (aH:aL) * (bH:bL), the full 128 bits, for 32-bit unsigned words. */
function mul64(aH: number, aL: number, bH: number, bL: number): void {
  const l00 = Math.imul(aL, bL) >>> 0;
  const l01 = Math.imul(aL, bH) >>> 0;
  const l10 = Math.imul(aH, bL) >>> 0;
  const l11 = Math.imul(aH, bH) >>> 0;
  const s1 = high32(aL, bL, l00) + l01 + l10;
  const c1 = Math.floor(s1 * 2.3283064365386963e-10);
  const s2 = high32(aL, bH, l01) + high32(aH, bL, l10) + l11 + c1;
  const c2 = Math.floor(s2 * 2.3283064365386963e-10);
  r[3] = l00;
  r[2] = s1 - c1 * TWO32;
  r[1] = s2 - c2 * TWO32;
  r[0] = high32(aH, bH, l11) + c2;
}

/**
 * The double nearest to w * 10^q (ties to even), for a significand w = wH * 2^32 + wL below 2^64, not zero; NaN
 * when the result would be subnormal, zero or infinite, or when the 128-bit product cannot decide the rounding.
 * @internal
 */
export function eiselLemire(wH: number, wL: number, q: number): number {
  return eiselLemireInto(wH, wL, q, scratch, 0) ? scratch[0] : Number.NaN;
}

/**
 * {@link eiselLemire} written to `out[at]` (a double returned from a call that is not inlined is boxed: on a
 * million cells, that is the garbage of a million objects).
 * @returns whether it decided the double (else `out[at]` is left as it was)
 * @internal
 */
export function eiselLemireInto(wH: number, wL: number, q: number, out: Float64Array, at: number): boolean {
  if (q < SMALLEST_POWER || q > LARGEST_POWER || (wH === 0 && wL === 0)) return false;
  // Normalise w so its top bit is bit 63.
  const lz = wH !== 0 ? Math.clz32(wH) : 32 + Math.clz32(wL);
  if (lz >= 32) {
    wH = wL << (lz - 32);
    wL = 0;
  } else if (lz > 0) {
    wH = (wH << lz) | (wL >>> (32 - lz));
    wL <<= lz;
  }
  wH >>>= 0;
  wL >>>= 0;
  const t = powersOfFive();
  const k = (q - SMALLEST_POWER) * 4;
  mul64(wH, wL, t[k], t[k + 1]);
  let r0 = r[0];
  let r1 = r[1];
  let r2 = r[2];
  let r3 = r[3];
  // Fewer than 55 sure bits: add the high half of w times the low 64 bits of the power.
  if ((r1 & 0x1ff) === 0x1ff) {
    mul64(wH, wL, t[k + 2], t[k + 3]);
    const low = r3 + r[1];
    const mid = r2 + r[0] + Math.floor(low / TWO32);
    r3 = low >>> 0;
    r2 = mid >>> 0;
    const carry = Math.floor(mid / TWO32);
    r0 = (r0 + (r1 + carry >= TWO32 ? 1 : 0)) >>> 0;
    r1 = (r1 + carry) >>> 0;
  }
  // The low 64 bits all ones: the approximation may be off by one unit there; only exact below 5^55 (fast_float's
  // earlier check, kept: Number() decides the rest).
  if (r2 === 0xffffffff && r3 === 0xffffffff && (q < -27 || q > 55)) return false;
  return roundToDouble(r0, r1, r2 === 0 && r3 <= 1, q, lz, out, at);
}

/**
 * The double from the high 64 bits (r0:r1) of the product, rounded to 53 bits, ties to even (`lowZero`: the low
 * 64 bits are at most 1), into out[at]; false when it is subnormal or infinite.
 */
function roundToDouble(
  r0: number,
  r1: number,
  lowZero: boolean,
  q: number,
  lz: number,
  out: Float64Array,
  at: number,
): boolean {
  const upper = r0 >>> 31;
  const shift = upper + 9;
  // The 54-bit significand (one bit more than a double's, for rounding) as mh:ml.
  let ml = ((r1 >>> shift) | (r0 << (32 - shift))) >>> 0;
  const mh = r0 >>> shift;
  let e = ((217706 * q) >> 16) + 63 + upper - lz + 1023;
  if (e <= 0) return false; // subnormal: rare, left to Number()
  // Exactly halfway between two doubles (only possible when 5^q fits 64 bits): round down to even.
  if (lowZero && q >= -4 && q <= 23 && (ml & 3) === 1 && (r1 & ((1 << shift) - 1)) === 0) ml -= 1;
  let m = mh * 2147483648 + (ml >>> 1) + (ml & 1);
  if (m >= 9007199254740992) {
    m = 4503599627370496;
    e++;
  }
  if (e >= 2047) return false;
  out[at] = m * POW2[e];
  return true;
}
