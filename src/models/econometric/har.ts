/** HAR-RV (Corsi 2009): OLS of a realized-volatility measure h steps ahead on its daily, weekly and monthly averages. */
import { z } from 'zod';
import { DataError } from '../../errors.js';
import { parseOptions } from '../../validate.js';
import { vocabulary as v } from '../../vocabulary.js';

/** Options of {@link fitHar}. */
export const HarOptionsSchema = z
  .object({
    /** Steps ahead h: the regression of y[t+h] on the averages ending at t (default 1). */
    horizon: v.horizon.withDefault(),
    /** The three averaging spans in periods, shortest first (default [1, 5, 22]: day, week, month). */
    spans: v.spans.withDefault(),
  })
  .strict()
  .refine((o) => o.spans[0] < o.spans[1] && o.spans[1] < o.spans[2], {
    message: 'spans must increase, e.g. [1, 5, 22]',
    path: ['spans'],
  });

/** Options of {@link fitHar}, as accepted. */
export type HarOptions = z.input<typeof HarOptionsSchema>;

/** A fitted HAR model: y[t+h] = b0 + b1 mean(y[t-s1+1..t]) + b2 mean(y[t-s2+1..t]) + b3 mean(y[t-s3+1..t]). */
export interface HarFit {
  /** The intercept b0 and the daily, weekly and monthly coefficients b1, b2, b3, in that order. */
  coefficients: [number, number, number, number];
  /** Steps ahead. */
  horizon: number;
  /** The averaging spans. */
  spans: [number, number, number];
  /** Regression rows used. */
  observations: number;
  /** In-sample R^2. */
  r2: number;
}

/** The regressors [1, daily, weekly, monthly] at row t (t >= spans[2] - 1). @internal */
export function harRegressors(
  y: ArrayLike<number>,
  t: number,
  spans: readonly number[],
): [number, number, number, number] {
  const out: [number, number, number, number] = [1, 0, 0, 0];
  for (let k = 0; k < 3; k++) {
    let s = 0;
    for (let i = t - spans[k] + 1; i <= t; i++) s += y[i];
    out[k + 1] = s / spans[k];
  }
  return out;
}

/** Least squares by Householder QR (solves min |Xb - y| for a tall, full-rank X stored by rows). @internal */
export function leastSquares(x: Float64Array[], y: Float64Array): Float64Array {
  const m = x.length;
  const p = x[0].length;
  const a = x.map((row) => Float64Array.from(row));
  const b = Float64Array.from(y);
  for (let k = 0; k < p; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += a[i][k] ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0)
      throw new DataError(
        `the regressors are collinear (column ${k} is 0 after the earlier ones): more varied data is needed`,
      );
    const alpha = a[k][k] > 0 ? -norm : norm;
    const v = new Float64Array(m - k);
    for (let i = k; i < m; i++) v[i - k] = a[i][k];
    v[0] -= alpha;
    let vv = 0;
    for (let i = 0; i < v.length; i++) vv += v[i] * v[i];
    for (let j = k; j < p; j++) {
      let s = 0;
      for (let i = k; i < m; i++) s += v[i - k] * a[i][j];
      const f = (2 * s) / vv;
      for (let i = k; i < m; i++) a[i][j] -= f * v[i - k];
    }
    let s = 0;
    for (let i = k; i < m; i++) s += v[i - k] * b[i];
    const f = (2 * s) / vv;
    for (let i = k; i < m; i++) b[i] -= f * v[i - k];
  }
  const beta = new Float64Array(p);
  for (let k = p - 1; k >= 0; k--) {
    let s = b[k];
    for (let j = k + 1; j < p; j++) s -= a[k][j] * beta[j];
    if (Math.abs(a[k][k]) < 1e-12 * Math.abs(a[0][0]))
      throw new DataError('the regressors are (nearly) collinear: more varied data is needed');
    beta[k] = s / a[k][k];
  }
  return beta;
}

/**
 * Fits HAR by ordinary least squares on every row t with a full monthly average and a known y[t+h]:
 * t = spans[2]-1 .. n-1-h. With a daily realized measure and spans [1, 5, 22] this is Corsi's HAR-RV; with a
 * k-day volatility target the regressors are that target's own averages.
 *
 * @param y - the realized measure (e.g. a volatility column), oldest first
 * @param options - `horizon` h and `spans`
 * @returns the coefficients, rows used and R^2
 * @throws {@link DataError} with fewer than 10 regression rows or collinear regressors
 * @throws {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { fitHar, harForecast } from 'stockcast';
 * const y = Array.from({ length: 60 }, (_, i) => 10 + Math.sin(i / 3) + (i % 7) / 10);
 * const fit = fitHar(y, { horizon: 1 });
 * harForecast(fit, y); // the forecast of y[60]
 * ```
 */
export function fitHar(y: ArrayLike<number>, options: HarOptions = {}): HarFit {
  const { horizon, spans } = parseOptions(HarOptionsSchema, options, 'HAR options');
  const first = spans[2] - 1;
  const rows = y.length - horizon - first;
  if (rows < 10)
    throw new DataError(
      `HAR with a ${spans[2]}-period average ${horizon} step(s) ahead needs at least ${first + horizon + 10} values: received ${y.length}`,
    );
  for (let i = 0; i < y.length; i++)
    if (!Number.isFinite(y[i])) throw new DataError(`value ${i} is not finite: received ${y[i]}`);
  const x: Float64Array[] = [];
  const target = new Float64Array(rows);
  for (let t = first; t < y.length - horizon; t++) {
    x.push(Float64Array.from(harRegressors(y, t, spans)));
    target[t - first] = y[t + horizon];
  }
  const b = leastSquares(x, target);
  let mean = 0;
  for (const v of target) mean += v / rows;
  let ssr = 0;
  let sst = 0;
  for (let i = 0; i < rows; i++) {
    const fitted = b[0] + b[1] * x[i][1] + b[2] * x[i][2] + b[3] * x[i][3];
    ssr += (target[i] - fitted) ** 2;
    sst += (target[i] - mean) ** 2;
  }
  return {
    coefficients: [b[0], b[1], b[2], b[3]],
    horizon,
    spans: [...spans],
    observations: rows,
    r2: sst > 0 ? 1 - ssr / sst : Number.NaN,
  };
}

/**
 * The HAR forecast of y[t+h] from the averages ending at the last row t of `y` (or at `at`).
 *
 * @param fit - a fitted model
 * @param y - the measure up to the forecast origin
 * @param at - the row t the averages end at (default the last row)
 * @returns the forecast of y[t + fit.horizon]
 * @throws {@link DataError} when there are fewer than spans[2] values up to t
 * @example
 * ```ts
 * import { harForecast } from 'stockcast';
 * harForecast({ coefficients: [1, 0.5, 0, 0], horizon: 1, spans: [1, 5, 22], observations: 0, r2: 0 }, new Array(22).fill(4)); // 3
 * ```
 */
export function harForecast(fit: HarFit, y: ArrayLike<number>, at: number = y.length - 1): number {
  if (!(at >= fit.spans[2] - 1 && at < y.length))
    throw new DataError(
      `a HAR forecast needs ${fit.spans[2]} values up to row ${at}: received ${Math.min(at + 1, y.length)}`,
    );
  const r = harRegressors(y, at, fit.spans);
  const c = fit.coefficients;
  return c[0] + c[1] * r[1] + c[2] * r[2] + c[3] * r[3];
}
