import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DataError,
  ValidationError,
  deflatedSharpe,
  expectedMaxSharpe,
  probabilisticSharpe,
  sharpeRatio,
} from '../../src/index.js';
import { normalCdf } from '../../src/stats/distributions.js';
import { createRng } from '../../src/util/random.js';

interface SharpeCase {
  name: string;
  returns: number[];
  sharpe: number;
  skewness: number;
  kurtosis: number;
  standardError: number;
  autocorrelatedStandardError: number;
  lags: number;
  psr0: number;
  psr005: number;
  dsr: { trials: number; trialSharpeVariance: number; expectedMax: number; value: number };
  annualized: { periodsPerYear: number; sharpe: number; standardError: number };
}
const ref = JSON.parse(readFileSync('fixtures/stats/stats-ref.json', 'utf8')) as {
  sharpe: SharpeCase[];
  paper: {
    summary: { sharpe: number; observations: number; skewness: number; kurtosis: number };
    trials: number;
    trialSharpeVariance: number;
    expectedMax: number;
    deflatedSharpe: number;
    published: { expectedMax: number; deflatedSharpe: number };
  };
};
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

/** Seeded standard normal draws (Box-Muller). */
function normals(seed: number) {
  const rng = createRng(seed);
  return () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

describe('sharpeRatio', () => {
  it.each(ref.sharpe.map((c) => [c.name, c] as const))('%s: equals scipy and statsmodels', (_, c) => {
    const plain = sharpeRatio(c.returns);
    expect(rel(plain.sharpe, c.sharpe)).toBeLessThan(1e-12);
    expect(rel(plain.standardError, c.standardError)).toBeLessThan(1e-10);
    const lo = sharpeRatio(c.returns, { sharpeError: 'autocorrelated' });
    expect(rel(lo.standardError, c.autocorrelatedStandardError)).toBeLessThan(1e-10);
    expect(
      rel(
        sharpeRatio(c.returns, { sharpeError: 'autocorrelated', lags: c.lags }).standardError,
        c.autocorrelatedStandardError,
      ),
    ).toBeLessThan(1e-10);
    const year = sharpeRatio(c.returns, { periodsPerYear: c.annualized.periodsPerYear });
    expect(rel(year.sharpe, c.annualized.sharpe)).toBeLessThan(1e-12);
    expect(rel(year.standardError, c.annualized.standardError)).toBeLessThan(1e-10);
  });

  it('the non-normal standard error is the spread of Sharpe estimates on simulated skewed returns', () => {
    // Log-normal returns (skewed, heavy right tail) with a true Sharpe of about 0.1 per period.
    const draw = normals(11);
    const T = 250;
    const estimates: number[] = [];
    const errors: number[] = [];
    for (let s = 0; s < 1500; s++) {
      const r = Array.from({ length: T }, () => Math.exp(0.5 * draw()) - 1 - 0.02);
      const e = sharpeRatio(r);
      estimates.push(e.sharpe);
      errors.push(e.standardError);
    }
    const mean = estimates.reduce((a, b) => a + b, 0) / estimates.length;
    const sd = Math.sqrt(estimates.reduce((a, b) => a + (b - mean) ** 2, 0) / (estimates.length - 1));
    const meanError = errors.reduce((a, b) => a + b, 0) / errors.length;
    expect(rel(meanError, sd)).toBeLessThan(0.1);
    // The normal-returns formula sqrt((1 + SR^2 / 2) / T) misses the skewness: with a right tail and a positive
    // Sharpe ratio it overstates the error by more than 10%.
    expect(Math.sqrt((1 + mean ** 2 / 2) / T) / sd).toBeGreaterThan(1.1);
  });

  it("Lo's autocorrelated form follows serial correlation that the non-normal form misses (AR(1), phi 0.5)", () => {
    const draw = normals(12);
    const T = 500;
    const est: number[] = [];
    const lo: number[] = [];
    const iid: number[] = [];
    for (let s = 0; s < 800; s++) {
      let x = 0;
      const r = Array.from({ length: T }, () => (x = 0.5 * x + draw()) + 0.1);
      est.push(sharpeRatio(r).sharpe);
      iid.push(sharpeRatio(r).standardError);
      lo.push(sharpeRatio(r, { sharpeError: 'autocorrelated' }).standardError);
    }
    const avg = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    const m = avg(est);
    const sd = Math.sqrt(est.reduce((a, b) => a + (b - m) ** 2, 0) / (est.length - 1));
    expect(rel(avg(lo), sd)).toBeLessThan(0.15);
    expect(avg(iid) / sd).toBeLessThan(0.7);
  });

  it('a year of daily returns: a standard error of about 1 on the annualized Sharpe ratio (docs)', () => {
    const draw = normals(13);
    const r = Array.from({ length: 252 }, () => 0.0002 + 0.01 * draw());
    expect(Math.abs(sharpeRatio(r, { periodsPerYear: 252 }).standardError - 1)).toBeLessThan(0.05);
  });

  it('returns that do not vary: Sharpe 0 (as the strategy simulation) and no standard error', () => {
    const r = sharpeRatio([0, 0, 0, 0]);
    expect(r.sharpe).toBe(0);
    expect(r.standardError).toBeNaN();
  });

  it('refuses too few or non-finite returns and unknown options; never mutates its input', () => {
    expect(() => sharpeRatio([0.1, 0.2])).toThrow(DataError);
    expect(() => sharpeRatio([0.1, Number.NaN, 0.2])).toThrow(/finite numbers, received NaN at index 1/);
    expect(() => sharpeRatio([0.1, 0.2, 0.3], { sharpeError: 'hac' as never })).toThrow(ValidationError);
    expect(() => sharpeRatio([0.1, 0.2, 0.3], { method: 'x' } as never)).toThrow(ValidationError);
    const r = [0.01, -0.02, 0.03, 0.005];
    const copy = [...r];
    sharpeRatio(r, { sharpeError: 'autocorrelated' });
    expect(r).toEqual(copy);
  });
});

describe('probabilisticSharpe and deflatedSharpe', () => {
  it.each(ref.sharpe.map((c) => [c.name, c] as const))('%s: equal scipy, from returns and from the summary', (_, c) => {
    expect(rel(probabilisticSharpe(c.returns), c.psr0)).toBeLessThan(1e-10);
    expect(rel(probabilisticSharpe(c.returns, { benchmark: 0.05 }), c.psr005)).toBeLessThan(1e-9);
    const summary = { sharpe: c.sharpe, observations: c.returns.length, skewness: c.skewness, kurtosis: c.kurtosis };
    expect(rel(probabilisticSharpe(summary, { benchmark: 0.05 }), c.psr005)).toBeLessThan(1e-9);
    const { trials, trialSharpeVariance } = c.dsr;
    expect(rel(expectedMaxSharpe({ trials, trialSharpeVariance }), c.dsr.expectedMax)).toBeLessThan(1e-12);
    expect(rel(deflatedSharpe(c.returns, { trials, trialSharpeVariance }), c.dsr.value)).toBeLessThan(1e-9);
    expect(rel(deflatedSharpe(summary, { trials, trialSharpeVariance }), c.dsr.value)).toBeLessThan(1e-9);
  });

  it("the DSR paper's numerical example (Bailey and Lopez de Prado 2014, section 5): SR0 0.1132, DSR 0.9004", () => {
    const { summary, trials, trialSharpeVariance, published } = ref.paper;
    const sr0 = expectedMaxSharpe({ trials, trialSharpeVariance });
    const dsr = deflatedSharpe(summary, { trials, trialSharpeVariance });
    expect(Math.abs(sr0 - published.expectedMax)).toBeLessThan(5e-5);
    expect(Math.abs(dsr - published.deflatedSharpe)).toBeLessThan(5e-5);
    expect(rel(sr0, ref.paper.expectedMax)).toBeLessThan(1e-12);
    expect(rel(dsr, ref.paper.deflatedSharpe)).toBeLessThan(1e-10);
  });

  it('PSR is Phi((SR - benchmark) / s.e.); DSR is PSR at the expected maximum, and PSR at 0 for one trial', () => {
    const r = ref.sharpe[1].returns;
    const { sharpe, standardError } = sharpeRatio(r);
    expect(probabilisticSharpe(r, { benchmark: -0.02 })).toBeCloseTo(normalCdf((sharpe + 0.02) / standardError), 12);
    expect(deflatedSharpe(r, { trials: 1, trialSharpeVariance: 0.01 })).toBeCloseTo(probabilisticSharpe(r), 14);
    const sr0 = expectedMaxSharpe({ trials: 50, trialSharpeVariance: 0.001 });
    expect(deflatedSharpe(r, { trials: 50, trialSharpeVariance: 0.001 })).toBeCloseTo(
      probabilisticSharpe(r, { benchmark: sr0 }),
      14,
    );
    // More trials, or more dispersed ones, can only deflate more.
    expect(deflatedSharpe(r, { trials: 500, trialSharpeVariance: 0.001 })).toBeLessThan(
      deflatedSharpe(r, { trials: 50, trialSharpeVariance: 0.001 }),
    );
  });

  it('are probabilities, and refuse bad summaries, constant returns and missing DSR options', () => {
    for (const s of [-0.5, 0, 0.5]) {
      const p = probabilisticSharpe({ sharpe: s, observations: 100, skewness: 0, kurtosis: 3 });
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
    expect(() => probabilisticSharpe({ sharpe: 0.1, observations: 1, skewness: 0, kurtosis: 3 })).toThrow(
      /observations >= 2/,
    );
    expect(() => probabilisticSharpe([0.01, 0.01, 0.01])).toThrow(/do not vary/);
    expect(() => deflatedSharpe([0.01, 0.02, 0.03], {} as never)).toThrow(ValidationError);
    expect(() => deflatedSharpe([0.01, 0.02, 0.03], { trials: 0, trialSharpeVariance: 1 })).toThrow(ValidationError);
  });
});
