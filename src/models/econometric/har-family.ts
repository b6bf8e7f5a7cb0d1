/**
 * The HAR family as estimators on any realized measure: `har`, `har-log`, `har-j`, `shar` and `harq`, fitted by
 * least squares on the rows before an origin only, with an expanding or rolling estimation window and a refit
 * frequency, forecasting the value h days ahead or the mean of the next h days.
 */
import { z } from 'zod';
import type { Series } from '../../data/series.js';
import { DataError } from '../../errors.js';
import { parseOptions } from '../../validate.js';
import { vocabulary as v } from '../../vocabulary.js';
import type { FoldWindow } from '../contract.js';
import { HAR_TERMS, harDesign, notPositive, type HarDesign, type HarVariant } from './har-design.js';
import { leastSquares } from './har.js';

export { HAR_TERMS, HAR_NEEDS, type HarVariant } from './har-design.js';

/** Regression rows a fit needs at least (beyond the terms it estimates). */
const MIN_ROWS = 10;

/** Options of {@link fitHarModel} and {@link harForecasts}. */
export const HarModelOptionsSchema = z
  .object({
    /** The member of the family (default `har`). */
    variant: v.variant.withDefault(),
    /** The column forecast (default `rv`, else the only column); har-j, shar, harq also read jump, rsPos/rsNeg, rq. */
    target: v.target.optional(),
    /** Steps ahead h (default 1). */
    horizon: v.horizon.withDefault(),
    /** Forecast the mean of the next h values instead of the value h ahead (default false). */
    horizonMean: v.horizonMean.withDefault(),
    /** Daily, weekly and monthly spans (default [1, 5, 22]). */
    spans: v.spans.withDefault(),
    /** Estimation window: `expanding` (default: every row before the origin) or `sliding` (the last trainLength). */
    window: v.window.withDefault(),
    /** Rows of a sliding window. */
    trainLength: v.trainLength.optional(),
    /** Re-estimate at `every` origin (default), `once` (the first), or every k origins. */
    refit: v.refit.withDefault(),
  })
  .strict()
  .refine((o) => o.spans[0] < o.spans[1] && o.spans[1] < o.spans[2], {
    message: 'spans must increase, e.g. [1, 5, 22]',
    path: ['spans'],
  })
  .refine((o) => o.window === 'expanding' || o.trainLength !== undefined, {
    message: "window 'sliding' needs trainLength",
    path: ['trainLength'],
  });

/** Options of {@link fitHarModel} and {@link harForecasts}, as accepted. */
export type HarModelOptions = z.input<typeof HarModelOptionsSchema>;
type Parsed = z.output<typeof HarModelOptionsSchema>;

/** A fitted member of the HAR family. */
export interface HarModelFit {
  /** The variant. */
  variant: HarVariant;
  /** The column forecast. */
  target: string;
  /** Coefficients by term ({@link HAR_TERMS}), intercept `const` first. */
  coefficients: Record<string, number>;
  /** Steps ahead. */
  horizon: number;
  /** Whether the target is the mean of the next `horizon` values. */
  horizonMean: boolean;
  /** The averaging spans. */
  spans: [number, number, number];
  /** Regression rows used. */
  observations: number;
  /** In-sample R^2 (on logs for `har-log`). */
  r2: number;
  /** Residual variance SSR / (observations - terms); `har-log` adds half of it before exponentiating. */
  residualVariance: number;
  /** Level models: the smallest positive target in the estimation rows, below which forecasts are not allowed. */
  floor: number;
}

/** The regression rows whose targets lie in rows [from, end): origins t with t + h < end. */
function rowsBefore(d: HarDesign, from: number, end: number, horizon: number): [number, number] {
  return [Math.max(d.first, from + d.first), end - horizon];
}

/** What a fit reads of the options. */
type FitOptions = Pick<Parsed, 'spans' | 'horizon' | 'horizonMean'>;

function fitRows(d: HarDesign, o: FitOptions, target: string, lo: number, hi: number): HarModelFit {
  const rows = hi - lo;
  if (rows < d.p + MIN_ROWS) {
    throw new DataError(
      `${d.variant} with a ${o.spans[2]}-row average, ${o.horizon} step(s) ahead, needs ${d.p + MIN_ROWS} ` +
        `regression rows: the estimation window gives ${Math.max(0, rows)}`,
      {},
      { hint: 'use more history, a longer trainLength, or a later first origin' },
    );
  }
  const x = Array.from({ length: rows }, (_, i) => d.x.subarray((lo + i) * d.p, (lo + i + 1) * d.p));
  const y = d.y.subarray(lo, hi);
  if (y.some(Number.isNaN) || x.some((row) => row.some(Number.isNaN))) throw notPositive(d.variant, lo, hi);
  const b = leastSquares(x, y);
  let mean = 0;
  let floor = Number.POSITIVE_INFINITY;
  for (const value of y) {
    mean += value / rows;
    if (value > 0 && value < floor) floor = value;
  }
  let ssr = 0;
  let sst = 0;
  for (let i = 0; i < rows; i++) {
    let fitted = 0;
    for (let j = 0; j < d.p; j++) fitted += b[j] * x[i][j];
    ssr += (y[i] - fitted) ** 2;
    sst += (y[i] - mean) ** 2;
  }
  const terms = HAR_TERMS[d.variant];
  return {
    variant: d.variant,
    target,
    coefficients: Object.fromEntries(terms.map((name, j) => [name, b[j]])),
    horizon: o.horizon,
    horizonMean: o.horizonMean,
    spans: [...o.spans],
    observations: rows,
    r2: sst > 0 ? 1 - ssr / sst : Number.NaN,
    residualVariance: ssr / (rows - d.p),
    floor: d.variant === 'har-log' ? 0 : Number.isFinite(floor) ? floor : 0,
  };
}

/** The forecast from the design row at origin t (the averages ending at row t). */
function forecastRow(fit: HarModelFit, d: HarDesign, t: number): number {
  const b = HAR_TERMS[fit.variant].map((name) => fit.coefficients[name]);
  let value = 0;
  for (let j = 0; j < d.p; j++) value += b[j] * d.x[t * d.p + j];
  if (Number.isNaN(value)) throw notPositive(fit.variant, t - fit.spans[2] + 1, t + 1);
  // Log-normal bias correction: E[exp(u)] = exp(s2 / 2) for normal residuals u of variance s2.
  if (fit.variant === 'har-log') return Math.exp(value + fit.residualVariance / 2);
  return Math.max(value, fit.floor);
}

function targetOf(series: Series, target: string | undefined): string {
  if (target !== undefined) return target;
  if (series.has('rv')) return 'rv';
  if (series.columns.length === 1) return series.columns[0];
  throw new DataError(
    `no target given and no "rv" column: the series has ${series.columns.map((c) => `"${c}"`).join(', ')}`,
    {},
    { hint: 'pass target: the realized measure to forecast' },
  );
}

/**
 * Fits a member of the HAR family by ordinary least squares on every row of the series (the last `trainLength`
 * rows with `window: 'sliding'`). The target at origin row t is y[t+h], or the mean of y[t+1..t+h] with
 * `horizonMean`; the regressors are trailing means over the spans (s1, s2, s3) ending at t:
 * - `har` (Corsi 2009): 1, RV_d, RV_w, RV_m;
 * - `har-log`: the same on logs, ln y on ln RV_d, ln RV_w, ln RV_m (logs of the means);
 * - `har-j` (Andersen, Bollerslev and Diebold 2007, HAR-CJ): the means of the continuous part C = rv - jump and of
 *   the jump part, daily, weekly and monthly;
 * - `shar` (Patton and Sheppard 2015): RS+_d, RS-_d, RV_w, RV_m;
 * - `harq` (Bollerslev, Patton and Quaedvlieg 2016): RV_d, RV_d sqrt(RQ_d), RV_w, RV_m.
 *
 * @param series - daily realized measures ({@link realizedMeasures}' columns, or any column for `har`, `har-log`)
 * @param options - see {@link HarModelOptionsSchema}
 * @returns the fit: coefficients by name, R^2, residual variance and the forecast floor
 * @throws {@link ValidationError} for invalid options
 * @throws {@link DataError} when a column is missing, `har-log` meets a value <= 0, there are too few rows, or
 *   the regressors are collinear
 * @example
 * ```ts
 * import { fitHarModel, Series } from 'stockcast';
 * const rv = Array.from({ length: 120 }, (_, i) => 1e-4 * (1.5 + Math.sin(i / 7) + 0.3 * Math.cos(i * 1.3)));
 * const series = Series.create({ timestamps: rv.map((_, i) => i * 86400000), columns: { rv } });
 * const fit = fitHarModel(series, { variant: 'har-log', horizon: 5, horizonMean: true });
 * Object.keys(fit.coefficients); // ['const', 'daily', 'weekly', 'monthly']
 * ```
 */
export function fitHarModel(series: Series, options: HarModelOptions = {}): HarModelFit {
  const o = parseOptions(HarModelOptionsSchema, options, 'HAR options');
  const target = targetOf(series, o.target);
  const d = harDesign(series, target, o.variant, o.spans, o.horizon, o.horizonMean);
  const from = o.window === 'sliding' ? Math.max(0, d.n - o.trainLength!) : 0;
  return fitRows(d, o, target, ...rowsBefore(d, from, d.n, o.horizon));
}

/**
 * The forecast a fit makes at an origin: of the row `origin + horizon - 1` (or the mean of rows
 * origin..origin+horizon-1), from the trailing means ending at row `origin - 1`. Level variants are floored at
 * the fit's `floor` (the smallest positive target it was estimated on), so they never forecast a variance <= 0;
 * `har-log` returns exp(ln forecast + s2 / 2), the mean of a log-normal whose log has the residual variance s2.
 *
 * @param fit - a fit from {@link fitHarModel}
 * @param series - the realized measures up to the origin at least
 * @param origin - the first row forecast (default: the row after the series' last)
 * @returns the forecast of the variance (or of the target's units)
 * @throws {@link DataError} when fewer than spans[2] rows precede the origin, or a column is missing
 * @example
 * ```ts
 * import { fitHarModel, harModelForecast, Series } from 'stockcast';
 * const rv = Array.from({ length: 120 }, (_, i) => 1e-4 * (1.5 + Math.sin(i / 7) + 0.3 * Math.cos(i * 1.3)));
 * const series = Series.create({ timestamps: rv.map((_, i) => i * 86400000), columns: { rv } });
 * harModelForecast(fitHarModel(series), series); // tomorrow's rv
 * ```
 */
export function harModelForecast(fit: HarModelFit, series: Series, origin: number = series.length): number {
  if (!(Number.isInteger(origin) && origin >= fit.spans[2] && origin <= series.length)) {
    throw new DataError(
      `a ${fit.variant} forecast at row ${origin} needs the ${fit.spans[2]} rows before it ` +
        `within the series' ${series.length}`,
    );
  }
  const d = harDesign(series.slice(0, origin), fit.target, fit.variant, fit.spans, fit.horizon, fit.horizonMean);
  return forecastRow(fit, d, origin - 1);
}

/** Forecasts at many origins, with the fits that made them. */
export interface HarForecasts {
  /** One forecast per origin, in the order given. */
  values: Float64Array;
  /** Each re-estimation, in order (estimated on rows before its origin only). */
  refits: HarRefit[];
}

/** One re-estimation of {@link harForecasts}. */
export interface HarRefit {
  /** The origin it was made at: its rows end just before this row. */
  origin: number;
  /** The fit. */
  fit: HarModelFit;
}

/**
 * Forecasts at each origin from the rows before it only, as a walk-forward backtest needs: at origin t the model is
 * (re-)estimated on the regression rows whose targets lie before t (every row with `window: 'expanding'`, the last
 * `trainLength` rows with `sliding`), at every origin, once, or every k origins (`refit`), and forecasts from the
 * trailing means ending at row t - 1. Nothing at or after an origin is read for its forecast. One design is built
 * for the whole series, so a refit costs one small least-squares solve.
 *
 * @param series - daily realized measures
 * @param options - see {@link HarModelOptionsSchema}, plus `origins`: increasing row indices, the first rows forecast
 * @returns the forecasts and the fits
 * @throws {@link ValidationError} for invalid options
 * @throws {@link DataError} when origins are not increasing row indices, or an estimation window is too short
 * @example
 * ```ts
 * import { harForecasts, Series } from 'stockcast';
 * const rv = Array.from({ length: 200 }, (_, i) => 1e-4 * (1.5 + Math.sin(i / 7) + 0.3 * Math.cos(i * 1.3)));
 * const series = Series.create({ timestamps: rv.map((_, i) => i * 86400000), columns: { rv } });
 * const { values } = harForecasts(series, { variant: 'har', origins: [150, 151, 152], refit: 2 });
 * ```
 */
export function harForecasts(series: Series, options: HarModelOptions & { origins: ArrayLike<number> }): HarForecasts {
  const { origins, ...rest } = options;
  const o = parseOptions(HarModelOptionsSchema, rest, 'HAR options');
  const target = targetOf(series, o.target);
  const d = harDesign(series, target, o.variant, o.spans, o.horizon, o.horizonMean, true);
  const values = new Float64Array(origins.length);
  const refits: HarForecasts['refits'] = [];
  let fit: HarModelFit | undefined;
  for (let i = 0; i < origins.length; i++) {
    const t = origins[i];
    if (!Number.isInteger(t) || t < o.spans[2] || t > d.n || (i > 0 && t <= origins[i - 1])) {
      throw new DataError(`origins must be increasing row indices from ${o.spans[2]} to ${d.n}: origin ${i} is ${t}`);
    }
    const due = o.refit === 'every' || (o.refit === 'once' ? i === 0 : i % o.refit === 0);
    if (due || !fit) {
      const from = o.window === 'sliding' ? Math.max(0, t - o.trainLength!) : 0;
      fit = fitRows(d, o, target, ...rowsBefore(d, from, t, o.horizon));
      refits.push({ origin: t, fit });
    }
    values[i] = forecastRow(fit, d, t - 1);
  }
  return { values, refits };
}

/**
 * A backtest's forecasts of a HAR variant: at each origin, H forecasts of rows t..t+H-1, step h from its own
 * direct regression (the target h + 1 rows after the last regressor row), re-estimated where a fold says on the
 * regression rows whose targets lie in [trainStart, t). Nothing at or after an origin is read for its forecasts.
 * `carry` holds the fits between calls: a call whose first fold does not refit continues the previous call's fits.
 * @internal
 */
export function harFoldForecasts(
  series: Series,
  target: string,
  variant: HarVariant,
  spans: [number, number, number],
  folds: readonly FoldWindow[],
  horizon: number,
  carry: { fits?: HarModelFit[] } = {},
): number[][] {
  const design = (h: number) => harDesign(series, target, variant, spans, h + 1, false, true);
  const designs = Array.from({ length: horizon }, (_, h) => design(h));
  let fits: HarModelFit[] = carry.fits?.length === horizon ? carry.fits : [];
  return folds.map((f) => {
    if (f.origin < spans[2] || f.origin > series.length) {
      throw new DataError(
        `a ${variant} forecast at row ${f.origin} needs the ${spans[2]} rows before it`,
        {},
        {
          hint: 'start the backtest later (start or testSize)',
        },
      );
    }
    if (f.refit || fits.length === 0) {
      fits = designs.map((d, h) => {
        const o = { spans, horizon: h + 1, horizonMean: false };
        return fitRows(d, o, target, ...rowsBefore(d, f.trainStart, f.origin, h + 1));
      });
      carry.fits = fits;
    }
    return fits.map((fit, h) => forecastRow(fit, designs[h], f.origin - 1));
  });
}
