/** Target transforms for backtests (`rv:5`, `parkinson:5`, `gk:5`, `yz:5`, `logret`): the derived target column plus the close-to-close returns that variance models read. */
import { DataError, ValidationError } from '../errors.js';
import { periodsPerYear as defaultPeriodsPerYear } from '../data/frequency.js';
import type { Series } from '../data/series.js';
import { addVolatility, volatilityWarmup, type VolatilityEstimator } from './volatility.js';

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

const ESTIMATORS: Record<string, VolatilityEstimator> = { rv: 'close-to-close', parkinson: 'parkinson', gk: 'garman-klass', yz: 'yang-zhang' };
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
    throw new ValidationError('target transform', [{ path: '', message: `unknown target transform "${spec}": expected ${HELP}` }]);
  }
  return { kind: 'volatility', estimator, span };
}

/** The transform's spec string (inverse of {@link parseTargetTransform}). @internal */
export function describeTargetTransform(t: TargetTransform): string {
  if (t.kind === 'log-returns') return 'logret';
  return `${Object.keys(ESTIMATORS).find((k) => ESTIMATORS[k] === t.estimator)}:${t.span}`;
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
}

/**
 * Applies a target transform: adds the target column (trailing, so row t uses rows <= t only) and the percent
 * log returns of `close`, dropping the leading rows that have neither (reported in `dropped`).
 *
 * @param series - OHLC data (only `close` for `rv:K` and `logret`)
 * @param transform - a spec string or parsed transform
 * @param options - `close` column name (default `close`) and `periodsPerYear` (default from the frequency)
 * @returns the shortened series with the target, its name and the returns
 * @throws {@link ValidationError} for an unknown spec
 * @throws {@link DataError} for a missing column, non-positive prices or too few rows
 * @example
 * ```ts
 * import { applyTargetTransform, readCsv } from 'stockcast';
 * const t = applyTargetTransform(await readCsv('fixtures/sp500-2000.csv'), 'rv:5');
 * console.log(t.target, t.dropped, t.series.column(t.target)[0]); // rv5 5 ...
 * ```
 */
export function applyTargetTransform(series: Series, transform: string | TargetTransform, options: { close?: string; periodsPerYear?: number } = {}): TransformedTarget {
  const t = typeof transform === 'string' ? parseTargetTransform(transform) : transform;
  const close = options.close ?? 'close';
  const ppy = options.periodsPerYear ?? defaultPeriodsPerYear(series.meta.frequency);
  const c = series.columnRef(close);
  let out: Series;
  let target: string;
  let dropped: number;
  if (t.kind === 'log-returns') {
    target = 'logret';
    dropped = 1;
    out = series.slice(1);
  } else {
    dropped = Math.max(1, volatilityWarmup(t.estimator, t.span));
    const v = addVolatility(series.slice(dropped - volatilityWarmup(t.estimator, t.span)), { estimator: t.estimator, span: t.span, periodsPerYear: ppy, prices: { close } });
    out = v.series;
    target = v.column;
  }
  const returns = new Float64Array(out.length);
  for (let i = 0; i < out.length; i++) {
    const ratio = c[i + dropped] / c[i + dropped - 1];
    returns[i] = 100 * Math.log(ratio);
    if (!Number.isFinite(returns[i])) throw new DataError(`column "${close}" row ${i + dropped}: log returns need positive prices, received ${c[i + dropped - 1]} then ${c[i + dropped]}`);
  }
  if (t.kind === 'log-returns') out = out.withColumn(target, returns);
  return { series: out, target, returns, dropped, periodsPerYear: ppy, transform: t };
}
