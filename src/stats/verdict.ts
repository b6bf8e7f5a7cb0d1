/**
 * The one rule that turns a Diebold-Mariano test into words: a model "beats" or "loses to" another only when the
 * test rejects equal accuracy at the 5% level; otherwise the two "tie", whatever their RMSEs say.
 */

/** The significance level below which a Diebold-Mariano p-value gives a verdict other than "ties". */
export const SIGNIFICANCE = 0.05;

/** A verdict: `beats` and `loses to` need a p-value below {@link SIGNIFICANCE}; anything else `ties`. */
export type Verdict = 'beats' | 'loses to' | 'ties';

/**
 * The verdict of a Diebold-Mariano test of a model against a benchmark (statistic negative when the model has the
 * smaller loss): `beats` or `loses to` when the p-value is below 0.05, `ties` otherwise, also when the test could
 * not be run (no test, or a statistic or p-value that is not a finite number: equal losses everywhere, too few
 * points), since then nothing tells the two apart.
 *
 * @param test - the test's `statistic` and `pValue` (from `dieboldMariano` or a comparison row)
 * @returns the verdict, in words
 * @example
 * ```ts
 * import { verdict } from 'stockcast';
 * verdict({ statistic: -2.5, pValue: 0.013 }); // 'beats'
 * verdict({ statistic: -1.1, pValue: 0.27 }); // 'ties'
 * ```
 */
export function verdict(test: { statistic: number | null; pValue: number | null } | null | undefined): Verdict {
  if (!test || test.statistic === null || test.pValue === null) return 'ties';
  if (!Number.isFinite(test.statistic) || !(test.pValue < SIGNIFICANCE)) return 'ties';
  return test.statistic < 0 ? 'beats' : 'loses to';
}

/**
 * The lag count of the Diebold-Mariano long-run variance for one forecast step: forecasts k steps ahead from origins
 * `spacing` rows apart share ceil(k / spacing) - 1 future values with their neighbours (an MA of that order), so the
 * test's `horizon` is ceil(k / spacing). With origins one row apart this is k, R's convention for k-step forecasts;
 * with origins a horizon apart (a backtest's default) it is 1.
 *
 * @param step - the forecast step k, 1-based
 * @param spacing - rows (or dates) between consecutive origins, at least 1
 * @returns the `horizon` to give `dieboldMariano`
 * @internal
 */
export function overlapHorizon(step: number, spacing: number): number {
  return Math.max(1, Math.ceil(step / Math.max(1, spacing)));
}
