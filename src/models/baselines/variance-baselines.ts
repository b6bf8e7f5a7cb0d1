/** Econometric baselines for volatility and return targets (`ewma`, `garch`, `garch-t`, `har`), refitted on each fold's training rows only. */
import { DataError } from '../../errors.js';
import { ewmaVariance } from '../econometric/ewma.js';
import { fitGarchFrom, garchVarianceForecast, garchVariances, type GarchParams } from '../econometric/garch.js';
import { innovationQuantile } from '../econometric/value-at-risk.js';
import { fitHar, harForecast, type HarFit } from '../econometric/har.js';
import type { TargetTransform } from '../../prep/target-transform.js';

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
}

/** One fold's origin, training start and whether models refit there. @internal */
export interface VarianceFold {
  origin: number;
  trainStart: number;
  refit: boolean;
}

/** Point forecasts per fold ([fold][h]) and, for return targets, quantiles per fold ([fold][h][k]). @internal */
export interface VarianceForecasts {
  predicted: number[][];
  quantiles?: number[][][];
}

const EWMA_WARMUP = 22;

/**
 * Forecasts of a variance baseline for every fold. Each variance model gives E_t[sigma^2_j] for the returns
 * j >= t (flat for EWMA; the GARCH recursion towards omega / (1 - alpha - beta)); HAR regresses the target directly.
 * - Volatility target over span k (annualized percent, from percent returns): the forecast for row t+h is
 *   sqrt(periodsPerYear / k x sum_{j=t+h-k+1..t+h} w_j), w_j = r_j^2 for returns already seen (j < t) and
 *   E_t[sigma^2_j] for the others: the conditional expectation of the close-to-close realized variance.
 * - Return target: the point forecast is 0 (zero mean) and quantile k is z_k sqrt(E_t[sigma^2_{t+h}]).
 * GARCH is fitted at refit origins on returns[trainStart..t-1] (warm-started from the previous fit) and carried
 * forward with fixed parameters elsewhere; EWMA runs over the same rows; HAR is refitted per step h at refit origins.
 * @internal
 */
export function varianceForecasts(spec: VarianceModelSpec, y: Float64Array, ctx: VarianceContext, folds: readonly VarianceFold[], horizon: number, levels?: readonly number[]): VarianceForecasts {
  const { transform } = ctx;
  if (spec.kind === 'har' && transform.kind !== 'volatility') throw new DataError('the har baseline forecasts a volatility target: use a target transform such as rv:5');
  const predicted: number[][] = [];
  const quantiles: number[][][] = [];
  let garch: GarchParams | undefined;
  let har: HarFit[] = [];
  const normal = levels?.map((p) => innovationQuantile(p, { distribution: 'normal' }));
  for (const f of folds) {
    const { origin: t, trainStart: t0 } = f;
    if (spec.kind === 'har') {
      // Fitted on y[t0..t-1]; the forecast of y[t+h] is h+1 steps after the last known row t-1.
      if (f.refit || har.length === 0) har = Array.from({ length: horizon }, (_, h) => fitHar(y.subarray(t0, t), { horizon: h + 1 }));
      predicted.push(har.map((fit) => harForecast(fit, y.subarray(t0, t))));
      continue;
    }
    const train = ctx.returns.subarray(t0, t);
    let future: Float64Array;
    let zk = normal;
    if (spec.kind === 'ewma') {
      if (train.length < EWMA_WARMUP) throw new DataError(`ewma needs ${EWMA_WARMUP} training returns before origin ${t}: the window has ${train.length}`);
      const v = ewmaVariance(train, { lambda: spec.lambda ?? 0.94, warmup: EWMA_WARMUP });
      future = new Float64Array(horizon).fill(v[v.length - 1]);
    } else {
      const o = { distribution: spec.distribution, mean: 'zero', conditioning: 'presample' } as const;
      if (f.refit || !garch) garch = fitGarchFrom(train, o, garch);
      const h = garchVariances(train, garch, o);
      future = garchVarianceForecast({ ...garch, nextVariance: h[h.length - 1] }, horizon);
      if (levels && spec.distribution === 'student-t') zk = levels.map((p) => innovationQuantile(p, { distribution: 'student-t', nu: garch!.nu }));
    }
    if (transform.kind === 'log-returns') {
      predicted.push(new Array(horizon).fill(0));
      if (zk) quantiles.push(Array.from(future, (v) => zk!.map((q) => q * Math.sqrt(v))));
      continue;
    }
    const k = transform.span;
    if (t - k + 1 < 0) throw new DataError(`a ${k}-period volatility forecast at origin ${t} needs ${k - 1} returns before it`);
    predicted.push(
      Array.from({ length: horizon }, (_, h) => {
        let sum = 0;
        for (let j = t + h - k + 1; j <= t + h; j++) sum += j < t ? ctx.returns[j] ** 2 : future[j - t];
        return Math.sqrt((ctx.periodsPerYear * sum) / k);
      }),
    );
  }
  return levels && transform.kind === 'log-returns' ? { predicted, quantiles } : { predicted };
}
