import { describe, expect, it } from 'vitest';
import {
  applyTargetTransform,
  ewmaVariance,
  fitGarch,
  fitHar,
  garchVarianceForecast,
  garchVariances,
  harForecast,
  innovationQuantile,
  readCsv,
  walkForward,
} from '../../../src/index.js';
import {
  varianceForecasts,
  volatilityFloor,
  type VarianceFold,
} from '../../../src/models/baselines/variance-baselines.js';
import { regimeSwitchingWalk, simulateOhlcDays } from '../../helpers/ohlc-days.js';

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
    for (const h of [0, 1])
      expect(predicted[0][h]).toBeCloseTo(
        harForecast(fitHar(y.subarray(0, 600), { horizon: h + 1 }), y.subarray(0, 600)),
        10,
      );
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
    expect(() =>
      varianceForecasts(
        { kind: 'har' },
        lr.series.column('logret'),
        { returns: lr.returns, transform: lr.transform, periodsPerYear: 252 },
        folds,
        1,
      ),
    ).toThrow(/volatility target/);
    expect(() => varianceForecasts({ kind: 'ewma' }, y, ctx, [{ origin: 30, trainStart: 20, refit: true }], 1)).toThrow(
      /ewma needs 22 training returns before origin 30: the window has 10/,
    );
  });
});

describe('variance baselines on a return target', () => {
  it('point 0 and quantiles z_k sqrt(E[sigma^2_{t+h}]) (Student-t z from the fitted nu)', () => {
    const lr = applyTargetTransform(sp, 'logret');
    const c = { returns: lr.returns, transform: lr.transform, periodsPerYear: 252 };
    const levels = [0.01, 0.05];
    const r = varianceForecasts(
      { kind: 'garch', distribution: 'student-t' },
      lr.series.column('logret'),
      c,
      [folds[0]],
      2,
      levels,
    );
    expect(r.predicted).toEqual([[0, 0]]);
    const fit = fitGarch(lr.returns.subarray(0, 600), { distribution: 'student-t' });
    const v = garchVarianceForecast(fit, 2);
    r.quantiles![0].forEach((qs, h) =>
      qs.forEach((q, k) => expect(q).toBeCloseTo(innovationQuantile(levels[k], fit) * Math.sqrt(v[h]), 4)),
    );
    const e = varianceForecasts({ kind: 'ewma' }, lr.series.column('logret'), c, [folds[0]], 1, levels);
    const ev = ewmaVariance(lr.returns.subarray(0, 600));
    e.quantiles![0][0].forEach((q, k) =>
      expect(q).toBeCloseTo(
        innovationQuantile(levels[k], { distribution: 'normal' }) * Math.sqrt(ev[ev.length - 1]),
        12,
      ),
    );
  });
});

describe('variance baselines on range-based targets (simulated intraday paths, known variance)', () => {
  // Days whose variance is known, a quarter of it overnight: a range sees only the trading session, so its level
  // is well below the close-to-close variance that EWMA and GARCH of the returns forecast.
  const sims = [11, 12].map((seed) => simulateOhlcDays(2500, { seed }).series);

  it.each(['rv:5', 'parkinson:5', 'gk:5', 'yz:5'])(
    'ewma and garch are unbiased on %s (variance within 7%)',
    async (target) => {
      for (const series of sims) {
        for (const model of ['ewma', 'garch']) {
          const r = await walkForward(series, model, {
            targetTransform: target,
            horizon: 5,
            step: 5,
            testSize: 1500,
            refit: 30,
          });
          const ratio =
            r.points.reduce((s, p) => s + p.predicted ** 2, 0) / r.points.reduce((s, p) => s + p.actual ** 2, 0);
          expect(Math.abs(ratio - 1), `${model} on ${target}`).toBeLessThan(0.07);
        }
      }
    },
  );

  it("the seen days of a span are the estimator's own terms: forecasts equal the brute-force conditional mean", () => {
    const t = applyTargetTransform(sims[0], 'parkinson:5');
    const yy = t.series.column(t.target);
    const c = { returns: t.returns, transform: t.transform, periodsPerYear: 252, daily: t.daily };
    const { predicted } = varianceForecasts({ kind: 'ewma' }, yy, c, [{ origin: 1000, trainStart: 0, refit: true }], 5);
    // EWMA of ln(H/L)^2 / (4 ln 2) x 1e4 over rows < 1000, then the span sum of seen terms and that forecast.
    const o = t.series.column('high');
    const l = t.series.column('low');
    const term = (i: number) => (1e4 * Math.log(o[i] / l[i]) ** 2) / (4 * Math.log(2));
    let v = 0;
    for (let i = 0; i < 22; i++) v += term(i) / 22;
    for (let i = 22; i < 1000; i++) v = 0.94 * v + 0.06 * term(i);
    predicted[0].forEach((p, h) => {
      let sum = 0;
      for (let j = 1000 + h - 4; j <= 1000 + h; j++) sum += j < 1000 ? term(j) : v;
      expect(p).toBeCloseTo(Math.sqrt((252 * sum) / 5), 9);
    });
  });

  it('never look ahead on range targets: poisoning the terms of rows >= the origin changes nothing', () => {
    for (const spec of ['gk:5', 'yz:5']) {
      const t = applyTargetTransform(sims[1], spec);
      const yy = t.series.column(t.target);
      const c = { returns: t.returns, transform: t.transform, periodsPerYear: 252, daily: t.daily };
      const one = [{ origin: 900, trainStart: 0, refit: true }];
      const clean = varianceForecasts({ kind: 'garch', distribution: 'normal' }, yy, c, one, 5).predicted;
      const poison = (a: Float64Array) => a.map((x, i) => (i >= 900 ? 1e6 : x));
      const yz = t.daily.yangZhang;
      const daily = {
        terms: poison(t.daily.terms),
        ...(yz
          ? {
              yangZhang: { ...yz, overnight: poison(yz.overnight), openClose: poison(yz.openClose), rs: poison(yz.rs) },
            }
          : {}),
      };
      expect(
        varianceForecasts(
          { kind: 'garch', distribution: 'normal' },
          yy,
          { ...c, returns: poison(t.returns), daily },
          one,
          5,
        ).predicted,
        spec,
      ).toEqual(clean);
    }
  });
});

describe('volatility forecasts are positive', () => {
  it('har in levels is floored at the smallest positive volatility of its training rows', async () => {
    // Regime switches from turbulent to calm made HAR in levels forecast negative volatilities (down to -14.9).
    const s = regimeSwitchingWalk(1500, 5);
    const r = await walkForward(s, 'har', { targetTransform: 'rv:5', horizon: 5, step: 1, testSize: 1000 });
    expect(r.points.every((p) => p.predicted > 0)).toBe(true);
    const t = applyTargetTransform(s, 'rv:5');
    const yy = t.series.column(t.target);
    const floored = r.folds
      .flatMap((f) => f.predicted.map((p) => ({ p, floor: volatilityFloor(yy, 0, f.origin) })))
      .filter((x) => x.p === x.floor);
    expect(floored.length).toBeGreaterThan(0);
    expect(volatilityFloor([0, 3, 0, 2.5, 7], 0, 5)).toBe(2.5);
    expect(volatilityFloor([0, 0], 0, 2)).toBeGreaterThan(0);
  });
});
