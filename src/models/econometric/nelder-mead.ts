/** Nelder-Mead minimization with restarts, for the few-parameter likelihoods of the econometric models. */

/** Options of {@link nelderMead}. */
export interface NelderMeadOptions {
  /** Initial simplex edge per coordinate (default 0.5, or 10% of |x0[i]| when larger). */
  step?: number;
  /** Stop when the simplex's function values differ by less than this, relatively (default 1e-13). */
  tolerance?: number;
  /** Function evaluations at most (default 20000). */
  maxEvaluations?: number;
  /** Restarts from the best point with a fresh simplex, until one no longer improves (default 10). */
  restarts?: number;
}

/** The minimum found by {@link nelderMead}. */
export interface NelderMeadResult {
  /** The best point. */
  x: Float64Array;
  /** f(x). */
  value: number;
  /** Function evaluations used. */
  evaluations: number;
  /** Whether the tolerance was met (false: the evaluation budget ran out). */
  converged: boolean;
}

/**
 * Minimizes f by the Nelder-Mead simplex method (Lagarias et al. 1998, adaptive coefficients of Gao and Han
 * 2012 for dimension n), restarted from the best vertex until a restart no longer improves the value: restarts
 * guard against the simplex collapsing before a minimum. Non-finite values count as +Infinity.
 *
 * @param f - the objective
 * @param x0 - the start
 * @param options - step, tolerance, evaluation budget and restarts
 * @returns the best point and value
 * @internal
 */
export function nelderMead(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const tolerance = options.tolerance ?? 1e-13;
  const maxEvaluations = options.maxEvaluations ?? 20000;
  let evaluations = 0;
  const g = (x: Float64Array): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  let best: Float64Array = Float64Array.from(x0);
  let bestValue = g(best);
  let converged = false;
  const restarts = options.restarts ?? 10;
  for (let round = 0; round <= restarts && evaluations < maxEvaluations; round++) {
    const r = simplexRun(g, best, options.step ?? 0.5, tolerance, maxEvaluations, () => evaluations);
    converged = r.converged;
    const improved = bestValue - r.value > tolerance * (Math.abs(bestValue) + 1e-300);
    if (r.value <= bestValue) {
      best = r.x;
      bestValue = r.value;
    }
    if (round > 0 && !improved) break;
  }
  return { x: best, value: bestValue, evaluations, converged };
}

/** One Nelder-Mead run from a fresh simplex around x0, until the simplex's values agree or the budget runs out. */
function simplexRun(
  g: (x: Float64Array) => number,
  x0: Float64Array,
  step: number,
  tolerance: number,
  maxEvaluations: number,
  used: () => number,
): NelderMeadResult {
  const n = x0.length;
  const pts = initialSimplex(x0, step);
  const vals = pts.map(g);
  const centroid = new Float64Array(n);
  let converged = false;
  while (used() < maxEvaluations) {
    sortSimplex(pts, vals);
    if (Math.abs(vals[n] - vals[0]) <= tolerance * (Math.abs(vals[0]) + 1e-300) && Number.isFinite(vals[n])) {
      converged = true;
      break;
    }
    centroid.fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += pts[i][j] / n;
    simplexStep(g, pts, vals, centroid);
  }
  let b = 0;
  for (let i = 1; i <= n; i++) if (vals[i] < vals[b]) b = i;
  return { x: pts[b], value: vals[b], evaluations: used(), converged };
}

/** x0 and n more vertices, each x0 moved along one coordinate by the step (or 10% of the coordinate when larger). */
function initialSimplex(x0: Float64Array, step: number): Float64Array[] {
  const pts: Float64Array[] = [Float64Array.from(x0)];
  for (let i = 0; i < x0.length; i++) {
    const p = Float64Array.from(x0);
    p[i] += Math.max(step, 0.1 * Math.abs(x0[i]));
    pts.push(p);
  }
  return pts;
}

/** Orders the vertices (in place) from the lowest value to the highest. */
function sortSimplex(pts: Float64Array[], vals: number[]): void {
  const order = vals.map((_, i) => i).sort((a, b) => vals[a] - vals[b]);
  const sortedPts = order.map((i) => pts[i]);
  const sortedVals = order.map((i) => vals[i]);
  for (let i = 0; i < pts.length; i++) {
    pts[i] = sortedPts[i];
    vals[i] = sortedVals[i];
  }
}

/**
 * One iteration on a sorted simplex (in place): reflect the worst vertex through the centroid of the others, then
 * expand, accept, contract, or shrink towards the best vertex.
 */
function simplexStep(
  g: (x: Float64Array) => number,
  pts: Float64Array[],
  vals: number[],
  centroid: Float64Array,
): void {
  const n = centroid.length;
  const alpha = 1;
  const beta = 1 + 2 / n;
  const gamma = 0.75 - 1 / (2 * n);
  const delta = 1 - 1 / n;
  const along = (coef: number): Float64Array => {
    const p = new Float64Array(n);
    for (let j = 0; j < n; j++) p[j] = centroid[j] + coef * (centroid[j] - pts[n][j]);
    return p;
  };
  const xr = along(alpha);
  const fr = g(xr);
  if (fr < vals[0]) {
    const xe = along(alpha * beta);
    const fe = g(xe);
    if (fe < fr) [pts[n], vals[n]] = [xe, fe];
    else [pts[n], vals[n]] = [xr, fr];
  } else if (fr < vals[n - 1]) {
    [pts[n], vals[n]] = [xr, fr];
  } else {
    const outside = fr < vals[n];
    const xc = along(outside ? alpha * gamma : -gamma);
    const fc = g(xc);
    if (fc < (outside ? fr : vals[n])) [pts[n], vals[n]] = [xc, fc];
    else {
      for (let i = 1; i <= n; i++) {
        for (let j = 0; j < n; j++) pts[i][j] = pts[0][j] + delta * (pts[i][j] - pts[0][j]);
        vals[i] = g(pts[i]);
      }
    }
  }
}
