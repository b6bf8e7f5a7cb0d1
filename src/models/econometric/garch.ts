/** GARCH(1,1) with Gaussian or Student-t innovations: conditional variances, exact log-likelihood, maximum-likelihood fit and h-step variance forecasts. */
import { z } from 'zod';
import { logGamma } from '../../util/special.js';
import { DataError } from '../../errors.js';
import { parseOptions } from '../../validate.js';
import { vocabulary as v } from '../../vocabulary.js';
import { nelderMead } from './nelder-mead.js';

/** Options of {@link fitGarch}, {@link garchLogLikelihood} and {@link garchVariances}. */
export const GarchOptionsSchema = z
  .object({
    /** Innovation distribution: `normal` (default) or `student-t` (unit variance, `nu` degrees of freedom, fitted). */
    distribution: v.distribution.withDefault(),
    /** `zero` (default): e_t = r_t; `constant`: e_t = r_t - mu with mu fitted. */
    mean: v.mean.withDefault(),
    /**
     * How the recursion starts, with s^2 = mean(e_t^2) over the sample. `presample` (default, as fGarch):
     * h_1 = omega + (alpha + beta) s^2 and all n returns enter the likelihood. `first-observation` (as tseries):
     * h_1 = s^2 and the likelihood conditions on the first return (n - 1 terms).
     */
    conditioning: v.conditioning.withDefault(),
  })
  .strict();

/** Options of {@link fitGarch}, as accepted. */
export type GarchOptions = z.input<typeof GarchOptionsSchema>;
type Parsed = z.output<typeof GarchOptionsSchema>;

/** GARCH(1,1) parameters: h_t = omega + alpha e_{t-1}^2 + beta h_{t-1}, e_t = r_t - mu. */
export interface GarchParams {
  /** The variance intercept (> 0), in squared return units. */
  omega: number;
  /** The ARCH coefficient (>= 0). */
  alpha: number;
  /** The GARCH coefficient (>= 0). */
  beta: number;
  /** The constant mean (0 with `mean: 'zero'`). */
  mu: number;
  /** Student-t degrees of freedom (> 2), for `distribution: 'student-t'`. */
  nu?: number;
}

/** A fitted GARCH(1,1): parameters, likelihood and the filtered variances. */
export interface GarchFit extends GarchParams {
  /** The innovation distribution. */
  distribution: Parsed['distribution'];
  /** The mean model. */
  mean: Parsed['mean'];
  /** How the recursion started. */
  conditioning: Parsed['conditioning'];
  /** The maximized log-likelihood, constants included. */
  logLikelihood: number;
  /** Terms in the likelihood (n, or n - 1 with `first-observation`). */
  observations: number;
  /** alpha + beta (< 1: the fit is constrained to covariance stationarity). */
  persistence: number;
  /** omega / (1 - alpha - beta). */
  unconditionalVariance: number;
  /** h_1..h_n, the in-sample conditional variances, one per return. */
  variances: Float64Array;
  /** h_{n+1}: the variance forecast for the next, unseen return. */
  nextVariance: number;
  /** Whether the optimizer met its tolerance. */
  converged: boolean;
  /** Likelihood evaluations used. */
  evaluations: number;
}

function checkReturns(returns: ArrayLike<number>, min: number): void {
  if (returns.length < min) throw new DataError(`GARCH needs at least ${min} returns: received ${returns.length}`);
  for (let i = 0; i < returns.length; i++)
    if (!Number.isFinite(returns[i])) throw new DataError(`return ${i} is not finite: received ${returns[i]}`);
}

/** Fills h[0..n] (h[n] = the next variance) and returns the log-likelihood; NaN for invalid parameters. */
function filter(r: ArrayLike<number>, p: GarchParams, o: Parsed, h: Float64Array): number {
  const { omega, alpha, beta, mu } = p;
  if (!(omega > 0 && alpha >= 0 && beta >= 0)) return Number.NaN;
  const n = r.length;
  let s2 = 0;
  for (let i = 0; i < n; i++) s2 += (r[i] - mu) ** 2;
  s2 /= n;
  const t = o.distribution === 'student-t';
  const nu = p.nu ?? Number.NaN;
  if (t && !(nu > 2)) return Number.NaN;
  const tConst = t
    ? logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(Math.PI * (nu - 2))
    : -0.5 * Math.log(2 * Math.PI);
  const first = o.conditioning === 'first-observation' ? 1 : 0;
  h[0] = first === 1 ? s2 : omega + (alpha + beta) * s2;
  let ll = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) h[i] = omega + alpha * (r[i - 1] - mu) ** 2 + beta * h[i - 1];
    if (i < first) continue;
    const e2 = (r[i] - mu) ** 2;
    ll += t
      ? tConst - 0.5 * Math.log(h[i]) - ((nu + 1) / 2) * Math.log1p(e2 / ((nu - 2) * h[i]))
      : tConst - 0.5 * (Math.log(h[i]) + e2 / h[i]);
  }
  h[n] = omega + alpha * (r[n - 1] - mu) ** 2 + beta * h[n - 1];
  return ll;
}

/**
 * The exact GARCH(1,1) log-likelihood of returns at given parameters (constants included), as defined by
 * `conditioning` (see {@link GarchOptionsSchema}): Gaussian terms -0.5 (ln 2 pi + ln h_t + e_t^2 / h_t); Student-t
 * terms ln Gamma((nu+1)/2) - ln Gamma(nu/2) - 0.5 ln(pi (nu-2) h_t) - (nu+1)/2 ln(1 + e_t^2 / ((nu-2) h_t)).
 *
 * @param returns - the returns (e.g. 100 x log returns)
 * @param params - omega, alpha, beta, mu (and nu for Student-t)
 * @param options - distribution, mean and conditioning
 * @returns the log-likelihood; NaN for parameters outside omega > 0, alpha, beta >= 0, nu > 2
 * @throws {@link DataError} with fewer than 2 returns or a non-finite return
 * @throws {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { garchLogLikelihood } from 'stockcast';
 * garchLogLikelihood([1, -1], { omega: 1, alpha: 0, beta: 0, mu: 0 }); // -2.8378... = 2 x -0.5 (ln 2 pi + 1)
 * ```
 */
export function garchLogLikelihood(
  returns: ArrayLike<number>,
  params: GarchParams,
  options: GarchOptions = {},
): number {
  const o = parseOptions(GarchOptionsSchema, options, 'GARCH options');
  checkReturns(returns, 2);
  return filter(returns, params, o, new Float64Array(returns.length + 1));
}

/**
 * The conditional variances h_1..h_n of returns at given parameters, plus h_{n+1} (the next period's forecast).
 * Use it to carry a fitted model forward over later returns without refitting.
 *
 * @param returns - the returns, oldest first
 * @param params - the parameters
 * @param options - distribution, mean and conditioning (as fitted)
 * @returns n + 1 variances; the last is the one-step forecast after the last return
 * @throws {@link DataError} with fewer than 2 returns, a non-finite return or invalid parameters
 * @example
 * ```ts
 * import { garchVariances } from 'stockcast';
 * garchVariances([1, -1], { omega: 0.1, alpha: 0.1, beta: 0.8, mu: 0 }); // [1, 1, 1]
 * ```
 */
export function garchVariances(
  returns: ArrayLike<number>,
  params: GarchParams,
  options: GarchOptions = {},
): Float64Array {
  const o = parseOptions(GarchOptionsSchema, options, 'GARCH options');
  checkReturns(returns, 2);
  const h = new Float64Array(returns.length + 1);
  if (Number.isNaN(filter(returns, params, o, h)))
    throw new DataError(
      `invalid GARCH parameters: need omega > 0, alpha >= 0, beta >= 0 (and nu > 2), received ${JSON.stringify(params)}`,
    );
  return h;
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const logit = (p: number) => Math.log(p / (1 - p));

/**
 * Fits a GARCH(1,1) by maximum likelihood. The optimizer (Nelder-Mead with restarts, from several starts) works
 * on unconstrained coordinates: omega = s0^2 exp(a), alpha + beta = logistic(b) < 1, alpha / (alpha + beta) =
 * logistic(c), nu = 2 + exp(d), mu = s0 m, with s0^2 = mean(r^2). Checked against R's tseries::garch and
 * fGarch::garchFit on S&P 500 returns (tests/models/econometric/garch.test.ts). Scale returns to percent
 * (100 x log returns) for well-conditioned numbers.
 *
 * @param returns - the returns, oldest first (at least 10)
 * @param options - see {@link GarchOptionsSchema}
 * @returns the parameters, log-likelihood, in-sample variances and the next variance
 * @throws {@link DataError} with fewer than 10 returns, a non-finite return or returns that are all 0
 * @throws {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { fitGarch, readCsv } from 'stockcast';
 * const close = (await readCsv('fixtures/sp500-2000.csv')).column('close');
 * const r = Array.from({ length: close.length - 1 }, (_, i) => 100 * Math.log(close[i + 1] / close[i]));
 * const fit = fitGarch(r, { distribution: 'student-t' });
 * console.log(fit.alpha, fit.beta, fit.nu, fit.logLikelihood);
 * ```
 */
export function fitGarch(returns: ArrayLike<number>, options: GarchOptions = {}): GarchFit {
  return fitGarchFrom(returns, parseOptions(GarchOptionsSchema, options, 'GARCH options'));
}

/** The optimizer's unconstrained coordinates of the parameters (see {@link fitGarch}), scaled by the returns. */
interface Coordinates {
  decode(x: Float64Array): GarchParams;
  encode(omega: number, persistence: number, share: number, mu: number, nu: number): number[];
}

function coordinates(s0: number, o: Parsed): Coordinates {
  const sd0 = Math.sqrt(s0);
  const t = o.distribution === 'student-t';
  const constant = o.mean === 'constant';
  const decode = (x: Float64Array): GarchParams => {
    const persistence = logistic(x[1]);
    const share = logistic(x[2]);
    const p: GarchParams = {
      omega: s0 * Math.exp(x[0]),
      alpha: persistence * share,
      beta: persistence * (1 - share),
      mu: constant ? sd0 * x[3] : 0,
    };
    if (t) p.nu = 2 + Math.exp(x[constant ? 4 : 3]);
    return p;
  };
  const encode = (omega: number, pers: number, share: number, mu: number, nu: number) => {
    const x = [Math.log(omega / s0), logit(pers), logit(share)];
    if (constant) x.push(mu / sd0);
    if (t) x.push(Math.log(nu - 2));
    return x;
  };
  return { decode, encode };
}

/** The optimizer's starting points: the warm start when it is usable, then the default grid. */
function startingPoints(
  returns: ArrayLike<number>,
  s0: number,
  o: Parsed,
  at: Coordinates,
  warm?: GarchParams,
): number[][] {
  const n = returns.length;
  const t = o.distribution === 'student-t';
  let mean = 0;
  for (let i = 0; i < n; i++) mean += returns[i];
  mean /= n;
  const starts: number[][] = [];
  // A warm start (the previous refit's optimum) is one start among the defaults, never the only one: a poor
  // optimum found once would otherwise carry through every later refit.
  const warmPersistence = warm ? warm.alpha + warm.beta : 0;
  const usable = warm && warm.omega > 0 && warm.alpha > 0 && warm.beta > 0 && warmPersistence < 1;
  if (warm && usable && (!t || (warm.nu ?? 0) > 2)) {
    starts.push(at.encode(warm.omega, warmPersistence, warm.alpha / warmPersistence, warm.mu, warm.nu ?? 8));
  }
  for (const [pers, share] of [
    [0.95, 0.1],
    [0.98, 0.05],
    [0.9, 0.2],
    [0.995, 0.03],
  ]) {
    for (const nu of t ? [8, 4.5] : [0]) starts.push(at.encode(s0 * (1 - pers), pers, share, mean, nu));
  }
  return starts;
}

/** A short search from every start, then a long polish (with restarts) of the best. */
function minimize(
  objective: (x: Float64Array) => number,
  starts: number[][],
): { x: Float64Array; converged: boolean; evaluations: number } {
  let evaluations = 0;
  let best: { x: Float64Array; value: number } = { x: Float64Array.from(starts[0]), value: Infinity };
  for (const start of starts) {
    const r = nelderMead(objective, start, { tolerance: 1e-9, restarts: 0, maxEvaluations: 2000 });
    evaluations += r.evaluations;
    if (r.value < best.value) best = r;
  }
  const final = nelderMead(objective, best.x, { tolerance: 1e-15, restarts: 20, maxEvaluations: 40000, step: 0.05 });
  evaluations += final.evaluations;
  if (!Number.isFinite(final.value)) {
    throw new DataError('GARCH likelihood is not finite at any start: check the returns for extreme values');
  }
  return { x: final.x, converged: final.converged, evaluations };
}

/** {@link fitGarch} with parsed options, optionally warm-started from earlier parameters (refits in backtests). @internal */
export function fitGarchFrom(returns: ArrayLike<number>, o: Parsed, warm?: GarchParams): GarchFit {
  checkReturns(returns, 10);
  const n = returns.length;
  let s0 = 0;
  for (let i = 0; i < n; i++) s0 += returns[i] ** 2;
  s0 /= n;
  if (!(s0 > 0)) throw new DataError('GARCH needs returns that are not all 0');
  const at = coordinates(s0, o);
  const h = new Float64Array(n + 1);
  const final = minimize((x) => -filter(returns, at.decode(x), o, h), startingPoints(returns, s0, o, at, warm));
  const params = at.decode(final.x);
  const logLikelihood = filter(returns, params, o, h);
  const persistence = params.alpha + params.beta;
  return {
    ...params,
    distribution: o.distribution,
    mean: o.mean,
    conditioning: o.conditioning,
    logLikelihood,
    observations: o.conditioning === 'first-observation' ? n - 1 : n,
    persistence,
    unconditionalVariance: params.omega / (1 - persistence),
    variances: h.slice(0, n),
    nextVariance: h[n],
    converged: final.converged,
    evaluations: final.evaluations,
  };
}

/**
 * h-step variance forecasts from a fit: E[h_{n+1}] = the next variance, then E[h_{n+k}] = omega + (alpha + beta)
 * E[h_{n+k-1}], which tends to the unconditional variance.
 *
 * @param fit - a fit's parameters and `nextVariance` (or that of {@link garchVariances} on later returns)
 * @param horizon - steps ahead (>= 1)
 * @returns the expected variances of returns n+1..n+horizon
 * @throws {@link DataError} when the horizon is not a positive integer
 * @example
 * ```ts
 * import { garchVarianceForecast } from 'stockcast';
 * garchVarianceForecast({ omega: 0.1, alpha: 0.1, beta: 0.8, mu: 0, nextVariance: 2 }, 3); // [2, 1.9, 1.81]
 * ```
 */
export function garchVarianceForecast(fit: GarchParams & { nextVariance: number }, horizon: number): Float64Array {
  if (!Number.isInteger(horizon) || horizon < 1)
    throw new DataError(`the forecast horizon must be a positive integer: received ${horizon}`);
  const out = new Float64Array(horizon);
  out[0] = fit.nextVariance;
  for (let k = 1; k < horizon; k++) out[k] = fit.omega + (fit.alpha + fit.beta) * out[k - 1];
  return out;
}
