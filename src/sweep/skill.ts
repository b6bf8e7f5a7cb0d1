/**
 * How a sweep's chosen configuration is told from luck: its test-span verdict against the naive forecast
 * (Diebold-Mariano on squared error), and at horizon 1 its strategy's deflated Sharpe ratio given every trial's
 * strategy on the validation folds.
 */
import type { Frequency } from '../data/frequency.js';
import { dieboldMarianoAgainst, type DieboldMarianoResult } from '../backtest/forecast-tests.js';
import { simulateStrategy, type StrategyResult } from '../backtest/strategy.js';
import { strategyTrials } from '../backtest/strategy-trials.js';
import type { BacktestResult } from '../backtest/walk-forward.js';
import { verdict, type Verdict } from '../stats/verdict.js';

/** Why a sweep simulates no strategy (undefined when it does): strategies trade one-step forecasts of one series. */
export function noStrategyReason(panel: boolean, horizon: number, step: number | undefined): string | undefined {
  if (panel) return 'no strategy simulation: a panel sweep fits every symbol apart, so there is no one strategy';
  if (horizon !== 1 || (step ?? horizon) !== 1) {
    return (
      'no strategy simulation: strategies trade one-step forecasts at every row ' +
      `(the sweep has horizon ${horizon}, step ${step ?? horizon})`
    );
  }
  return undefined;
}

/** A trial's per-period Sharpe ratio on its validation folds (the default long-flat rule, 5 bps). @internal */
export function trialSharpe(results: readonly BacktestResult[], frequency: Frequency): number {
  return strategyTrials(results, frequency).sharpes[0];
}

/** The chosen configuration's verdict against the naive forecast on the test span. */
export interface SweepVerdict {
  /** Diebold-Mariano against naive (the last value) on squared error, one test per step at horizons above 1. */
  dieboldMariano: DieboldMarianoResult;
  /** `beats` or `loses to` only when its p-value is below 0.05, else `ties`. */
  verdict: Verdict;
}

/** The test span's Diebold-Mariano test against naive, pooled by date over a panel's symbols. @internal */
export function naiveVerdict(
  results: Array<{ symbol?: string | undefined; result: BacktestResult }>,
  horizon: number,
  step: number | undefined,
): SweepVerdict {
  const points = results.flatMap(({ symbol, result }) =>
    result.points.map((p) => ({ ...p, ...(symbol !== undefined ? { symbol } : {}) })),
  );
  const naive = points.map((p) => ({ ...p, predicted: p.lastKnown }));
  const setup = { benchmark: 'naive', loss: 'mse' as const, kind: 'price' as const, horizon, spacing: step ?? horizon };
  const dieboldMariano = dieboldMarianoAgainst(points, naive, setup, results.length > 1);
  return { dieboldMariano, verdict: verdict(dieboldMariano) };
}

/**
 * The chosen configuration's strategy on the test span, with the deflated Sharpe ratio given the trials that had a
 * strategy on the validation folds (their count and the variance of their per-period Sharpe ratios).
 * @internal
 */
export function sweepStrategy(test: BacktestResult, frequency: Frequency, sharpes: readonly number[]): StrategyResult {
  const n = sharpes.length;
  const mean = sharpes.reduce((a, b) => a + b, 0) / n;
  const trialSharpeVariance = n > 1 ? sharpes.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return simulateStrategy(test, frequency, { trials: n, trialSharpeVariance });
}

/**
 * The chosen configuration against the naive forecast in words: the verdict of the test span's Diebold-Mariano test
 * (`beats`/`loses to` only below p 0.05) with its p-value. Also what `stockcast sweep` prints.
 * @internal
 */
export function naiveSentence(result: { best: SweepVerdict }): string {
  const { verdict, dieboldMariano: dm } = result.best;
  const step = dm.perStep ? ` at step ${dm.perStep.length}` : '';
  const p = Number.isFinite(dm.pValue)
    ? `Diebold-Mariano p-value ${dm.pValue.toPrecision(2)} on squared error${step}`
    : (dm.note ?? 'no test');
  return `${verdict} the naive forecast (the last value) (${p})`;
}
