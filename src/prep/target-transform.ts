/** Target transforms for backtests (`rv:5`, `parkinson:5`, `gk:5`, `yz:5`, `logret`): the derived target column plus the close-to-close returns that variance models read. */
import { DataError, ValidationError } from '../errors.js';
import { periodsPerYear as defaultPeriodsPerYear } from '../data/frequency.js';
import type { Series } from '../data/series.js';
import { dailyTerms, realizedVolatility, volatilityWarmup, yangZhangK, yangZhangParts } from './volatility.js';
import type { OhlcArrays, VolatilityEstimator } from './volatility.js';
import { priceArrays, type PriceColumnNames } from './price-columns.js';

/** A parsed target transform. */
export type TargetTransform =
  | {
      /** A realized-volatility target, annualized percent, trailing (row t covers the span ending at t). */
      kind: 'volatility';
      /** The estimator. */
      estimator: VolatilityEstimator;
      /** Periods the estimator averages over. */
      span: number;
    }
  | {
      /** Percent log returns 100 ln(C_t / C_{t-1}). */
      kind: 'log-returns';
    };

const ESTIMATORS: Record<string, VolatilityEstimator> = {
  rv: 'close-to-close',
  parkinson: 'parkinson',
  gk: 'garman-klass',
  yz: 'yang-zhang',
};
const HELP = 'rv:K (close-to-close), parkinson:K, gk:K (Garman-Klass), yz:K (Yang-Zhang, K >= 2) or logret';

/**
 * Parses a target-transform spec: `rv:K`, `parkinson:K`, `gk:K`, `yz:K` (realized volatility over K periods) or
 * `logret` (percent log returns).
 *
 * @param spec - the spec string
 * @returns the parsed transform
 * @throws {@link ValidationError} for an unknown spec (listing the valid ones)
 * @example
 * ```ts
 * import { parseTargetTransform } from 'stockcast';
 * parseTargetTransform('yz:5'); // { kind: 'volatility', estimator: 'yang-zhang', span: 5 }
 * ```
 */
export function parseTargetTransform(spec: string): TargetTransform {
  const s = spec.trim();
  if (s === 'logret') return { kind: 'log-returns' };
  const m = /^([a-z]+):(\d+)$/.exec(s);
  const estimator = m ? ESTIMATORS[m[1]] : undefined;
  const span = m ? Number(m[2]) : 0;
  if (!estimator || span < (estimator === 'yang-zhang' ? 2 : 1)) {
    throw new ValidationError('target transform', [
      { path: '', message: `unknown target transform "${spec}": expected ${HELP}` },
    ]);
  }
  return { kind: 'volatility', estimator, span };
}

/** The transform's spec string (inverse of {@link parseTargetTransform}). @internal */
export function describeTargetTransform(t: TargetTransform): string {
  if (t.kind === 'log-returns') return 'logret';
  return `${Object.keys(ESTIMATORS).find((k) => ESTIMATORS[k] === t.estimator)}:${t.span}`;
}

/**
 * The per-row variance terms of a volatility target's estimator, in percent squared per period, that variance
 * models average for the days of a span already seen: r^2 (close-to-close), ln(H/L)^2 / (4 ln 2) (Parkinson),
 * 0.5 ln(H/L)^2 - (2 ln 2 - 1) ln(C/O)^2 (Garman-Klass), o^2 + k c^2 + (1 - k) RS (Yang-Zhang, whose sample
 * variances over the span also need the parts).
 */
export interface DailyVariance {
  /** The estimator's term for every row (its mean over a span is the estimator's variance, Yang-Zhang aside). */
  terms: Float64Array;
  /** Yang-Zhang only: the parts whose sample variances over a span it takes. */
  yangZhang?: {
    /** Overnight log returns 100 ln(O_t / C_{t-1}). */
    overnight: Float64Array;
    /** Open-to-close log returns 100 ln(C_t / O_t). */
    openClose: Float64Array;
    /** Rogers-Satchell terms (percent squared). */
    rs: Float64Array;
    /** The weight k of the open-to-close variance. */
    k: number;
  };
}

/** A series with a derived target and the returns variance models need, row for row. */
export interface TransformedTarget {
  /** The input rows from the first that has a target value and a return; every column kept, the target added. */
  series: Series;
  /** The target column's name (`rv5`, `parkinson5`, `gk5`, `yz5`, `logret`). */
  target: string;
  /** 100 ln(C_t / C_{t-1}) for every row of `series` (percent log returns). */
  returns: Float64Array;
  /** Leading rows of the input dropped for lack of history. */
  dropped: number;
  /** The annualization used. */
  periodsPerYear: number;
  /** The transform. */
  transform: TargetTransform;
  /** The estimator's own variance terms per row (volatility targets; the squared returns for `rv:K` and `logret`). */
  daily: DailyVariance;
}

/**
 * Applies a target transform: adds the target column (trailing, so row t uses rows <= t only) and the percent
 * log returns of `close`, dropping the leading rows that have neither (reported in `dropped`).
 *
 * Range-based targets find their open, high and low columns in any case (Yahoo's `Open`, `High`, `Low`) or as
 * named by `prices`; on an adjusted close (`Adj Close`) they are scaled by adjclose / close per row.
 *
 * @param series - OHLC data (only `close` for `rv:K` and `logret`)
 * @param transform - a spec string or parsed transform
 * @param options - `close` column name (default `close`), `prices` (names of the open, high, low and close columns;
 *   its `close` wins over `close`) and
 *   `periodsPerYear` (default from the frequency)
 * @returns the shortened series with the target, its name, the returns and the estimator's daily terms
 * @throws {@link ValidationError} for an unknown spec
 * @throws {@link DataError} for a missing column, an adjusted close without a raw one, non-positive prices or too
 *   few rows
 * @example
 * ```ts
 * import { applyTargetTransform, readCsv } from 'stockcast';
 * const t = applyTargetTransform(await readCsv('fixtures/sp500-2000.csv'), 'rv:5');
 * console.log(t.target, t.dropped, t.series.column(t.target)[0]); // rv5 5 ...
 * ```
 */
export function applyTargetTransform(
  series: Series,
  transform: string | TargetTransform,
  options: { close?: string; prices?: PriceColumnNames & { close?: string }; periodsPerYear?: number } = {},
): TransformedTarget {
  const t = typeof transform === 'string' ? parseTargetTransform(transform) : transform;
  const close = options.prices?.close ?? options.close ?? 'close';
  const ppy = options.periodsPerYear ?? defaultPeriodsPerYear(series.meta.frequency);
  const c = series.columnRef(close);
  let out: Series;
  let target: string;
  let dropped: number;
  let prices: OhlcArrays | undefined;
  if (t.kind === 'log-returns') {
    target = 'logret';
    dropped = 1;
    out = series.slice(1);
  } else {
    const warmup = volatilityWarmup(t.estimator, t.span);
    dropped = Math.max(1, warmup);
    prices = priceArrays(series, t.estimator, close, options.prices);
    const values = realizedVolatility(prices, { estimator: t.estimator, span: t.span, periodsPerYear: ppy });
    target = describeTargetTransform(t).replace(':', '');
    out = series.slice(dropped).withColumn(target, values.subarray(dropped - warmup));
  }
  const returns = new Float64Array(out.length);
  for (let i = 0; i < out.length; i++) {
    const ratio = c[i + dropped] / c[i + dropped - 1];
    returns[i] = 100 * Math.log(ratio);
    if (!Number.isFinite(returns[i]))
      throw new DataError(
        `column "${close}" row ${i + dropped}: log returns need positive prices, received ${c[i + dropped - 1]} then ${c[i + dropped]}`,
      );
  }
  if (t.kind === 'log-returns') out = out.withColumn(target, returns);
  const daily = dailyVariance(t, returns, prices, dropped);
  return { series: out, target, returns, dropped, periodsPerYear: ppy, transform: t, daily };
}

/** The estimator's terms per row of the transformed series (input rows from `dropped` on), percent squared. */
function dailyVariance(
  t: TargetTransform,
  returns: Float64Array,
  prices: OhlcArrays | undefined,
  dropped: number,
): DailyVariance {
  if (t.kind === 'log-returns' || t.estimator === 'close-to-close' || !prices) {
    return { terms: returns.map((r) => r * r) };
  }
  const n = prices.close!.length;
  const p = prices as Required<OhlcArrays>;
  if (t.estimator !== 'yang-zhang') {
    return {
      terms: dailyTerms(t.estimator, p, n)
        .subarray(dropped)
        .map((x) => 1e4 * x),
    };
  }
  const parts = yangZhangParts(p, n);
  const k = yangZhangK(t.span);
  const overnight = parts.overnight.subarray(dropped).map((x) => 100 * x);
  const openClose = parts.openClose.subarray(dropped).map((x) => 100 * x);
  const rs = parts.rs.subarray(dropped).map((x) => 1e4 * x);
  const terms = overnight.map((o, i) => o * o + k * openClose[i] ** 2 + (1 - k) * rs[i]);
  return { terms, yangZhang: { overnight, openClose, rs, k } };
}
