/**
 * Random baselines: the Sharpe ratios that seeded random signals with a strategy's exposure and turnover reach on
 * the same market returns, and where the strategy ranks among them.
 */
import { z } from 'zod';
import { DataError } from '../errors.js';
import { createRng, type Rng } from '../util/random.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';

/** Options of {@link randomSignalBaseline}. */
export const RandomSignalOptionsSchema = z
  .object({
    /** How many random signals (default 1000). */
    randomBaselines: v.randomBaselines.withDefault(),
    /** Seed of the signals (default 42). */
    seed: v.seed.withDefault(),
    /** Cost per unit of position change, in basis points (default 5), as the strategy pays it. */
    costBps: v.costBps.withDefault(),
    /** Periods per year for annualizing the Sharpe ratios (per period without). */
    periodsPerYear: v.periodsPerYear.optional(),
  })
  .strict();

/** Options of {@link randomSignalBaseline}, as accepted. */
export type RandomSignalOptions = z.input<typeof RandomSignalOptionsSchema>;

/** A result ranked among random baselines. */
export interface RandomBaseline {
  /** How many random baselines were drawn. */
  count: number;
  /** The result's own value (Sharpe or information ratio). */
  value: number;
  /** Percent of baselines below the value (ties count half): 50 is what luck gives on average. */
  percentile: number;
  /** The baselines' values, in the order drawn. */
  values: number[];
}

/**
 * The percentile of a value among a sample: 100 x (count below + half the count equal) / size, values within a
 * relative 1e-12 of each other counting as equal.
 *
 * @param value - the value to place
 * @param sample - the reference sample (at least one value)
 * @returns a percentile in [0, 100]
 * @throws {@link DataError} for an empty sample
 * @example
 * ```ts
 * import { percentileOf } from 'stockcast';
 * percentileOf(2, [1, 2, 3, 4]); // 37.5
 * ```
 */
export function percentileOf(value: number, sample: ArrayLike<number>): number {
  if (sample.length === 0) throw new DataError('percentile: expected a sample of at least one value, received none');
  let below = 0;
  let equal = 0;
  // Equal to rounding (a relative 1e-12): the same returns summed in another order are a tie, not a win.
  const tolerance = 1e-12 * Math.abs(value);
  for (let i = 0; i < sample.length; i++) {
    if (Math.abs(sample[i] - value) <= tolerance) equal++;
    else if (sample[i] < value) below++;
  }
  return (100 * (below + equal / 2)) / sample.length;
}

/** mean / sample sd (0 when constant), as the strategy simulation computes its Sharpe ratio. @internal */
export function plainSharpe(returns: ArrayLike<number>): number {
  const n = returns.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += returns[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (returns[i] - mean) ** 2;
  const sd = Math.sqrt(ss / Math.max(1, n - 1));
  return sd > 0 ? mean / sd : 0;
}

/** Runs of equal positions: their states in order and their lengths. */
function runsOf(positions: ArrayLike<number>): { states: number[]; lengths: number[] } {
  const states: number[] = [];
  const lengths: number[] = [];
  for (let t = 0; t < positions.length; t++) {
    if (t > 0 && positions[t] === positions[t - 1]) lengths[lengths.length - 1]++;
    else {
      states.push(positions[t]);
      lengths.push(1);
    }
  }
  return { states, lengths };
}

/**
 * A random signal with the same exposure and turnover: the runs keep their order of states (so every trade and its
 * cost is kept), and the lengths of the runs of each state are shuffled among themselves (so the time spent long,
 * short and flat is kept); only the timing is random.
 */
function shuffledPositions(runs: { states: number[]; lengths: number[] }, rng: Rng, out: Float64Array): void {
  const byState = new Map<number, number[]>();
  runs.states.forEach((s, i) => byState.set(s, [...(byState.get(s) ?? []), runs.lengths[i]]));
  const used = new Map<number, number>();
  for (const lengths of byState.values()) rng.shuffle(lengths);
  let t = 0;
  for (const s of runs.states) {
    const k = used.get(s) ?? 0;
    used.set(s, k + 1);
    const len = byState.get(s)![k];
    out.fill(s, t, t + len);
    t += len;
  }
}

/** Period returns of holding `positions` (entered from flat) on `market`, less `cost` per unit of change. @internal */
export function positionReturns(positions: ArrayLike<number>, market: ArrayLike<number>, cost: number): Float64Array {
  const out = new Float64Array(positions.length);
  let prev = 0;
  for (let t = 0; t < positions.length; t++) {
    out[t] = positions[t] * market[t] - Math.abs(positions[t] - prev) * cost;
    prev = positions[t];
  }
  return out;
}

/**
 * Ranks a strategy's Sharpe ratio among `randomBaselines` seeded random signals with the same exposure (periods
 * long, short and flat) and turnover (the same trades in the same order, so the same costs), traded on the same
 * market returns. A strategy at the 50th percentile does what luck does; the spread of the random Sharpe ratios shows
 * how far luck alone reaches with this exposure.
 *
 * @param positions - the strategy's position each period (1 long, -1 short, 0 flat, or any size)
 * @param market - the market's return each period
 * @param options - `randomBaselines`, `seed`, `costBps`, `periodsPerYear` (see {@link RandomSignalOptionsSchema})
 * @returns the strategy's Sharpe ratio, its percentile and the random signals' Sharpe ratios
 * @throws {@link DataError} for unequal lengths, fewer than 2 periods, non-finite values, or `randomBaselines` 0
 * @example
 * ```ts
 * import { randomSignalBaseline } from 'stockcast';
 * const market = Array.from({ length: 250 }, (_, t) => 0.01 * Math.sin(t * 1.3));
 * const foresight = market.map((r) => (r > 0 ? 1 : 0)); // long exactly when the market rises
 * randomSignalBaseline(foresight, market, { randomBaselines: 200, periodsPerYear: 252 }).percentile; // 100
 * ```
 */
export function randomSignalBaseline(
  positions: ArrayLike<number>,
  market: ArrayLike<number>,
  options: RandomSignalOptions = {},
): RandomBaseline {
  const o = parseOptions(RandomSignalOptionsSchema, options, 'random signal options');
  if (positions.length !== market.length)
    throw new DataError(
      `random signals: ${positions.length} positions for ${market.length} market returns; expected one per period`,
    );
  if (positions.length < 2)
    throw new DataError(`random signals: expected at least 2 periods, received ${positions.length}`);
  for (let t = 0; t < market.length; t++) {
    if (!Number.isFinite(market[t]) || !Number.isFinite(positions[t]))
      throw new DataError(
        `random signals: period ${t} has position ${positions[t]} and market return ${market[t]}; ` +
          'expected finite numbers',
      );
  }
  if (o.randomBaselines === 0)
    throw new DataError('random signals: randomBaselines is 0; expected at least one signal');
  const cost = o.costBps / 10_000;
  const scale = Math.sqrt(o.periodsPerYear ?? 1);
  const value = plainSharpe(positionReturns(positions, market, cost)) * scale;
  const runs = runsOf(positions);
  const rng = createRng(o.seed);
  const pos = new Float64Array(positions.length);
  const values = Array.from({ length: o.randomBaselines }, () => {
    shuffledPositions(runs, rng, pos);
    return plainSharpe(positionReturns(pos, market, cost)) * scale;
  });
  return { count: values.length, value, percentile: percentileOf(value, values), values };
}

/**
 * Information ratios of random long-short portfolios of a rank portfolio's shape: each date, k = floor(n / 5) symbols
 * long and k short (half the capital each, equally weighted), drawn without replacement.
 * @internal
 */
export function randomLongShortRatios(dates: readonly number[][], count: number, rng: Rng, scale: number): number[] {
  const idx = new Int32Array(Math.max(...dates.map((r) => r.length)));
  const rets = new Float64Array(dates.length);
  return Array.from({ length: count }, () => {
    dates.forEach((r, d) => {
      const n = r.length;
      const k = Math.floor(n / 5);
      for (let i = 0; i < n; i++) idx[i] = i;
      // A partial Fisher-Yates shuffle: the first 2k places are a uniform draw of k long and k short.
      let long = 0;
      let short = 0;
      for (let i = 0; i < 2 * k; i++) {
        const j = i + rng.int(n - i);
        const t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        if (i < k) long += r[idx[i]];
        else short += r[idx[i]];
      }
      rets[d] = (0.5 * (long - short)) / k;
    });
    return plainSharpe(rets) * scale;
  });
}
