/** Econometric baselines for volatility and return targets (`ewma`, `garch`, `garch-t`, `har`), refitted on each fold's training rows only. */
import { DataError } from '../../errors.js';
import { fitGarchFrom, garchVarianceForecast, garchVariances, type GarchParams } from '../econometric/garch.js';
import { innovationQuantile } from '../econometric/value-at-risk.js';
import { fitHar, harForecast, type HarFit } from '../econometric/har.js';
import type { DailyVariance, TargetTransform } from '../../prep/target-transform.js';

/** An econometric baseline. */
export type VarianceModelSpec =
  | {
      /** RiskMetrics EWMA variance of the returns. */
      kind: 'ewma';
      /** Decay (default 0.94). */
      lambda?: number;
    }
  | {
      /** GARCH(1,1), zero mean, fitted by maximum likelihood on the training returns. */
      kind: 'garch';
      /** Innovations: `normal` (`garch`) or `student-t` (`garch-t`). */
      distribution: 'normal' | 'student-t';
    }
  | {
      /** HAR regression of the (volatility) target on its daily, weekly (5) and monthly (22) averages. */
      kind: 'har';
    };

/** What variance baselines read besides the target column. @internal */
export interface VarianceContext {
  /** 100 ln(C_t / C_{t-1}) for every row. */
  returns: Float64Array;
  /** The target transform. */
  transform: TargetTransform;
  /** Annualization. */
  periodsPerYear: number;
  /** The target estimator's own variance terms per row (percent squared); without them, the squared returns. */
  daily?: DailyVariance;
}

/** One fold's origin, training start and whether models refit there. @internal */
export interface VarianceFold {
  origin: number;
  trainStart: number;
  refit: boolean;
}

/**
 * The fits a model carries from one call of {@link varianceForecasts} to the next (a model's state between the
 * forecast calls of one backtest): folds that do not refit use them.
 * @internal
 */
export interface VarianceCarry {
  garch?: GarchParams;
  har?: HarFit[];
}

/** Point forecasts per fold ([fold][h]) and, for return targets, quantiles per fold ([fold][h][k]). @internal */
export interface VarianceForecasts {
  predicted: number[][];
  quantiles?: number[][][];
}

const EWMA_WARMUP = 22;

/** The floor of a volatility forecast when a fold's training target has no positive value (annualized percent). */
export const VOLATILITY_FLOOR_FALLBACK = 1e-6;

/**
 * The positive floor of a volatility forecast at one origin: the smallest positive value of the target in the
 * training rows y[from..to-1] (a realized volatility that low has been seen), else
 * {@link VOLATILITY_FLOOR_FALLBACK}. A linear model in levels (HAR) or a recurrent network can extrapolate below 0;
 * a volatility never is, and losses such as QLIKE need a positive forecast.
 * @internal
 */
export function volatilityFloor(y: ArrayLike<number>, from: number, to: number): number {
  let floor = Infinity;
  for (let i = from; i < to; i++) if (y[i] > 0 && y[i] < floor) floor = y[i];
  return Number.isFinite(floor) ? floor : VOLATILITY_FLOOR_FALLBACK;
}

/**
 * Forecasts of a variance baseline for every fold. Each variance model gives the expected daily variance of the
 * target's own estimator for the days j >= t; HAR regresses the target directly.
 * - EWMA runs over the estimator's daily terms (squared returns for `rv:K` and `logret`, Parkinson's
 *   ln(H/L)^2 / (4 ln 2) for `parkinson:K`, ...), so it forecasts the quantity the target averages.
 * - GARCH is fitted on the close-to-close returns; for a range-based target its variance forecasts are put in the
 *   estimator's units by the ratio of the estimator's terms to GARCH's fitted variances over the training rows
 *   (a range misses the overnight gap, so its level differs from the close-to-close variance's).
 * - Volatility target over span k (annualized percent): the forecast for row t+h is the conditional expectation of
 *   the estimator's variance over rows t+h-k+1..t+h: the terms already seen (j < t) as they are, the expected
 *   variance for the others; for Yang-Zhang, its sample variances of overnight and open-to-close returns taken
 *   exactly over the seen and unseen parts. Then sqrt(periodsPerYear x variance), never below
 *   {@link volatilityFloor}.
 * - Return target: the point forecast is 0 (zero mean) and quantile k is z_k sqrt(E_t[sigma^2_{t+h}]).
 * GARCH is fitted at refit origins on returns[trainStart..t-1] (the previous fit is one start among the default
 * ones) and carried forward with fixed parameters elsewhere; EWMA runs over the same rows; HAR is refitted per
 * step h at refit origins. `carry` holds the fits between calls (a call whose first fold does not refit continues it).
 * @internal
 */
export function varianceForecasts(
  spec: VarianceModelSpec,
  y: Float64Array,
  ctx: VarianceContext,
  folds: readonly VarianceFold[],
  horizon: number,
  levels?: readonly number[],
  carry: VarianceCarry = {},
): VarianceForecasts {
  const { transform } = ctx;
  if (spec.kind === 'har' && transform.kind !== 'volatility') {
    throw new DataError('the har baseline forecasts a volatility target: use a target transform such as rv:5');
  }
  const daily = ctx.daily ?? { terms: ctx.returns.map((r) => r * r) };
  const predicted: number[][] = [];
  const quantiles: number[][][] = [];
  let har: HarFit[] = carry.har ?? [];
  const normal = levels?.map((p) => innovationQuantile(p, { distribution: 'normal' }));
  for (const f of folds) {
    const { origin: t, trainStart: t0 } = f;
    if (spec.kind === 'har') {
      // Fitted on y[t0..t-1]; the forecast of y[t+h] is h+1 steps after the last known row t-1.
      if (f.refit || har.length === 0)
        har = carry.har = Array.from({ length: horizon }, (_, h) => fitHar(y.subarray(t0, t), { horizon: h + 1 }));
      const floor = volatilityFloor(y, t0, t);
      predicted.push(har.map((fit) => Math.max(floor, harForecast(fit, y.subarray(t0, t)))));
      continue;
    }
    const { future, zk } = dailyVariances(spec, ctx, daily, f, horizon, carry, levels, normal);
    if (transform.kind === 'log-returns') {
      predicted.push(new Array(horizon).fill(0));
      if (zk) quantiles.push(Array.from(future, (v) => zk!.map((q) => q * Math.sqrt(v))));
      continue;
    }
    const k = transform.span;
    if (t - k + 1 < 0)
      throw new DataError(`a ${k}-period volatility forecast at origin ${t} needs ${k - 1} returns before it`);
    const floor = volatilityFloor(y, t0, t);
    predicted.push(
      Array.from({ length: horizon }, (_, h) => {
        const variance = Math.max(0, spanVariance(daily, t, h, k, future, t0));
        return Math.max(floor, Math.sqrt(ctx.periodsPerYear * variance));
      }),
    );
  }
  return levels && transform.kind === 'log-returns' ? { predicted, quantiles } : { predicted };
}

/**
 * EWMA's or GARCH's forecasts of the next `horizon` daily variances at a fold (GARCH refitted at refit origins, its
 * fit kept in `carry`; in the range estimator's units for range targets), and the innovation quantiles of its levels.
 */
function dailyVariances(
  spec: Exclude<VarianceModelSpec, { kind: 'har' }>,
  ctx: VarianceContext,
  daily: NonNullable<VarianceContext['daily']>,
  f: VarianceFold,
  horizon: number,
  carry: VarianceCarry,
  levels: readonly number[] | undefined,
  normal: number[] | undefined,
): { future: Float64Array; zk: number[] | undefined } {
  const { origin: t, trainStart: t0 } = f;
  const train = ctx.returns.subarray(t0, t);
  if (spec.kind === 'ewma') {
    if (train.length < EWMA_WARMUP)
      throw new DataError(
        `ewma needs ${EWMA_WARMUP} training returns before origin ${t}: the window has ${train.length}`,
      );
    return {
      future: new Float64Array(horizon).fill(ewmaLast(daily.terms.subarray(t0, t), spec.lambda ?? 0.94, EWMA_WARMUP)),
      zk: normal,
    };
  }
  const o = { distribution: spec.distribution, mean: 'zero', conditioning: 'presample' } as const;
  if (f.refit || !carry.garch) carry.garch = fitGarchFrom(train, o, carry.garch);
  const garch = carry.garch;
  const h = garchVariances(train, garch, o);
  let future = garchVarianceForecast({ ...garch, nextVariance: h[h.length - 1] }, horizon);
  if (ctx.transform.kind === 'volatility' && ctx.transform.estimator !== 'close-to-close') {
    const ratio = unitRatio(daily.terms.subarray(t0, t), h);
    future = future.map((v) => v * ratio);
  }
  const zk =
    levels && spec.distribution === 'student-t'
      ? levels.map((p) => innovationQuantile(p, { distribution: 'student-t', nu: garch.nu }))
      : normal;
  return { future, zk };
}

/** The last value of the RiskMetrics recursion over per-row terms (the mean of the first `warmup` starts it). */
function ewmaLast(terms: Float64Array, lambda: number, warmup: number): number {
  let v = 0;
  for (let i = 0; i < warmup; i++) v += terms[i];
  v /= warmup;
  for (let i = warmup; i < terms.length; i++) v = lambda * v + (1 - lambda) * terms[i];
  return v;
}

/** Estimator terms per unit of GARCH variance over the training rows (h holds one more, the next variance). */
function unitRatio(terms: Float64Array, h: Float64Array): number {
  let a = 0;
  let b = 0;
  for (let i = 0; i < terms.length; i++) {
    a += terms[i];
    b += h[i];
  }
  return a > 0 && b > 0 ? a / b : 1;
}

/**
 * E_t of the estimator's variance over rows t+h-k+1..t+h (percent squared per period): seen rows (j < t) as they
 * are, expected variance `future[j - t]` for the others. Yang-Zhang takes sample variances with mean removal, so
 * its seen and unseen parts combine as E[sum (x - mean)^2] = sum_S x^2 - (sum_S x)^2 / k + (1 - 1/k) sum_U v for
 * zero-mean unseen x; the expected variance splits between overnight and open-to-close as in the training rows.
 */
function spanVariance(daily: DailyVariance, t: number, h: number, k: number, future: Float64Array, t0: number): number {
  const from = t + h - k + 1;
  if (!daily.yangZhang) {
    let sum = 0;
    for (let j = from; j <= t + h; j++) sum += j < t ? daily.terms[j] : future[j - t];
    return sum / k;
  }
  const { overnight: o, openClose: c, rs, k: w } = daily.yangZhang;
  let o2 = 0;
  let all = 0;
  for (let j = t0; j < t; j++) {
    o2 += o[j] * o[j];
    all += daily.terms[j];
  }
  const share = all > 0 ? Math.min(1, Math.max(0, o2 / all)) : 0;
  let so = 0;
  let so2 = 0;
  let sc = 0;
  let sc2 = 0;
  let srs = 0;
  let unseen = 0;
  for (let j = from; j <= t + h; j++) {
    if (j >= t) {
      unseen += future[j - t];
      continue;
    }
    so += o[j];
    so2 += o[j] * o[j];
    sc += c[j];
    sc2 += c[j] * c[j];
    srs += rs[j];
  }
  const uo = share * unseen;
  const uc = (1 - share) * unseen;
  const vo = (so2 - (so * so) / k + (1 - 1 / k) * uo) / (k - 1);
  const vc = (sc2 - (sc * sc) / k + (1 - 1 / k) * uc) / (k - 1);
  return vo + w * vc + ((1 - w) * (srs + uc)) / k;
}
