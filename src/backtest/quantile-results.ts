/**
 * The probabilistic part of a backtest result: quantile forecast points, their metrics, their calibration (PIT
 * histogram, coverage by level), and VaR backtests on return targets.
 */
import { coverageByLevel, pit, type LevelCoverage, type PitHistogram } from '../stats/calibration.js';
import {
  probabilisticMetrics,
  probabilisticMetricsPerStep,
  type ProbabilisticMetrics,
  type QuantileForecastPoint,
} from './probabilistic.js';
import { varBacktest, type VarBacktest } from './risk-tests.js';

/** Quantile forecasts of a backtest and their metrics. */
export interface QuantileBacktest {
  /** The levels, increasing. */
  levels: number[];
  /** One point per fold and step, with a quantile per level. */
  points: QuantileForecastPoint[];
  /** Pooled over all points. */
  metrics: ProbabilisticMetrics;
  /** Per horizon step. */
  perStep: ProbabilisticMetrics[];
  /** The PIT histogram of all points: where each outcome fell among its quantile forecasts (absent without points). */
  pit?: PitHistogram;
  /** Observed against nominal coverage of every level, over all points (absent without points). */
  coverageByLevel?: LevelCoverage[];
}

/** A VaR backtest of one lower quantile level on the first-step forecasts of a return target. */
export interface RiskBacktest extends VarBacktest {
  /** Timestamps of the tested returns. */
  timestamps: number[];
  /** The realized returns. */
  returns: number[];
  /** The VaR (the level's quantile forecast) for each. */
  valueAtRisk: number[];
}

/**
 * Metrics and calibration of quantile points (pooled, per step, PIT histogram, coverage by level), as a backtest
 * reports them; panels pool their symbols' points through it.
 * @internal
 */
export function quantileBacktest(points: QuantileForecastPoint[], levels: number[], horizon: number): QuantileBacktest {
  const calibration =
    points.length > 0 ? { pit: pit(points, levels), coverageByLevel: coverageByLevel(points, levels) } : {};
  const perStep = probabilisticMetricsPerStep(points, { levels, horizon });
  return { levels, points, metrics: probabilisticMetrics(points, levels), perStep, ...calibration };
}

/**
 * Collects the quantile forecasts of every fold into points and metrics; for return targets (`varLevels` true),
 * each level below 0.5 is read as a VaR and backtested on the first-step forecasts (one per origin, in time order).
 * @internal
 */
export function quantileResults(
  folds: ReadonlyArray<{ origin: number; quantiles: number[][] }>,
  y: ArrayLike<number>,
  timestampAt: (row: number) => number,
  levels: number[],
  varLevels: boolean,
): { quantiles: QuantileBacktest; risk?: RiskBacktest[] } {
  const points: QuantileForecastPoint[] = folds.flatMap((f) =>
    f.quantiles.map((q, h) => ({
      timestamp: timestampAt(f.origin + h),
      step: h,
      actual: y[f.origin + h],
      quantiles: q,
    })),
  );
  const horizon = folds[0]?.quantiles.length ?? 0;
  const quantiles = quantileBacktest(points, levels, horizon);
  // Christoffersen's test needs two observations.
  if (!varLevels || folds.length < 2) return { quantiles };
  const first = points.filter((p) => p.step === 0);
  const risk = levels.flatMap((level, k) => {
    if (level >= 0.5) return [];
    const returns = first.map((p) => p.actual);
    const valueAtRisk = first.map((p) => p.quantiles[k]);
    return [
      { ...varBacktest(returns, valueAtRisk, level), timestamps: first.map((p) => p.timestamp), returns, valueAtRisk },
    ];
  });
  return { quantiles, risk };
}
