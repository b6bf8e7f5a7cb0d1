/**
 * The regressors and targets of the HAR family: each variant's design row at every origin row t (averages over the
 * spans ending at t) and the target it forecasts (the value h rows ahead, or the mean of the next h values).
 */
import type { Series } from '../../data/series.js';
import { DataError } from '../../errors.js';
import { trailingMean } from '../../prep/har-features.js';

/** A member of the HAR family. */
export type HarVariant = 'har' | 'har-log' | 'har-j' | 'shar' | 'harq';

/** The coefficient names of each variant, intercept first. */
export const HAR_TERMS: Readonly<Record<HarVariant, readonly string[]>> = {
  har: ['const', 'daily', 'weekly', 'monthly'],
  'har-log': ['const', 'daily', 'weekly', 'monthly'],
  'har-j': ['const', 'cDaily', 'cWeekly', 'cMonthly', 'jDaily', 'jWeekly', 'jMonthly'],
  shar: ['const', 'posDaily', 'negDaily', 'weekly', 'monthly'],
  harq: ['const', 'daily', 'dailyQ', 'weekly', 'monthly'],
};

/** The columns a variant reads besides its target (names of {@link realizedMeasures}' columns). */
export const HAR_NEEDS: Readonly<Record<HarVariant, readonly string[]>> = {
  har: [],
  'har-log': [],
  'har-j': ['jump'],
  shar: ['rsPos', 'rsNeg'],
  harq: ['rq'],
};

/** The design of one variant over a whole series: a regressor row per origin and the targets. @internal */
export interface HarDesign {
  variant: HarVariant;
  /** Regressors, row-major [n, p]; rows before spans[2] - 1 are unused. */
  x: Float64Array;
  /** Terms per row. */
  p: number;
  /** Target at each origin row t (NaN where the future is unknown); logs for `har-log`. */
  y: Float64Array;
  /** First row with a full set of averages. */
  first: number;
  /** Rows. */
  n: number;
}

/** The target at origin t: y[t+h] or the mean of y[t+1..t+h]. */
function targets(y: Float64Array, horizon: number, mean: boolean): Float64Array {
  const out = new Float64Array(y.length).fill(Number.NaN);
  for (let t = 0; t + horizon < y.length; t++) {
    if (!mean) out[t] = y[t + horizon];
    else {
      let s = 0;
      for (let k = 1; k <= horizon; k++) s += y[t + k];
      out[t] = s / horizon;
    }
  }
  return out;
}

function positiveLog(values: Float64Array, what: string, dates: Float64Array, lenient: boolean): Float64Array {
  return values.map((v, i) => {
    if (!(v > 0)) {
      if (Number.isNaN(v) || lenient) return Number.NaN;
      throw new DataError(
        `har-log needs positive values: ${what} at row ${i} (${new Date(dates[i]).toISOString().slice(0, 10)}) is ${v}`,
        {},
        { hint: 'drop days with rv 0 (one bar, or no price change): realizedMeasures with minBars, or use har' },
      );
    }
    return Math.log(v);
  });
}

/**
 * Builds a variant's design over the whole series: regressors at each origin row from rows <= t only, targets from
 * rows > t. `lenient` (backtests): a value <= 0 for `har-log` is NaN, for the fit or forecast that reads it to
 * refuse, so a value after an origin never decides what happens at it. @internal
 */
export function harDesign(
  series: Series,
  target: string,
  variant: HarVariant,
  spans: readonly number[],
  horizon: number,
  mean: boolean,
  lenient = false,
): HarDesign {
  for (const c of [target, ...HAR_NEEDS[variant]]) {
    if (!series.has(c))
      throw new DataError(
        `${variant} reads the column "${c}": the series has ${series.columns.map((n) => `"${n}"`).join(', ')}`,
        {},
        { hint: 'make the realized measures with realizedMeasures(bars)' },
      );
  }
  const rv = series.columnRef(target);
  const n = series.length;
  const means = (x: Float64Array) => spans.map((s) => trailingMean(x, s));
  let cols: Float64Array[];
  if (variant === 'har' || variant === 'har-log') cols = means(rv);
  else if (variant === 'har-j') {
    const jump = series.columnRef('jump');
    cols = [...means(rv.map((v, i) => v - jump[i])), ...means(jump)];
  } else if (variant === 'shar') {
    const [, weekly, monthly] = means(rv);
    cols = [
      trailingMean(series.columnRef('rsPos'), spans[0]),
      trailingMean(series.columnRef('rsNeg'), spans[0]),
      weekly,
      monthly,
    ];
  } else {
    const [daily, weekly, monthly] = means(rv);
    const rq = trailingMean(series.columnRef('rq'), spans[0]);
    cols = [daily, daily.map((d, i) => d * Math.sqrt(rq[i])), weekly, monthly];
  }
  let y = targets(rv, horizon, mean);
  if (variant === 'har-log') {
    const dates = series.timestampsRef();
    cols = cols.map((c) => positiveLog(c, 'a trailing mean of the target', dates, lenient));
    y = positiveLog(y, `the ${mean ? 'mean' : 'value'} ${horizon} ahead`, dates, lenient);
  }
  const p = cols.length + 1;
  const x = new Float64Array(n * p);
  for (let t = 0; t < n; t++) {
    x[t * p] = 1;
    for (let j = 0; j < cols.length; j++) x[t * p + j + 1] = cols[j][t];
  }
  return { variant, x, p, y, first: spans[2] - 1, n };
}

/** A fit or forecast that meets a value <= 0 of `har-log` (NaN in a lenient design). @internal */
export function notPositive(variant: HarVariant, lo: number, hi: number): DataError {
  return new DataError(
    `${variant} needs positive values: rows ${lo} to ${hi - 1} (the averages and targets it reads) hold a value <= 0`,
    {},
    { hint: 'drop days with rv 0 (one bar, or no price change): realizedMeasures with minBars, or use har' },
  );
}
