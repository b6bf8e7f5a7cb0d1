/**
 * The two spans of a sweep: validation folds on the rows before the test span (the search sees only these, cut
 * off from the test rows by construction), and the test span the chosen configuration is scored on once.
 */
import { DataError } from '../errors.js';
import type { Series } from '../data/series.js';
import { planFolds, refitGroups, type FoldPlan } from '../backtest/folds.js';
import type { TargetKind } from '../models/contract.js';
import { computeMetrics, metricsPerStep, naiveScale, type ForecastPoint } from '../backtest/metrics.js';
import { interpolatedIn, type BacktestResult, type Fold } from '../backtest/walk-forward.js';

/** Where a span's origins are and which models serve them. @internal */
export interface Span {
  /** The rows the span's folds may read: the validation span gets the series without its test rows. */
  series: Series;
  /** The first origin. */
  start: number;
  /** Rows between origins. */
  step: number;
  /** Refit groups: each trains one fresh model on every row before its first origin. */
  groups: FoldPlan[][];
}

/** How the spans are laid out. @internal */
export interface SpanRules {
  horizon: number;
  step?: number | undefined;
  testSize: number;
  validationSize: number;
  folds: number;
  window: 'expanding' | 'sliding';
  trainLength?: number | undefined;
}

function span(series: Series, size: number, r: SpanRules, what: string): Span {
  const n = series.length;
  const step = r.step ?? r.horizon;
  if (size < r.horizon || n - size < 1)
    throw new DataError(
      `the ${what} span of ${size} rows does not fit: it needs at least the horizon ${r.horizon} rows, and rows before it to train on (the data has ${n} before it ends)`,
      {},
      { hint: 'lower testSize or validationSize (CLI: --test-size, --validation-size), or use more data' },
    );
  const origins = Math.floor((size - r.horizon) / step) + 1;
  const refit = Math.max(1, Math.ceil(origins / r.folds));
  const plan = planFolds(n, {
    horizon: r.horizon,
    step,
    testSize: size,
    window: r.window,
    trainLength: r.trainLength,
    refit,
  });
  return { series, start: plan.start, step, groups: refitGroups(plan.folds) };
}

/**
 * Lays out the validation span (the `validationSize` rows before the last `testSize`, on a copy of the series
 * without them) and the test span (the last `testSize` rows).
 * @throws {@link DataError} when a span does not fit the data
 * @internal
 */
export function planSpans(series: Series, r: SpanRules): { validation: Span; test: Span } {
  const n = series.length;
  if (r.testSize + r.validationSize >= n)
    throw new DataError(
      `testSize ${r.testSize} + validationSize ${r.validationSize} leave no rows to train on: the series has ${n}`,
      {},
      { hint: 'lower --test-size or --validation-size, or use more data' },
    );
  return {
    validation: span(series.slice(0, n - r.testSize), r.validationSize, r, 'validation'),
    test: span(series, r.testSize, r, 'test'),
  };
}

/**
 * A span's forecasts as a backtest result: folds with their training dates, points, pooled metrics (MASE scaled by
 * the naive error before the span).
 * @internal
 */
export function spanResult(
  s: Span,
  model: string,
  task: { target: string; horizon: number; targetKind: TargetKind },
  perGroup: number[][][],
  elapsedMs: number,
): BacktestResult {
  const { target, horizon, targetKind } = task;
  const y = s.series.columnRef(target);
  const plan = s.groups.flat();
  const predicted = perGroup.flat();
  const folds: Fold[] = plan.map((f, i) => ({
    index: i,
    origin: f.origin,
    originTimestamp: s.series.timestampAt(f.origin),
    trainStart: s.series.timestampAt(f.trainStart),
    trainEnd: s.series.timestampAt(f.origin - 1),
    refit: f.refit,
    predicted: predicted[i].slice(0, horizon),
  }));
  const points: ForecastPoint[] = folds.flatMap((f) =>
    f.predicted.map((p, h) => ({
      timestamp: s.series.timestampAt(f.origin + h),
      step: h,
      actual: y[f.origin + h],
      predicted: p,
      lastKnown: y[f.origin - 1],
      originTimestamp: f.originTimestamp,
    })),
  );
  const scale = naiveScale(y, s.start);
  const metrics = computeMetrics(points, scale, targetKind);
  const perStep = metricsPerStep(points, { horizon, scale, targetKind });
  return {
    model,
    target,
    horizon,
    step: s.step,
    start: s.start,
    folds,
    points,
    metrics,
    perStep,
    horizonMean: false,
    targetKind,
    interpolatedRows: interpolatedIn(s.series, s.series.timestampAt(s.start)),
    elapsedMs,
  };
}
