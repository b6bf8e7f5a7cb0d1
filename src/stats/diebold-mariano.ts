/**
 * The Diebold-Mariano test of equal forecast accuracy, as R's `forecast::dm.test` computes it: the Harvey,
 * Leybourne and Newbold small-sample correction, a Student-t p-value, and R's fallback when the variance is not
 * positive.
 */
import { z } from 'zod';
import { DataError } from '../errors.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';
import { checkSample, studentTCdf } from './distributions.js';

/** Options of {@link dieboldMariano}. */
export const DieboldMarianoOptionsSchema = z
  .object({
    /** The forecast horizon h: the long-run variance sums h - 1 autocovariances (default 1). */
    horizon: v.horizon.withDefault(),
    /** The loss |error|^power (default 2, squared error). */
    power: v.power.withDefault(),
  })
  .strict();

/** Options of {@link dieboldMariano}, as accepted. */
export type DieboldMarianoOptions = z.input<typeof DieboldMarianoOptionsSchema>;

/** Options of {@link dieboldMarianoLoss} and {@link dieboldMarianoPanel}. */
export const DieboldMarianoLossOptionsSchema = z
  .object({
    /** The forecast horizon h (default 1). */
    horizon: v.horizon.withDefault(),
  })
  .strict();

/** Options of {@link dieboldMarianoLoss}, as accepted. */
export type DieboldMarianoLossOptions = z.input<typeof DieboldMarianoLossOptionsSchema>;

/** A Diebold-Mariano test. */
export interface DieboldMarianoTest {
  /** The corrected statistic: negative when the first forecast has the smaller loss. */
  statistic: number;
  /** Two-sided p-value from Student's t with T - 1 degrees of freedom. */
  pValue: number;
  /** The number of loss differentials T. */
  observations: number;
  /**
   * True when the long-run variance at the horizon was not positive and the test was redone at horizon 1 (R's rule).
   */
  fallback: boolean;
}

/** One loss differential of a panel: a symbol's loss of model 1 minus model 2 at a date. */
export interface PanelLossDifferential {
  /** The date (epoch ms) the losses belong to. */
  timestamp: number;
  /** The loss differential. */
  differential: number;
}

/** The pooled panel test and the dates it averaged over. */
export interface PanelDieboldMarianoTest extends DieboldMarianoTest {
  /** The dates, increasing; `observations` is their count. */
  timestamps: number[];
  /** The number of differentials (symbol-dates) averaged. */
  differentials: number;
}

function test(d: ArrayLike<number>, h: number): DieboldMarianoTest {
  const n = d.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += d[i];
  mean /= n;
  // R: acf(type = "covariance") divides every lag by n; the variance of the mean is sum(c(g0, 2 g[1..h-1])) / n.
  let lrv = 0;
  for (let k = 0; k < h; k++) {
    let g = 0;
    for (let t = 0; t + k < n; t++) g += (d[t] - mean) * (d[t + k] - mean);
    lrv += (k === 0 ? 1 : 2) * (g / n);
  }
  const variance = lrv / n;
  if (!(variance > 0)) {
    if (h === 1) {
      throw new DataError(
        'Diebold-Mariano test: the loss differentials do not vary (variance 0), so the test is undefined',
        {},
        {
          hint: 'the two forecasts have equal losses at every point',
        },
      );
    }
    return { ...test(d, 1), fallback: true };
  }
  const k = Math.sqrt((n + 1 - 2 * h + (h / n) * (h - 1)) / n);
  const statistic = (mean / Math.sqrt(variance)) * k;
  return { statistic, pValue: 2 * studentTCdf(-Math.abs(statistic), n - 1), observations: n, fallback: false };
}

function checkHorizon(h: number, n: number): void {
  if (h > n)
    throw new DataError(
      `Diebold-Mariano test: horizon ${h} exceeds the ${n} loss differentials`,
      {},
      { hint: 'give at least horizon differentials' },
    );
}

/**
 * The Diebold-Mariano test on loss differentials d = loss1 - loss2 (any loss, e.g. QLIKE), with R's
 * `forecast::dm.test` rules: long-run variance from the h - 1 first autocovariances, the Harvey-Leybourne-Newbold
 * factor sqrt((T + 1 - 2h + h(h - 1)/T) / T), a two-sided Student-t p-value on T - 1 degrees of freedom, and a redo at
 * horizon 1 when the variance at horizon h is not positive.
 *
 * @param differentials - the loss differentials, in time order (at least 2, finite)
 * @param options - the `horizon` h (default 1)
 * @returns the statistic (negative: the first model has the smaller loss) and p-value
 * @throws {@link DataError} for fewer than 2 or non-finite differentials, h above their count, or constant
 * differentials
 * @example
 * ```ts
 * import { dieboldMarianoLoss } from 'stockcast';
 * dieboldMarianoLoss([-0.2, 0.1, -0.4, -0.1, 0.05, -0.3]).pValue; // 0.1368...
 * ```
 */
export function dieboldMarianoLoss(
  differentials: ArrayLike<number>,
  options: DieboldMarianoLossOptions = {},
): DieboldMarianoTest {
  const o = parseOptions(DieboldMarianoLossOptionsSchema, options, 'Diebold-Mariano options');
  checkSample(differentials, 'Diebold-Mariano loss differentials', 2);
  checkHorizon(o.horizon, differentials.length);
  return test(differentials, o.horizon);
}

/**
 * The Diebold-Mariano test of two forecasts' errors, equal to R's `forecast::dm.test(e1, e2, h = horizon,
 * power = power)` with its defaults (two-sided): the loss differential is |e1|^power - |e2|^power.
 *
 * @param e1 - the first forecast's errors, in time order
 * @param e2 - the second forecast's errors, at the same times
 * @param options - the `horizon` (default 1) and `power` (default 2)
 * @returns the statistic (negative: e1 has the smaller loss) and p-value
 * @throws {@link DataError} for unequal lengths, fewer than 2 or non-finite errors, or equal losses everywhere
 * @example
 * ```ts
 * import { dieboldMariano } from 'stockcast';
 * const e1 = [0.5, -0.2, 0.1, 0.3, -0.4, 0.2, -0.1, 0.25];
 * const e2 = [0.9, -0.6, 0.4, -0.7, 0.8, 0.5, -0.3, 0.6];
 * dieboldMariano(e1, e2, { horizon: 1, power: 2 }).pValue; // 0.00102...
 * ```
 */
export function dieboldMariano(
  e1: ArrayLike<number>,
  e2: ArrayLike<number>,
  options: DieboldMarianoOptions = {},
): DieboldMarianoTest {
  const o = parseOptions(DieboldMarianoOptionsSchema, options, 'Diebold-Mariano options');
  if (e1.length !== e2.length)
    throw new DataError(
      `Diebold-Mariano test: expected two error series of one length, received ${e1.length} and ${e2.length}`,
    );
  checkSample(e1, 'Diebold-Mariano errors e1', 2);
  checkSample(e2, 'Diebold-Mariano errors e2', 2);
  const d = Float64Array.from({ length: e1.length }, (_, i) => Math.abs(e1[i]) ** o.power - Math.abs(e2[i]) ** o.power);
  checkHorizon(o.horizon, d.length);
  return test(d, o.horizon);
}

/**
 * The pooled Diebold-Mariano test of a panel: the loss differentials are averaged over the symbols present at each
 * date, and {@link dieboldMarianoLoss} is run on that series of dates (which pools the commonality across symbols
 * into the variance, unlike a test on every symbol-date as if independent).
 *
 * @param differentials - one `{ timestamp, differential }` per symbol and date, in any order
 * @param options - the `horizon` (default 1)
 * @returns the test on the date averages, with the dates and the number of differentials averaged
 * @throws {@link DataError} as {@link dieboldMarianoLoss}, counted in dates
 * @example
 * ```ts
 * import { dieboldMarianoPanel } from 'stockcast';
 * const rows = [1, 2, 3, 4].flatMap((t) => [{ timestamp: t, differential: -0.1 * t }, { timestamp: t, differential:
 * 0.05 }]);
 * dieboldMarianoPanel(rows).timestamps; // [1, 2, 3, 4]
 * ```
 */
export function dieboldMarianoPanel(
  differentials: readonly PanelLossDifferential[],
  options: DieboldMarianoLossOptions = {},
): PanelDieboldMarianoTest {
  const o = parseOptions(DieboldMarianoLossOptionsSchema, options, 'Diebold-Mariano options');
  const byDate = new Map<number, { sum: number; count: number }>();
  differentials.forEach((r, i) => {
    if (!Number.isFinite(r.timestamp) || !Number.isFinite(r.differential)) {
      throw new DataError(
        `Diebold-Mariano panel: expected finite timestamp and differential, received ${JSON.stringify(r)} ` +
          `at index ${i}`,
      );
    }
    const cur = byDate.get(r.timestamp) ?? { sum: 0, count: 0 };
    cur.sum += r.differential;
    cur.count++;
    byDate.set(r.timestamp, cur);
  });
  const timestamps = [...byDate.keys()].sort((a, b) => a - b);
  const means = timestamps.map((t) => byDate.get(t)!.sum / byDate.get(t)!.count);
  checkSample(means, 'Diebold-Mariano panel dates', 2);
  checkHorizon(o.horizon, means.length);
  return { ...test(means, o.horizon), timestamps, differentials: differentials.length };
}
