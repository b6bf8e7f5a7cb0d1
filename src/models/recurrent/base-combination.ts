/**
 * The default hybrid's base: a geometric combination of candidate baselines (weights on a grid of the simplex,
 * single baselines first) with the lowest QLIKE at the training origins. A combination is the product of the
 * candidates' variance forecasts raised to their weights, so its log is the weighted mean of their logs and each
 * residual log variance is the weighted mean of the candidates' residuals.
 */

/** Grid step of the weights: tenths. */
export const WEIGHT_STEP = 0.1;

/**
 * Weight vectors of k candidates on the simplex in steps of 1/`parts`: the k single candidates first (in their
 * order), then every mixture.
 * @internal
 */
export function simplexGrid(k: number, parts = Math.round(1 / WEIGHT_STEP)): number[][] {
  const singles = Array.from({ length: k }, (_, j) => Array.from({ length: k }, (_, i) => (i === j ? 1 : 0)));
  const mixes: number[][] = [];
  const walk = (prefix: number[], left: number) => {
    if (prefix.length === k - 1) {
      const w = [...prefix, left].map((n) => n / parts);
      if (w.filter((x) => x > 0).length > 1) mixes.push(w);
      return;
    }
    for (let n = left; n >= 0; n--) walk([...prefix, n], left - n);
  };
  if (k > 1) walk([], parts);
  return [...singles, ...mixes];
}

/**
 * QLIKE of residual log variances r: the mean of exp(r) - r - 1, as expm1(r) - r (never below 0 by rounding near
 * r = 0); not a number when there are none.
 */
export function qlikeOfResiduals(parts: readonly ArrayLike<number>[]): number {
  let sum = 0;
  let n = 0;
  for (const r of parts) {
    for (let i = 0; i < r.length; i++) sum += Math.expm1(r[i]) - r[i];
    n += r.length;
  }
  return n > 0 ? sum / n : Number.NaN;
}

/** The residuals of a combination: per part, the weighted sum of the candidates' residuals. */
export function combinedResiduals(residuals: readonly Float32Array[][], weights: readonly number[]): Float32Array[] {
  return residuals[0].map((_, p) => {
    const out = new Float32Array(residuals[0][p].length);
    weights.forEach((w, j) => {
      if (w === 0) return;
      const r = residuals[j][p];
      for (let i = 0; i < out.length; i++) out[i] += w * r[i];
    });
    return out;
  });
}

/**
 * The weights with the lowest QLIKE over every part's residuals (per candidate j, per part), single candidates
 * winning ties; a candidate whose QLIKE is not a number (it failed somewhere) gets weight 0.
 * @internal
 */
export function bestWeights(residuals: readonly Float32Array[][]): { weights: number[]; qlike: number } {
  const usable = residuals.map((r) => Number.isFinite(qlikeOfResiduals(r)));
  // With no usable candidate, the first (its forecasts train the networks as they are).
  const first = Math.max(0, usable.indexOf(true));
  let best: { weights: number[]; qlike: number } = {
    weights: usable.map((_, j) => (j === first ? 1 : 0)),
    qlike: Infinity,
  };
  for (const w of simplexGrid(residuals.length)) {
    if (w.some((x, j) => x > 0 && !usable[j])) continue;
    const q = qlikeOfResiduals(combinedResiduals(residuals, w));
    if (q < best.qlike) best = { weights: w, qlike: q };
  }
  return best;
}

/** A combination as a spec-like label: `garch` for a single base, `garch^0.6*ewma^0.4` for a mixture. */
export function describeCombination(weights: Record<string, number>): string {
  const used = Object.entries(weights).filter(([, w]) => w > 0);
  if (used.length === 1) return used[0][0];
  return used.map(([spec, w]) => `${spec}^${Number(w.toFixed(2))}`).join('*');
}
