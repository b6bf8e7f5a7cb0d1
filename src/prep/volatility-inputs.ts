/** Inputs of recurrent volatility models: log variances, HAR's components of them, and windows of both, from rows <= t only. */
import { DataError } from '../errors.js';

/** What a positive target is: a volatility (its square is the variance) or a variance. */
export type PositiveKind = 'volatility' | 'variance';

/**
 * The log variance of each row: 2 ln y for a volatility, ln y for a variance, with y raised to `floor` first so a
 * zero-variance day (a holiday row, a halted stock) gives a finite value rather than -Infinity.
 * @param y - the target values
 * @param kind - volatility or variance
 * @param floor - the smallest value used, > 0
 * @returns one log variance per row
 * @internal
 */
export function logVariance(y: ArrayLike<number>, kind: PositiveKind, floor: number): Float64Array {
  const out = new Float64Array(y.length);
  const k = kind === 'volatility' ? 2 : 1;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (Number.isNaN(v))
      throw new DataError(`a volatility input at row ${i} is NaN`, {}, { hint: 'drop or fill the missing rows first' });
    out[i] = k * Math.log(Math.max(v, floor));
  }
  return out;
}

/**
 * HAR's components of a log measure: at row t the means over the last 1, 5 and 22 rows (or the rows there are,
 * for the first 21), so every row has all three and none reads a later row.
 * @param l - the log measure
 * @param spans - the daily, weekly and monthly spans (default [1, 5, 22])
 * @returns three arrays, one per span
 * @internal
 */
export function harLogComponents(l: ArrayLike<number>, spans: readonly number[] = [1, 5, 22]): Float64Array[] {
  return spans.map((span) => {
    const out = new Float64Array(l.length);
    for (let t = 0; t < l.length; t++) {
      const from = Math.max(0, t - span + 1);
      let sum = 0;
      for (let i = from; i <= t; i++) sum += l[i];
      out[t] = sum / (t - from + 1);
    }
    return out;
  });
}

/** The mean and standard deviation of rows [from, to) of each input, to standardize them (fitted on training rows). @internal */
export interface InputScale {
  mean: number[];
  std: number[];
}

/**
 * Fits the standardization of each input column on rows [from, to): a column that does not vary gets std 1.
 * @internal
 */
export function fitInputScale(columns: readonly ArrayLike<number>[], from: number, to: number): InputScale {
  const mean: number[] = [];
  const std: number[] = [];
  for (const c of columns) {
    let s = 0;
    for (let i = from; i < to; i++) s += c[i];
    const m = s / Math.max(1, to - from);
    let ss = 0;
    for (let i = from; i < to; i++) ss += (c[i] - m) ** 2;
    const sd = Math.sqrt(ss / Math.max(1, to - from - 1));
    mean.push(m);
    std.push(sd > 1e-12 ? sd : 1);
  }
  return { mean, std };
}

/**
 * Windows of standardized inputs: for each origin t, rows t-L..t-1 of every column, [count, L, F] row-major.
 * @param columns - F input columns
 * @param scale - their standardization
 * @param origins - origin rows, each >= L
 * @param lookback - L
 * @returns the windows as float32
 * @internal
 */
export function inputWindows(
  columns: readonly ArrayLike<number>[],
  scale: InputScale,
  origins: ArrayLike<number>,
  lookback: number,
): Float32Array {
  const F = columns.length;
  const x = new Float32Array(origins.length * lookback * F);
  for (let k = 0; k < origins.length; k++) {
    const t = origins[k];
    if (t < lookback) throw new DataError(`an origin at row ${t} needs ${lookback} rows before it`);
    for (let s = 0; s < lookback; s++) {
      const row = t - lookback + s;
      for (let f = 0; f < F; f++) x[(k * lookback + s) * F + f] = (columns[f][row] - scale.mean[f]) / scale.std[f];
    }
  }
  return x;
}
