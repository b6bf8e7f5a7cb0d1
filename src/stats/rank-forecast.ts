/**
 * M6-style ranking forecasts from a panel backtest's one-step forecasts: each symbol's quintile probabilities for the
 * next period, their ranked probability score against the uniform forecast, a rank-based long-short portfolio's
 * information ratio, and that ratio's percentile among random portfolios of the same shape.
 */
import { z } from 'zod';
import { DataError } from '../errors.js';
import { createRng } from '../util/random.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';
import { percentileOf, plainSharpe, randomLongShortRatios, type RandomBaseline } from './random-baselines.js';
import {
  QUINTILES,
  quintileProbabilities,
  rankedProbabilityScore,
  returnQuintiles,
  type AssetDistribution,
} from './ranking.js';

/** Options of {@link rankForecast}. */
export const RankForecastOptionsSchema = z
  .object({
    /** The kind of ranking forecast: `quintiles` (M6's, and the one there is). */
    rankForecast: v.rankForecast.optional(),
    /** Monte Carlo draws per date for the quintile probabilities (default 1000). */
    draws: v.draws.withDefault(),
    /** Random portfolios the long-short portfolio is ranked among (default 1000; 0: none). */
    randomBaselines: v.randomBaselines.withDefault(),
    /** Seed of the draws and the random portfolios (default 42). */
    seed: v.seed.withDefault(),
    /** Periods per year: annualizes the information ratio (per period without). */
    periodsPerYear: v.periodsPerYear.optional(),
    /** Quantile levels of the points' `quantiles`: the distributions come from them instead of residuals. */
    quantiles: v.quantiles.optional(),
  })
  .strict();

/** Options of {@link rankForecast}, as accepted. */
export type RankForecastOptions = z.input<typeof RankForecastOptionsSchema>;

/** A one-step panel forecast (the fields of a panel backtest's forecast point that ranking reads). */
export interface RankForecastPoint {
  /** The symbol. */
  symbol: string;
  /** The date forecast. */
  timestamp: number;
  /** The forecast origin: the last date known. */
  originTimestamp: number;
  /** 0-based step within the horizon: only step 0 (the next period) is ranked. */
  step: number;
  /** The realized price. */
  actual: number;
  /** The forecast price. */
  predicted: number;
  /** The last price known at the origin. */
  lastKnown: number;
  /** With the `quantiles` option: the price quantile forecasts, one per level. */
  quantiles?: readonly number[];
}

/** One scored date. */
export interface RankForecastDate {
  /** The date. */
  timestamp: number;
  /** Symbols ranked on it. */
  assets: number;
  /** The ranked probability score of the forecasts. */
  rps: number;
  /** That of the uniform forecast (0.2 per quintile). */
  uniformRps: number;
  /** The long-short portfolio's return. */
  portfolioReturn: number;
}

/** What {@link rankForecast} returns (JSON-friendly). */
export interface RankForecastResult {
  /** The kind of ranking forecast. */
  rankForecast: 'quintiles';
  /** Mean over dates of each date's ranked probability score (lower is better). */
  rps: number;
  /** The same for the uniform forecast: 0.16 when the quintiles are equally full. */
  uniformRps: number;
  /** mean / sd of the long-short portfolio's returns, annualized with `periodsPerYear`. */
  informationRatio: number;
  /** Scored dates. */
  dates: number;
  /** Scored symbol-dates. */
  forecasts: number;
  /** Step-0 points not scored: too few past residuals for a spread (2 needed), or fewer than 5 symbols on the date. */
  skipped: number;
  /** Per date, in time order. */
  perDate: RankForecastDate[];
  /** The information ratio among random long-short portfolios of the same size, unless `randomBaselines` is 0. */
  randomPortfolios?: RandomBaseline;
}

interface Residuals {
  timestamps: number[];
  squares: number[];
}

/** The return distribution of one point: from its quantiles, or normal around the forecast with the past RMS error. */
function distribution(
  p: RankForecastPoint,
  past: Residuals | undefined,
  levels: readonly number[] | undefined,
): AssetDistribution | undefined {
  if (levels) {
    if (!p.quantiles || p.quantiles.length !== levels.length)
      throw new DataError(
        `rank forecast: ${p.symbol} at ${new Date(p.timestamp).toISOString()} has ${p.quantiles?.length ?? 0} ` +
          `quantiles, expected one per level (${levels.length})`,
      );
    return { levels, quantiles: p.quantiles.map((q) => q / p.lastKnown - 1) };
  }
  let n = 0;
  let ss = 0;
  past?.timestamps.forEach((t, i) => {
    if (t <= p.originTimestamp) {
      n++;
      ss += past.squares[i];
    }
  });
  return n >= 2 ? { mean: p.predicted / p.lastKnown - 1, sd: Math.sqrt(ss / n) } : undefined;
}

/** Half long the k best, half short the k worst by expected quintile: the period return. */
function longShort(order: readonly number[], returns: readonly number[], k: number): number {
  let long = 0;
  let short = 0;
  for (let i = 0; i < k; i++) {
    long += returns[order[order.length - 1 - i]];
    short += returns[order[i]];
  }
  return (0.5 * (long - short)) / k;
}

interface ScoredDate {
  date: RankForecastDate;
  /** The realized returns of the symbols scored, for the random portfolios. */
  returns: number[];
}

/** Scores one date: quintile probabilities, RPS against uniform, the long-short return; none under 5 symbols. */
function scoreDate(
  t: number,
  day: readonly RankForecastPoint[],
  residuals: ReadonlyMap<string, Residuals>,
  o: z.output<typeof RankForecastOptionsSchema>,
  seed: number,
): ScoredDate | undefined {
  const scored = day.flatMap((p) => {
    const d = distribution(p, residuals.get(p.symbol), o.quantiles);
    return d ? [{ p, d }] : [];
  });
  if (scored.length < QUINTILES) return undefined;
  const returns = scored.map(({ p }) => p.actual / p.lastKnown - 1);
  const probs = quintileProbabilities(
    scored.map((s) => s.d),
    { draws: o.draws, seed },
  );
  const outcomes = returnQuintiles(returns);
  const expected = probs.map((row) => row.reduce((s, q, k) => s + q * (k + 1), 0));
  const order = expected.map((_, i) => i).sort((a, b) => expected[a] - expected[b]);
  const uniform = scored.map(() => Array<number>(QUINTILES).fill(1 / QUINTILES));
  const date = {
    timestamp: t,
    assets: scored.length,
    rps: rankedProbabilityScore(probs, outcomes),
    uniformRps: rankedProbabilityScore(uniform, outcomes),
    portfolioReturn: longShort(order, returns, Math.floor(returns.length / QUINTILES)),
  };
  return { date, returns };
}

/** Adds a date's forecast errors (relative to the last price) to each symbol's history, after it is scored. */
function recordResiduals(day: readonly RankForecastPoint[], residuals: Map<string, Residuals>): void {
  for (const p of day) {
    const r = residuals.get(p.symbol) ?? { timestamps: [], squares: [] };
    r.timestamps.push(p.timestamp);
    r.squares.push(((p.actual - p.predicted) / p.lastKnown) ** 2);
    residuals.set(p.symbol, r);
  }
}

function checkPoint(p: RankForecastPoint, i: number): void {
  if (![p.timestamp, p.originTimestamp, p.actual, p.predicted].every(Number.isFinite) || !(p.lastKnown > 0)) {
    throw new DataError(
      `rank forecast: point ${i} (${p.symbol}) needs finite prices and a positive last known price, ` +
        `received actual ${p.actual}, predicted ${p.predicted}, lastKnown ${p.lastKnown}`,
      {},
      { hint: 'rank forecasts read prices: returns are actual / lastKnown - 1' },
    );
  }
}

/**
 * Scores a panel backtest's one-step forecasts as the M6 competition scored its entries. For each date, each symbol's
 * return distribution is normal around its forecast return with the root mean square of its own past forecast
 * errors (those known at the origin; 2 needed), or, with `quantiles`, read from its quantile forecasts; quintile
 * probabilities come from joint draws ({@link quintileProbabilities}) and are scored by {@link rankedProbabilityScore}
 * against the realized quintiles. The portfolio is long half its capital in the fifth of symbols with the highest
 * expected quintile and short half in the lowest fifth, equally weighted; its information ratio is ranked among
 * random portfolios of the same size on the same dates.
 *
 * @param points - a panel backtest's forecast points (steps above 0 are ignored), prices with `lastKnown` > 0
 * @param options - see {@link RankForecastOptionsSchema}
 * @returns `{ rps, uniformRps, informationRatio, ... }`
 * @throws {@link DataError} for bad points, missing quantiles, or fewer than 2 dates with 5 scorable symbols
 * @example
 * ```ts
 * import { rankForecast } from 'stockcast';
 * const points = [];
 * for (let d = 1; d <= 30; d++) for (let s = 0; s < 10; s++) {
 *   const actual = 100 * (1 + 0.01 * Math.sin(d * 7 + s * 3));
 *   points.push({ symbol: `S${s}`, timestamp: d, originTimestamp: d - 1, step: 0, actual, predicted: (actual + 100) /
 * 2, lastKnown: 100 });
 * }
 * const r = rankForecast(points, { draws: 200, randomBaselines: 100 });
 * console.log(r.rps < r.uniformRps, r.informationRatio > 0);
 * ```
 */
export function rankForecast(
  points: readonly RankForecastPoint[],
  options: RankForecastOptions = {},
): RankForecastResult {
  const o = parseOptions(RankForecastOptionsSchema, options, 'rank forecast options');
  const byDate = new Map<number, RankForecastPoint[]>();
  points.forEach((p, i) => {
    if (p.step !== 0) return;
    checkPoint(p, i);
    byDate.set(p.timestamp, [...(byDate.get(p.timestamp) ?? []), p]);
  });
  const rng = createRng(o.seed);
  const residuals = new Map<string, Residuals>();
  const scored: ScoredDate[] = [];
  let skipped = 0;
  for (const t of [...byDate.keys()].sort((a, b) => a - b)) {
    const day = byDate.get(t)!;
    const date = scoreDate(t, day, residuals, o, rng.fork());
    if (date) scored.push(date);
    skipped += day.length - (date?.date.assets ?? 0);
    recordResiduals(day, residuals);
  }
  if (scored.length < 2) {
    throw new DataError(
      `rank forecast: ${scored.length} dates have ${QUINTILES} or more symbols with a forecast distribution; ` +
        'expected at least 2',
      {},
      {
        hint:
          'rank forecasts need one-step forecasts of at least 5 symbols over several dates ' +
          '(2 past errors per symbol give its spread)',
      },
    );
  }
  const perDate = scored.map((d) => d.date);
  const scale = Math.sqrt(o.periodsPerYear ?? 1);
  const mean = (f: (d: RankForecastDate) => number) => perDate.reduce((s, d) => s + f(d), 0) / perDate.length;
  const informationRatio = plainSharpe(perDate.map((d) => d.portfolioReturn)) * scale;
  const result: RankForecastResult = {
    rankForecast: o.rankForecast ?? 'quintiles',
    rps: mean((d) => d.rps),
    uniformRps: mean((d) => d.uniformRps),
    informationRatio,
    dates: perDate.length,
    forecasts: perDate.reduce((s, d) => s + d.assets, 0),
    skipped,
    perDate,
  };
  if (o.randomBaselines > 0) {
    const rets = scored.map((d) => d.returns);
    const values = randomLongShortRatios(rets, o.randomBaselines, createRng(rng.fork()), scale);
    result.randomPortfolios = {
      count: values.length,
      value: informationRatio,
      percentile: percentileOf(informationRatio, values),
      values,
    };
  }
  return result;
}
