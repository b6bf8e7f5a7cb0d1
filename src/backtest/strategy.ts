/** Strategy simulation on one-step forecasts: long/flat or long/short on the predicted direction, with costs. A simulation, not advice. */
import { z } from 'zod';
import { DataError } from '../errors.js';
import { periodsPerYear, type Frequency } from '../data/frequency.js';
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
  })
  .strict();

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

function performance(returns: number[], ppy: number): Performance {
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
    maxDrawdown,
  };
}

/**
 * Simulates trading on the direction of one-step forecasts: at each origin t the position is set from
 * sign(predicted - y[t-1]) and earns y[t]/y[t-1] - 1; every change of position costs `costBps`.
 *
 * @param result - a walk-forward result with horizon 1 and step 1
 * @param frequency - the series' frequency, for annualizing
 * @param options - see {@link StrategyOptionsSchema}
 * @returns the strategy's and buy-and-hold's performance, labelled as a simulation
 * @throws {@link DataError} unless horizon and step are 1
 * @example
 * ```ts
 * import { readCsv, simulateStrategy, walkForward } from 'stockcast';
 * const sp = await readCsv('fixtures/sp500-2000.csv');
 * const r = await walkForward(sp, 'ma:5', { target: 'close', testSize: 250 });
 * console.log(simulateStrategy(r, sp.meta.frequency).strategy.sharpe);
 * ```
 */
export function simulateStrategy(result: BacktestResult, frequency: Frequency, options: StrategyOptions = {}): StrategyResult {
  const o = parseOptions(StrategyOptionsSchema, options, 'strategy options');
  if (result.horizon !== 1 || result.step !== 1) throw new DataError(`strategy simulation needs one-step forecasts at every row (horizon 1, step 1): received horizon ${result.horizon}, step ${result.step}`);
  const ppy = o.periodsPerYear ?? periodsPerYear(frequency);
  const cost = o.costBps / 10_000;
  let position = 0;
  let trades = 0;
  let hits = 0;
  let inMarket = 0;
  const strat: number[] = [];
  const hold: number[] = [];
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
  }
  return {
    label: 'simulation',
    timestamps: result.points.map((p) => p.timestamp),
    strategy: { ...performance(strat, ppy), hitRate: inMarket > 0 ? (100 * hits) / inMarket : 0, trades, exposure: (100 * inMarket) / result.points.length },
    buyAndHold: performance(hold, ppy),
  };
}
