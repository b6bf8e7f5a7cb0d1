/**
 * Tests of the search over compared models: White's Reality Check and Hansen's SPA test of every model against the
 * benchmark, on the per-origin loss of the ranking metric.
 */
import { DataError } from '../errors.js';
import type { TargetKind } from '../models/contract.js';
import { defaultBlockLength, realityCheck, spaTest } from '../stats/bootstrap.js';
import { keyOf, pointLoss, type LossMetric, type Point } from './forecast-tests.js';

/** White's Reality Check over the compared models. */
export interface ComparisonRealityCheck {
  /** max over the models of sqrt(T) times the mean loss reduction against the benchmark. */
  statistic: number;
  /** The bootstrap p-value: small when the best model beats the benchmark beyond the luck of the search. */
  pValue: number;
  /** The model with the largest mean loss reduction. */
  best: string;
}

/** Hansen's SPA test over the compared models. */
export interface ComparisonSpaTest {
  /** The studentized statistic (0 when no model has a lower mean loss than the benchmark). */
  statistic: number;
  /** The consistent p-value. */
  pValue: number;
  /** Its lower bound (every model recentred at max(mean, 0)). */
  pValueLower: number;
  /** Its upper bound (every model recentred at its mean). */
  pValueUpper: number;
  /** The model with the largest studentized loss reduction. */
  best: string;
}

/** White's Reality Check and Hansen's SPA test of every model against the benchmark, after the search. */
export interface ModelSetTests {
  /** The benchmark model's display name. */
  benchmark: string;
  /** The metric whose per-point loss is compared (`rankBy`). */
  metric: LossMetric;
  /** Periods (forecast origins) the losses were averaged into and resampled. */
  periods: number;
  /** The stationary bootstrap's mean block length. */
  blockLength: number;
  /** Bootstrap resamples. */
  resamples: number;
  /** The bootstrap's seed. */
  seed: number;
  /** Whether the best model beats the benchmark once the search is allowed for (null when it could not be run). */
  realityCheck: ComparisonRealityCheck | null;
  /** Hansen's SPA: the consistent p-value with its bounds (null when it could not be run). */
  spa: ComparisonSpaTest | null;
  /** Why the tests could not be run, when they could not. */
  note?: string;
}

/** What the Reality Check and SPA test are asked. */
export interface ModelSetSetup {
  benchmark: string;
  metric: LossMetric;
  kind: TargetKind;
  blockLength?: number | undefined;
  resamples: number;
  seed: number;
  /** A point's MASE scale (its series' in-sample naive error). */
  scaleOf?: (p: Point) => number;
}

/** Each model's loss per period (origin date), averaged over the steps and symbols present in every model. */
function periodLosses(
  models: ReadonlyArray<readonly Point[]>,
  s: ModelSetSetup,
): { periods: number[]; losses: Float64Array[] } {
  // The keys every model has: those of the first, less those another lacks.
  const common = new Set(models[0].map(keyOf));
  for (const points of models.slice(1)) {
    const mine = new Set(points.map(keyOf));
    for (const k of common) if (!mine.has(k)) common.delete(k);
  }
  const periods = [...new Set(models[0].filter((p) => common.has(keyOf(p))).map((p) => p.originTimestamp))].sort(
    (a, b) => a - b,
  );
  const index = new Map(periods.map((t, i) => [t, i]));
  const losses = models.map((points) => {
    const sum = new Float64Array(periods.length);
    const count = new Float64Array(periods.length);
    for (const p of points) {
      if (!common.has(keyOf(p))) continue;
      const i = index.get(p.originTimestamp)!;
      sum[i] += pointLoss(p, s.metric, s.kind, s.scaleOf?.(p) ?? 1);
      count[i]++;
    }
    return sum.map((x, i) => x / count[i]);
  });
  return { periods, losses };
}

/**
 * White's Reality Check and Hansen's SPA test of the models against the benchmark on the per-period loss of the
 * ranking metric (a period is a forecast origin; its loss averages the origin's steps and, on panels, symbols).
 * @internal
 */
export function modelSetTests(
  models: Array<{ name: string; points: readonly Point[] }>,
  bench: readonly Point[],
  s: ModelSetSetup,
): ModelSetTests {
  const { periods, losses } = periodLosses([bench, ...models.map((m) => m.points)], s);
  const blockLength = s.blockLength ?? defaultBlockLength(Math.max(1, periods.length));
  const base = {
    benchmark: s.benchmark,
    metric: s.metric,
    periods: periods.length,
    blockLength,
    resamples: s.resamples,
    seed: s.seed,
  };
  if (models.length === 0) return { ...base, realityCheck: null, spa: null, note: 'no model besides the benchmark' };
  const options = { blockLength, resamples: s.resamples, seed: s.seed };
  try {
    const rc = realityCheck(losses.slice(1), losses[0], options);
    const spa = spaTest(losses.slice(1), losses[0], options);
    return {
      ...base,
      realityCheck: { statistic: rc.statistic, pValue: rc.pValue, best: models[rc.best].name },
      spa: {
        statistic: spa.statistic,
        pValue: spa.pValue,
        pValueLower: spa.pValueLower,
        pValueUpper: spa.pValueUpper,
        best: models[spa.best].name,
      },
    };
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    return { ...base, realityCheck: null, spa: null, note: e.message };
  }
}
