/** Return transforms (percent change, log returns, k-th order differences) with inverses that rebuild levels from anchors. */
import { DataError } from '../errors.js';
import { Series } from '../data/series.js';

type Step = (values: Float64Array, column: string) => Float64Array;

/** Applies a one-row-shorter transform to the chosen columns and drops the first `lost` rows of the rest. */
function transformColumns(series: Series, columns: readonly string[] | undefined, lost: number, step: Step): Series {
  const names = columns ?? series.columns;
  if (series.length <= lost)
    throw new DataError(`the transform needs more than ${lost} rows, the series has ${series.length}`);
  for (const c of names) series.columnRef(c);
  const out: Record<string, ArrayLike<number>> = {};
  for (const c of series.columns)
    out[c] = names.includes(c) ? step(series.columnRef(c), c) : series.columnRef(c).subarray(lost);
  return Series.create({ timestamps: series.timestamps.subarray(lost), columns: out, meta: { ...series.meta } });
}

function ratioStep(f: (ratio: number) => number, positive: boolean): Step {
  return (v, column) =>
    Float64Array.from({ length: v.length - 1 }, (_, i) => {
      if (v[i] === 0)
        throw new DataError(`column "${column}" is 0 at row ${i}, so the return to row ${i + 1} is undefined`);
      const r = v[i + 1] / v[i];
      if (positive && !(r > 0))
        throw new DataError(
          `column "${column}": log return from row ${i} to ${i + 1} needs positive prices, received ${v[i]} and ${v[i + 1]}`,
        );
      return f(r);
    });
}

const diff1 = (v: ArrayLike<number>) =>
  Float64Array.from({ length: Math.max(0, v.length - 1) }, (_, i) => v[i + 1] - v[i]);

/**
 * Percent change r_t = p_t / p_{t-1} - 1 of the chosen columns (default all); the first row is dropped.
 * @param series - the series
 * @param options - `columns` to transform; the others are kept, aligned
 * @returns a series one row shorter
 * @throws {@link DataError} on a zero price or a missing column
 * @example
 * ```ts
 * import { pctChange, Series } from 'stockcast';
 * pctChange(Series.create({ timestamps: [0, 1], columns: { close: [100, 110] } })).column('close'); // [0.1]
 * ```
 */
export function pctChange(series: Series, options: { columns?: string[] } = {}): Series {
  return transformColumns(
    series,
    options.columns,
    1,
    ratioStep((r) => r - 1, false),
  );
}

/**
 * Log returns r_t = ln(p_t / p_{t-1}) of the chosen columns (default all); the first row is dropped.
 * @param series - the series
 * @param options - `columns` to transform
 * @returns a series one row shorter
 * @throws {@link DataError} on a non-positive price or a missing column
 * @example
 * ```ts
 * import { logReturns, Series } from 'stockcast';
 * logReturns(Series.create({ timestamps: [0, 1], columns: { close: [100, 110] } })).column('close'); // [0.0953...]
 * ```
 */
export function logReturns(series: Series, options: { columns?: string[] } = {}): Series {
  return transformColumns(series, options.columns, 1, ratioStep(Math.log, true));
}

/**
 * k-th order differences of the chosen columns (default all); the first `order` rows are dropped.
 * @param series - the series
 * @param options - `order` (default 1) and `columns`
 * @returns a series `order` rows shorter
 * @throws {@link DataError} when the order is not a positive integer or the series is too short
 * @example
 * ```ts
 * import { diff, Series } from 'stockcast';
 * diff(Series.create({ timestamps: [0, 1, 2], columns: { x: [1, 4, 9] } }), { order: 2 }).column('x'); // [2]
 * ```
 */
export function diff(series: Series, options: { order?: number; columns?: string[] } = {}): Series {
  const order = options.order ?? 1;
  if (!Number.isInteger(order) || order < 1)
    throw new DataError(`diff order must be a positive integer: received ${order}`);
  return transformColumns(series, options.columns, order, (v) => {
    let d: Float64Array = v;
    for (let k = 0; k < order; k++) d = diff1(d);
    return d;
  });
}

/**
 * Rebuilds price levels from percent changes: p_t = p_{t-1} (1 + r_t), starting from the anchor.
 * @param changes - percent changes after the anchor
 * @param anchor - the last known level before the first change
 * @returns the levels, one per change
 * @example
 * ```ts
 * import { invertPctChange } from 'stockcast';
 * invertPctChange([0.1, -0.5], 100); // [110, 55]
 * ```
 */
export function invertPctChange(changes: ArrayLike<number>, anchor: number): Float64Array {
  const out = new Float64Array(changes.length);
  let p = anchor;
  for (let i = 0; i < changes.length; i++) out[i] = p = p * (1 + changes[i]);
  return out;
}

/**
 * Rebuilds price levels from log returns: p_t = p_{t-1} exp(r_t), starting from the anchor.
 * @param returns - log returns after the anchor
 * @param anchor - the last known level
 * @returns the levels
 * @example
 * ```ts
 * import { invertLogReturns } from 'stockcast';
 * invertLogReturns([Math.log(1.1)], 100); // [110.00000000000001]
 * ```
 */
export function invertLogReturns(returns: ArrayLike<number>, anchor: number): Float64Array {
  const out = new Float64Array(returns.length);
  let p = anchor;
  for (let i = 0; i < returns.length; i++) out[i] = p = p * Math.exp(returns[i]);
  return out;
}

/**
 * Rebuilds levels from k-th order differences, given the last k levels before the first difference.
 * @param diffs - differences of order `anchors.length`
 * @param anchors - the last k known levels, oldest first (k = the differencing order)
 * @returns the levels, one per difference
 * @throws {@link DataError} when no anchor is given
 * @example
 * ```ts
 * import { invertDiff } from 'stockcast';
 * invertDiff([2, 2], [1, 4]); // [9, 16]: second differences of squares
 * ```
 */
export function invertDiff(diffs: ArrayLike<number>, anchors: ArrayLike<number>): Float64Array {
  const k = anchors.length;
  if (k < 1) throw new DataError('invertDiff needs at least one anchor (the last known level)');
  // lasts[j] = the last value of the j-th order differences of the anchors.
  const lasts = new Float64Array(k);
  let cur: ArrayLike<number> = anchors;
  for (let j = 0; j < k; j++) {
    lasts[j] = cur[cur.length - 1];
    cur = diff1(cur);
  }
  const out = new Float64Array(diffs.length);
  for (let i = 0; i < diffs.length; i++) {
    let v = diffs[i];
    for (let j = k - 1; j >= 0; j--) v = lasts[j] += v;
    out[i] = v;
  }
  return out;
}
