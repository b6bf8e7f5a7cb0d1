import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  chiSquarePValue,
  christoffersenTest,
  historicalVar,
  kupiecTest,
  readCsv,
  varBacktest,
} from '../../src/index.js';

interface Lr {
  statistic: number;
  pValue: number;
}
const ref = JSON.parse(readFileSync('fixtures/risk/scipy-ref.json', 'utf8')) as {
  chi2: { x: number; df: number; sf: number }[];
  var: {
    level: number;
    span: number;
    valueAtRisk: number[];
    exceedances: number;
    kupiec: Lr;
    independence: Lr & { transitions: number[] };
    conditionalCoverage: Lr;
  }[];
};
const close = (await readCsv('fixtures/sp500-2000.csv')).column('close');
const returns = Array.from({ length: close.length - 1 }, (_, i) => 100 * Math.log(close[i + 1] / close[i]));
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('chi-square p-values', () => {
  it('match scipy.stats.chi2.sf, deep into the tail', () => {
    for (const c of ref.chi2) expect(rel(chiSquarePValue(c.x, c.df), c.sf), `x ${c.x} df ${c.df}`).toBeLessThan(1e-12);
    expect(chiSquarePValue(2, 2)).toBeCloseTo(Math.exp(-1), 15); // df 2: exp(-x/2) by hand
    expect(() => chiSquarePValue(-1, 1)).toThrow(/x >= 0 and df > 0/);
  });
});

describe('Kupiec and Christoffersen', () => {
  it('by hand', () => {
    expect(kupiecTest(5, 100, 0.05).statistic).toBeCloseTo(0, 12);
    // 0 exceedances: LR = -2 T ln(1 - p).
    expect(kupiecTest(0, 250, 0.01).statistic).toBeCloseTo(-2 * 250 * Math.log(0.99), 12);
    // 2 of 10 at p = 0.1: -2[8 ln .9 + 2 ln .1] + 2[8 ln .8 + 2 ln .2]
    expect(kupiecTest(2, 10, 0.1).statistic).toBeCloseTo(
      -2 * (8 * Math.log(0.9) + 2 * Math.log(0.1)) + 2 * (8 * Math.log(0.8) + 2 * Math.log(0.2)),
      12,
    );
    // Hits 0 1 1 0 0 0 1 1 0 0: n00 3, n01 2, n10 2, n11 2; pi01 2/5, pi11 1/2, pi 4/9.
    const lr =
      -2 * (5 * Math.log(5 / 9) + 4 * Math.log(4 / 9)) +
      2 * (3 * Math.log(3 / 5) + 2 * Math.log(2 / 5) + 2 * Math.log(1 / 2) + 2 * Math.log(1 / 2));
    expect(christoffersenTest([0, 1, 1, 0, 0, 0, 1, 1, 0, 0]).statistic).toBeCloseTo(lr, 12);
    expect(christoffersenTest([0, 0, 0, 0]).statistic).toBe(0);
    expect(christoffersenTest([0, 1, 0, 1, 0]).pValue).toBeGreaterThan(0);
  });

  it('historical-simulation VaR and its backtests match numpy/scipy on the last 1000 S&P 500 returns', () => {
    for (const c of ref.var) {
      const x = returns.slice(-(1000 + c.span));
      const v = historicalVar(x, { level: c.level, span: c.span });
      expect(v.length).toBe(1001);
      c.valueAtRisk.forEach((q, i) => expect(Math.abs(v[i] - q), `VaR ${c.level} row ${i}`).toBeLessThan(1e-12));
      const bt = varBacktest(x.slice(c.span), v.subarray(0, 1000), c.level);
      expect(bt.exceedances).toBe(c.exceedances);
      for (const [ours, theirs] of [
        [bt.kupiec, c.kupiec],
        [bt.independence, c.independence],
        [bt.conditionalCoverage, c.conditionalCoverage],
      ] as const) {
        expect(rel(ours.statistic, theirs.statistic)).toBeLessThan(1e-10);
        expect(rel(ours.pValue, theirs.pValue)).toBeLessThan(1e-9);
      }
      expect(bt.conditionalCoverage.df).toBe(2);
    }
  });

  it('historical VaR by hand, and bad input', () => {
    expect(Array.from(historicalVar([-2, 1, 0, 3, -1], { level: 0.25, span: 5 }))).toEqual([-1]);
    // Sorted [-2, 0, 1]: position 0.5 x 2 = 1 -> 0; next row sorted [0, 1, 3]: 1.
    expect(Array.from(historicalVar([-2, 1, 0, 3], { level: 0.5, span: 3 }))).toEqual([0, 1]);
    expect(() => historicalVar([1, 2], { level: 0.01, span: 3 })).toThrow(/at least that many: received 2/);
    expect(() => varBacktest([1, 2], [0], 0.05)).toThrow(/one length/);
    expect(() => kupiecTest(3, 2, 0.05)).toThrow(/0 <= exceedances <= observations/);
    expect(() => christoffersenTest([0, 2])).toThrow(/value 1 is 2/);
    expect(() => varBacktest([1, 2], [0, 0], 1)).toThrow(/level must be in \(0, 1\)/);
  });
});
