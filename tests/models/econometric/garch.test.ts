import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  fitGarch,
  garchLogLikelihood,
  garchVarianceForecast,
  garchVariances,
  readCsv,
  type GarchOptions,
} from '../../../src/index.js';
import { fitGarchFrom } from '../../../src/models/econometric/garch.js';

interface RefCase {
  name: string;
  data: { n: number; first: string };
  distribution: 'normal' | 'student-t';
  mean: 'zero' | 'constant';
  conditioning: 'presample' | 'first-observation';
  mu?: number;
  omega: number;
  alpha: number;
  beta: number;
  nu?: number;
  logLikelihood: number;
  forecastSd?: number[];
}
const ref = JSON.parse(readFileSync('fixtures/risk/garch-ref.json', 'utf8')) as { cases: RefCase[] };
const close = (await readCsv('fixtures/sp500-2000.csv')).column('close');
const returns = Array.from({ length: close.length - 1 }, (_, i) => 100 * Math.log(close[i + 1] / close[i]));
const dataOf = (c: RefCase) => returns.slice(returns.length - c.data.n);
const optionsOf = (c: RefCase): GarchOptions => ({
  distribution: c.distribution,
  mean: c.mean,
  conditioning: c.conditioning,
});

describe('GARCH(1,1) likelihood', () => {
  it('is the hand-computed Gaussian and Student-t likelihood on a tiny series', () => {
    // presample: h1 = omega + (alpha + beta) s2 with s2 = mean(e^2) = 2.5; h2 = omega + alpha e1^2 + beta h1.
    const r = [1, -2];
    const p = { omega: 0.2, alpha: 0.1, beta: 0.7, mu: 0 };
    const h1 = 0.2 + 0.8 * 2.5;
    const h2 = 0.2 + 0.1 * 1 + 0.7 * h1;
    const gauss = (e: number, h: number) => -0.5 * (Math.log(2 * Math.PI) + Math.log(h) + (e * e) / h);
    expect(garchLogLikelihood(r, p)).toBeCloseTo(gauss(1, h1) + gauss(-2, h2), 12);
    garchVariances(r, p).forEach((h, i) => expect(h).toBeCloseTo([h1, h2, 0.2 + 0.1 * 4 + 0.7 * h2][i], 14));
    // first-observation: h1 = s2 is not scored; only the second return enters.
    expect(garchLogLikelihood(r, p, { conditioning: 'first-observation' })).toBeCloseTo(
      gauss(-2, 0.2 + 0.1 + 0.7 * 2.5),
      12,
    );
    // Student-t with nu = 5 (unit variance): ln G(3) - ln G(2.5) - 0.5 ln(3 pi h) - 3 ln(1 + e^2 / (3 h)).
    const lnG3 = Math.log(2);
    const lnG25 = Math.log(1.329340388179137);
    const st = (e: number, h: number) =>
      lnG3 - lnG25 - 0.5 * Math.log(3 * Math.PI * h) - 3 * Math.log(1 + (e * e) / (3 * h));
    expect(garchLogLikelihood(r, { ...p, nu: 5 }, { distribution: 'student-t' })).toBeCloseTo(
      st(1, h1) + st(-2, h2),
      12,
    );
    // A constant mean shifts the residuals.
    expect(garchLogLikelihood([2, -1], { ...p, mu: 1 })).toBeCloseTo(garchLogLikelihood(r, p), 12);
  });

  it("equals R's log-likelihood at R's parameters (the same likelihood, both start conventions)", () => {
    for (const c of ref.cases) {
      const ll = garchLogLikelihood(
        dataOf(c),
        { omega: c.omega, alpha: c.alpha, beta: c.beta, mu: c.mu ?? 0, nu: c.nu },
        optionsOf(c),
      );
      expect(Math.abs(ll - c.logLikelihood), c.name).toBeLessThan(1e-9 * Math.abs(c.logLikelihood));
    }
  });

  it('returns NaN outside the parameter space and explains bad data', () => {
    expect(garchLogLikelihood([1, 2], { omega: 0, alpha: 0.1, beta: 0.8, mu: 0 })).toBeNaN();
    expect(
      garchLogLikelihood([1, 2], { omega: 1, alpha: 0.1, beta: 0.8, mu: 0, nu: 2 }, { distribution: 'student-t' }),
    ).toBeNaN();
    expect(() => garchVariances([1, 2], { omega: 1, alpha: -0.1, beta: 0.8, mu: 0 })).toThrow(
      /invalid GARCH parameters/,
    );
    expect(() => garchLogLikelihood([1], { omega: 1, alpha: 0, beta: 0, mu: 0 })).toThrow(
      /at least 2 returns: received 1/,
    );
    expect(() => fitGarch([1, 2, 3])).toThrow(/at least 10 returns: received 3/);
    expect(() => fitGarch(new Array(20).fill(0))).toThrow(/not all 0/);
    expect(() => fitGarch([1, Number.NaN, ...new Array(20).fill(1)])).toThrow(/return 1 is not finite/);
    expect(() => fitGarch(returns, { distribution: 'cauchy' } as never)).toThrow(/distribution/);
  });
});

describe('fitGarch against R (tseries::garch, fGarch::garchFit) on S&P 500 returns', () => {
  for (const c of ref.cases) {
    it(`${c.name}: log-likelihood >= R's - 1e-6 relative, parameters close to R's`, () => {
      const x = dataOf(c);
      const before = x.slice();
      const fit = fitGarch(x, optionsOf(c));
      expect(x).toEqual(before);
      expect(fit.logLikelihood, c.name).toBeGreaterThanOrEqual(c.logLikelihood - 1e-6 * Math.abs(c.logLikelihood));
      expect(fit.converged).toBe(true);
      expect(fit.observations).toBe(c.conditioning === 'presample' ? c.data.n : c.data.n - 1);
      // R's Student-t fit on the last 1000 returns has alpha + beta = 1.0008 (not stationary); fitGarch keeps
      // alpha + beta < 1, so there the parameters agree less tightly (and the likelihood still within 1e-6).
      const stationary = c.alpha + c.beta < 1;
      const tol = stationary ? 2e-3 : 1e-2;
      expect(Math.abs(fit.alpha - c.alpha) / c.alpha, `${c.name} alpha`).toBeLessThan(tol);
      expect(Math.abs(fit.beta - c.beta) / c.beta, `${c.name} beta`).toBeLessThan(tol);
      expect(Math.abs(fit.omega - c.omega) / c.omega, `${c.name} omega`).toBeLessThan(stationary ? 5e-3 : 1e-2);
      if (c.nu !== undefined) expect(Math.abs(fit.nu! - c.nu) / c.nu, `${c.name} nu`).toBeLessThan(tol);
      if (c.mean === 'constant') expect(Math.abs(fit.mu - c.mu!) / c.mu!, `${c.name} mu`).toBeLessThan(tol);
      if (c.forecastSd && stationary) {
        // fGarch's predict(): sqrt of the h-step variance forecasts.
        const f = garchVarianceForecast(fit, c.forecastSd.length);
        c.forecastSd.forEach((sd, h) =>
          expect(Math.abs(Math.sqrt(f[h]) - sd) / sd, `${c.name} step ${h + 1}`).toBeLessThan(1e-4),
        );
      }
    });
  }
});

describe('garchVarianceForecast', () => {
  it('follows E[h_{n+k}] = omega + (alpha + beta) E[h_{n+k-1}] towards the unconditional variance', () => {
    const f = garchVarianceForecast({ omega: 0.1, alpha: 0.1, beta: 0.8, mu: 0, nextVariance: 2 }, 60);
    expect(f[0]).toBe(2);
    expect(f[1]).toBeCloseTo(0.1 + 0.9 * 2, 14);
    expect(f[2]).toBeCloseTo(0.1 + 0.9 * 1.9, 14);
    expect(f[59]).toBeCloseTo(1 + 0.9 ** 59 * (2 - 1), 12);
    expect(() => garchVarianceForecast({ omega: 0.1, alpha: 0.1, beta: 0.8, mu: 0, nextVariance: 2 }, 0)).toThrow(
      /positive integer/,
    );
  });
});

describe('GARCH refits warm-started from the previous fit (backtests)', () => {
  it('keep the previous fit as one start among the defaults, so a poor optimum does not carry through', () => {
    // A year of returns whose likelihood has a poor local optimum near alpha = 0, beta = 1: from there alone the
    // optimizer stays (log-likelihood -344.1 against -323.5 from the default starts).
    const r = returns.slice(3750, 4000);
    const s0 = r.reduce((s, x) => s + x * x, 0) / r.length;
    const poor = { omega: s0 * 0.001, alpha: 0.000999, beta: 0.998001, mu: 0 };
    const o = { distribution: 'normal', mean: 'zero', conditioning: 'presample' } as const;
    const fresh = fitGarch(r);
    const refit = fitGarchFrom(r, o, poor);
    expect(garchLogLikelihood(r, poor)).toBeLessThan(fresh.logLikelihood - 20);
    expect(refit.logLikelihood).toBeCloseTo(fresh.logLikelihood, 6);
    expect(refit.alpha).toBeCloseTo(fresh.alpha, 4);
    expect(refit.beta).toBeCloseTo(fresh.beta, 4);
    // A good previous fit is kept as a start: the refit on the same data lands on the same optimum.
    expect(fitGarchFrom(r, o, fresh).logLikelihood).toBeCloseTo(fresh.logLikelihood, 8);
  });
});
