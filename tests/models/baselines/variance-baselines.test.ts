import { describe, expect, it } from 'vitest';
import { applyTargetTransform, ewmaVariance, fitGarch, fitHar, garchVarianceForecast, garchVariances, harForecast, innovationQuantile, readCsv } from '../../../src/index.js';
import { varianceForecasts, type VarianceFold } from '../../../src/models/baselines/variance-baselines.js';

const sp = (await readCsv('fixtures/sp500-2000.csv')).slice(0, 900);
const rv = applyTargetTransform(sp, 'rv:5');
const y = rv.series.column(rv.target);
const ctx = { returns: rv.returns, transform: rv.transform, periodsPerYear: 252 };
const folds: VarianceFold[] = [600, 605, 610].map((origin, i) => ({ origin, trainStart: 0, refit: i !== 1 }));

/** sqrt(252/5 x (known r_j^2 for j < t, then the variance forecasts)) for the row t + h. */
function expected(t: number, h: number, future: ArrayLike<number>): number {
  let s = 0;
  for (let j = t + h - 4; j <= t + h; j++) s += j < t ? rv.returns[j] ** 2 : future[j - t];
  return Math.sqrt((252 * s) / 5);
}

describe('variance baselines on a 5-day volatility target', () => {
  it('ewma: the flat EWMA variance fills the unseen part of the span', () => {
    const { predicted } = varianceForecasts({ kind: 'ewma' }, y, ctx, folds, 3);
    for (const [i, f] of folds.entries()) {
      const v = ewmaVariance(rv.returns.subarray(0, f.origin), { warmup: 22 });
      const flat = new Array(3).fill(v[v.length - 1]);
      predicted[i].forEach((p, h) => expect(p).toBeCloseTo(expected(f.origin, h, flat), 10));
    }
  });

  it('garch: fitted at refit origins on training returns, carried forward with the same parameters elsewhere', () => {
    const { predicted } = varianceForecasts({ kind: 'garch', distribution: 'normal' }, y, ctx, folds, 6);
    const fit = fitGarch(rv.returns.subarray(0, 600));
    const f0 = garchVarianceForecast(fit, 6);
    predicted[0].forEach((p, h) => expect(p).toBeCloseTo(expected(600, h, f0), 4));
    // The second fold is not a refit: the same parameters over the returns up to 605.
    const h1 = garchVariances(rv.returns.subarray(0, 605), fit);
    const f1 = garchVarianceForecast({ ...fit, nextVariance: h1[h1.length - 1] }, 6);
    predicted[1].forEach((p, h) => expect(p).toBeCloseTo(expected(605, h, f1), 4));
  });

  it('har: one regression per step on the target up to t-1', () => {
    const { predicted } = varianceForecasts({ kind: 'har' }, y, ctx, folds, 2);
    for (const h of [0, 1]) expect(predicted[0][h]).toBeCloseTo(harForecast(fitHar(y.subarray(0, 600), { horizon: h + 1 }), y.subarray(0, 600)), 10);
  });

  it('never look ahead: poisoning rows >= the origin leaves every forecast unchanged', () => {
    const one = [folds[0]];
    for (const spec of [{ kind: 'ewma' }, { kind: 'har' }, { kind: 'garch', distribution: 'student-t' }] as const) {
      const clean = varianceForecasts(spec, y, ctx, one, 5).predicted;
      const py = y.map((v, i) => (i >= 600 ? 1e9 : v));
      const pr = rv.returns.map((v, i) => (i >= 600 ? 1e9 : v));
      expect(varianceForecasts(spec, py, { ...ctx, returns: pr }, one, 5).predicted, spec.kind).toEqual(clean);
    }
  });

  it('refuses har on returns, and short windows', () => {
    const lr = applyTargetTransform(sp, 'logret');
    expect(() => varianceForecasts({ kind: 'har' }, lr.series.column('logret'), { returns: lr.returns, transform: lr.transform, periodsPerYear: 252 }, folds, 1)).toThrow(/volatility target/);
    expect(() => varianceForecasts({ kind: 'ewma' }, y, ctx, [{ origin: 30, trainStart: 20, refit: true }], 1)).toThrow(/ewma needs 22 training returns before origin 30: the window has 10/);
  });
});

describe('variance baselines on a return target', () => {
  it('point 0 and quantiles z_k sqrt(E[sigma^2_{t+h}]) (Student-t z from the fitted nu)', () => {
    const lr = applyTargetTransform(sp, 'logret');
    const c = { returns: lr.returns, transform: lr.transform, periodsPerYear: 252 };
    const levels = [0.01, 0.05];
    const r = varianceForecasts({ kind: 'garch', distribution: 'student-t' }, lr.series.column('logret'), c, [folds[0]], 2, levels);
    expect(r.predicted).toEqual([[0, 0]]);
    const fit = fitGarch(lr.returns.subarray(0, 600), { distribution: 'student-t' });
    const v = garchVarianceForecast(fit, 2);
    r.quantiles![0].forEach((qs, h) => qs.forEach((q, k) => expect(q).toBeCloseTo(innovationQuantile(levels[k], fit) * Math.sqrt(v[h]), 4)));
    const e = varianceForecasts({ kind: 'ewma' }, lr.series.column('logret'), c, [folds[0]], 1, levels);
    const ev = ewmaVariance(lr.returns.subarray(0, 600));
    e.quantiles![0][0].forEach((q, k) => expect(q).toBeCloseTo(innovationQuantile(levels[k], { distribution: 'normal' }) * Math.sqrt(ev[ev.length - 1]), 12));
  });
});
