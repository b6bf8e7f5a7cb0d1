/**
 * The trials a strategy was chosen among, for its deflated Sharpe ratio: every candidate's strategy simulated the
 * same way, their count and the variance of their per-period Sharpe ratios.
 */
import { periodsPerYear, type Frequency } from '../data/frequency.js';
import { DataError } from '../errors.js';
import { simulateStrategy, type StrategyOptions } from './strategy.js';
import type { BacktestResult } from './walk-forward.js';

/** What a deflated Sharpe ratio needs to know of the search behind a strategy. */
export interface StrategyTrials {
  /** How many strategies were simulated. */
  trials: number;
  /** The sample variance of their per-period Sharpe ratios (0 for a single trial). */
  trialSharpeVariance: number;
  /** Each trial's per-period Sharpe ratio, in the order given. */
  sharpes: number[];
}

/**
 * Simulates the strategy of every candidate backtest (models compared, or a sweep's trials) and returns their count
 * and the variance of their per-period Sharpe ratios: pass both to `simulateStrategy` (`trials`,
 * `trialSharpeVariance`) for the chosen one's deflated Sharpe ratio.
 *
 * @param results - one-step backtests (horizon 1, step 1) of every candidate
 * @param frequency - the series' frequency, for annualizing
 * @param options - the strategy options the chosen one is simulated with (`strategy`, `costBps`, ...)
 * @returns the trial count, the variance of the per-period Sharpe ratios, and each Sharpe ratio
 * @throws {@link DataError} for no candidate, or one that is not a one-step backtest at every row
 * @example
 * ```ts
 * import { compareModels, readCsv, simulateStrategy, strategyTrials } from 'stockcast';
 * const sp = await readCsv('fixtures/sp500-2000.csv');
 * const c = await compareModels(sp, ['naive', 'drift', 'ma:5', 'ma:20'], { testSize: 250 });
 * const { trials, trialSharpeVariance } = strategyTrials(Object.values(c.results), sp.meta.frequency);
 * const best = simulateStrategy(c.results[c.rows[0].model], sp.meta.frequency, { trials, trialSharpeVariance });
 * console.log(best.strategy.deflatedSharpe);
 * ```
 */
export function strategyTrials(
  results: readonly BacktestResult[],
  frequency: Frequency,
  options: Omit<StrategyOptions, 'trials' | 'trialSharpeVariance' | 'randomBaselines'> = {},
): StrategyTrials {
  if (results.length === 0) throw new DataError('strategy trials: expected at least one backtest, received none');
  const ppy = options.periodsPerYear ?? periodsPerYear(frequency);
  // Random signals are not needed to know a trial's Sharpe ratio.
  const sharpe = (r: BacktestResult) =>
    simulateStrategy(r, frequency, { ...options, randomBaselines: 0 }).strategy.sharpe;
  const sharpes = results.map((r) => sharpe(r) / Math.sqrt(ppy));
  const n = sharpes.length;
  const mean = sharpes.reduce((a, b) => a + b, 0) / n;
  const trialSharpeVariance = n > 1 ? sharpes.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { trials: n, trialSharpeVariance, sharpes };
}
