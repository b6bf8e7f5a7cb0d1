/**
 * Strategy simulation on one-step forecasts: long/flat or long/short on the predicted direction, with costs, and how
 * far its Sharpe ratio is from luck (standard error, PSR, DSR, random signals). A simulation, not advice.
 */
import { z } from 'zod';
import { DataError } from '../errors.js';
import { periodsPerYear, type Frequency } from '../data/frequency.js';
import { randomSignalBaseline, type RandomBaseline } from '../stats/random-baselines.js';
import { deflatedSharpe, probabilisticSharpe, sharpeRatio } from '../stats/sharpe.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';
import type { BacktestResult } from './walk-forward.js';

/** Options of {@link simulateStrategy}. */
export const StrategyOptionsSchema = z
  .object({
    /** `long-flat` (default): hold when a rise is predicted, else cash; `long-short`: short when a fall is predicted. */
    strategy: v.strategy.withDefault(),
    /** Cost per unit of position change, in basis points of the traded value (default 5). */
    costBps: v.costBps.withDefault(),
    /** Periods per year for annualizing (default from the frequency: 252 daily, 52 weekly, 12 monthly). */
    periodsPerYear: v.periodsPerYear.optional(),
    /** The Sharpe ratio's standard error: `non-normal` (default) or `autocorrelated`. */
    sharpeError: v.sharpeError.withDefault(),
    /** The per-period Sharpe ratio the probabilistic Sharpe ratio is against (default 0). */
    benchmark: z
      .number()
      .finite()
      .default(v.benchmark.default as number),
    /** How many strategies this one was chosen among: with `trialSharpeVariance`, gives the deflated Sharpe ratio. */
    trials: v.trials.optional(),
    /** The variance of those trials' per-period Sharpe ratios. */
    trialSharpeVariance: v.trialSharpeVariance.optional(),
    /** Random signals with the same exposure and turnover the Sharpe ratio is ranked among (default 1000; 0: none). */
    randomBaselines: v.randomBaselines.withDefault(),
    /** Seed of the random signals (default 42). */
    seed: v.seed.withDefault(),
  })
  .strict()
  .refine((o) => (o.trials === undefined) === (o.trialSharpeVariance === undefined), {
    message: 'give trials and trialSharpeVariance together (the deflated Sharpe ratio needs both)',
    path: ['trialSharpeVariance'],
  });

/** Options of {@link simulateStrategy}, as accepted. */
export type StrategyOptions = z.input<typeof StrategyOptionsSchema>;

/** Performance of one equity curve. */
export interface Performance {
  /** Equity after each period, starting from 1. */
  equity: number[];
  /** Total return (equity end - 1). */
  totalReturn: number;
  /** Geometric annualized return. */
  annualizedReturn: number;
  /** Annualized volatility of period returns. */
  annualizedVolatility: number;
  /** Annualized Sharpe ratio (risk-free rate 0). */
  sharpe: number;
  /** Its standard error, annualized (see `sharpeRatio`); NaN when the returns do not vary or are fewer than 3. */
  sharpeStandardError: number;
  /** The probability that the true Sharpe ratio is above the benchmark (see `probabilisticSharpe`); NaN as above. */
  probabilisticSharpe: number;
  /** Largest peak-to-trough fall of the equity, as a positive fraction. */
  maxDrawdown: number;
}

/** The strategy's performance and its trading statistics. */
export interface StrategyPerformance extends Performance {
  /** Percent of in-market periods that earned a positive return. */
  hitRate: number;
  /** Number of position changes. */
  trades: number;
  /** Percent of periods in the market. */
  exposure: number;
  /** The deflated Sharpe ratio, when `trials` and `trialSharpeVariance` are given and the returns vary. */
  deflatedSharpe?: number;
  /** Why `deflatedSharpe` is absent, for reports. */
  deflatedSharpeNote?: string;
  /**
   * The annualized Sharpe ratio among random signals with the same exposure and turnover (unless randomBaselines is
   * 0).
   */
  randomSignals?: RandomBaseline;
}

/** The outcome of {@link simulateStrategy}: the strategy next to buy-and-hold. */
export interface StrategyResult {
  /** Always `simulation`: past, frictionless-but-for-costs results, not investment advice. */
  label: 'simulation';
  /** Timestamps of the periods. */
  timestamps: number[];
  /** The strategy. */
  strategy: StrategyPerformance;
  /** Buy and hold over the same periods. */
  buyAndHold: Performance;
}

type Parsed = z.output<typeof StrategyOptionsSchema>;

/** The Sharpe ratio's standard error and PSR, NaN where they are undefined (under 3 returns, or no variation). */
type Uncertainty = Pick<Performance, 'sharpeStandardError' | 'probabilisticSharpe'>;

function uncertainty(returns: number[], ppy: number, o: Parsed): Uncertainty {
  const varies = returns.length >= 3 && returns.some((r) => r !== returns[0]);
  if (!varies) return { sharpeStandardError: Number.NaN, probabilisticSharpe: Number.NaN };
  return {
    sharpeStandardError: sharpeRatio(returns, { periodsPerYear: ppy, sharpeError: o.sharpeError }).standardError,
    probabilisticSharpe: probabilisticSharpe(returns, { benchmark: o.benchmark }),
  };
}

/** The deflated Sharpe ratio, or the reason there is none. */
function deflated(returns: number[], o: Parsed): { deflatedSharpe: number } | { deflatedSharpeNote: string } {
  if (o.trials === undefined || o.trialSharpeVariance === undefined) {
    return {
      deflatedSharpeNote:
        'no deflated Sharpe ratio: give the number of trials and the variance of their Sharpe ratios ' +
        '(trials, trialSharpeVariance)',
    };
  }
  if (returns.length < 3 || returns.every((r) => r === returns[0])) {
    return { deflatedSharpeNote: 'no deflated Sharpe ratio: the strategy returns do not vary' };
  }
  return { deflatedSharpe: deflatedSharpe(returns, { trials: o.trials, trialSharpeVariance: o.trialSharpeVariance }) };
}

function performance(returns: number[], ppy: number, o: Parsed): Performance {
  const equity: number[] = [];
  let e = 1;
  let peak = 1;
  let maxDrawdown = 0;
  for (const r of returns) {
    e *= 1 + r;
    equity.push(e);
    peak = Math.max(peak, e);
    maxDrawdown = Math.max(maxDrawdown, 1 - e / peak);
  }
  const n = returns.length;
  const mean = returns.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1));
  return {
    equity,
    totalReturn: e - 1,
    annualizedReturn: e > 0 ? e ** (ppy / n) - 1 : -1,
    annualizedVolatility: sd * Math.sqrt(ppy),
    sharpe: sd > 0 ? (mean / sd) * Math.sqrt(ppy) : 0,
    ...uncertainty(returns, ppy, o),
    maxDrawdown,
  };
}

/**
 * Simulates trading on the direction of one-step forecasts: at each origin t the position is set from
 * sign(predicted - y[t-1]) and earns y[t]/y[t-1] - 1; every change of position costs `costBps`. Beside the Sharpe
 * ratio come its standard error, the probabilistic Sharpe ratio against `benchmark`, the deflated Sharpe ratio when
 * `trials` and `trialSharpeVariance` are given, and the Sharpe ratio's percentile among `randomBaselines` random
 * signals with the same exposure and turnover (seeded).
 *
 * @param result - a walk-forward result with horizon 1 and step 1
 * @param frequency - the series' frequency, for annualizing
 * @param options - see {@link StrategyOptionsSchema}
 * @returns the strategy's and buy-and-hold's performance, labelled as a simulation
 * @throws {@link DataError} unless horizon and step are 1; {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { readCsv, simulateStrategy, walkForward } from 'stockcast';
 * const sp = await readCsv('fixtures/sp500-2000.csv');
 * const r = await walkForward(sp, 'ma:5', { target: 'close', testSize: 250 });
 * console.log(simulateStrategy(r, sp.meta.frequency).strategy.sharpe);
 * ```
 */
export function simulateStrategy(
  result: BacktestResult,
  frequency: Frequency,
  options: StrategyOptions = {},
): StrategyResult {
  const o = parseOptions(StrategyOptionsSchema, options, 'strategy options');
  if (result.horizon !== 1 || result.step !== 1)
    throw new DataError(
      `strategy simulation needs one-step forecasts at every row (horizon 1, step 1): received horizon ${result.horizon}, step ${result.step}`,
    );
  const ppy = o.periodsPerYear ?? periodsPerYear(frequency);
  const cost = o.costBps / 10_000;
  let position = 0;
  let trades = 0;
  let hits = 0;
  let inMarket = 0;
  const strat: number[] = [];
  const hold: number[] = [];
  const positions: number[] = [];
  for (const p of result.points) {
    const direction = Math.sign(p.predicted - p.lastKnown);
    const next = o.strategy === 'long-short' ? direction : direction > 0 ? 1 : 0;
    const change = Math.abs(next - position);
    if (change > 0) trades++;
    position = next;
    const market = p.actual / p.lastKnown - 1;
    const r = position * market - change * cost;
    if (position !== 0) {
      inMarket++;
      if (position * market > 0) hits++;
    }
    strat.push(r);
    hold.push(market);
    positions.push(position);
  }
  const { randomBaselines, seed, costBps } = o;
  const randomOptions = { randomBaselines, seed, costBps, periodsPerYear: ppy };
  const random =
    randomBaselines > 0 && positions.length >= 2
      ? { randomSignals: randomSignalBaseline(positions, hold, randomOptions) }
      : {};
  return {
    label: 'simulation',
    timestamps: result.points.map((p) => p.timestamp),
    strategy: {
      ...performance(strat, ppy, o),
      hitRate: inMarket > 0 ? (100 * hits) / inMarket : 0,
      trades,
      exposure: (100 * inMarket) / result.points.length,
      ...deflated(strat, o),
      ...random,
    },
    buyAndHold: performance(hold, ppy, o),
  };
}
