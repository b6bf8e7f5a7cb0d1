import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError, quintileProbabilities, rankedProbabilityScore, returnQuintiles } from '../../src/index.js';
import { normalQuantile } from '../../src/stats/distributions.js';

const ref = JSON.parse(readFileSync('fixtures/stats/stats-ref.json', 'utf8')).ranking as {
  returns: number[];
  outcomes: number[];
  uniformRps: number;
  probabilities: number[][];
  rps: number;
  quintileProbabilities: { means: number[]; sds: number[]; probabilities: number[][] };
};
const uniform = (n: number) => Array.from({ length: n }, () => [0.2, 0.2, 0.2, 0.2, 0.2]);

describe('rankedProbabilityScore', () => {
  it('the M6 benchmark: 0.2 per quintile scores 0.16 on 100 assets (20 per quintile)', () => {
    const q = returnQuintiles(ref.returns);
    expect(q).toEqual(ref.outcomes);
    for (let k = 1; k <= 5; k++) expect(q.filter((x) => x === k).length).toBe(20);
    expect(rankedProbabilityScore(uniform(100), q)).toBeCloseTo(0.16, 14);
    expect(ref.uniformRps).toBeCloseTo(0.16, 14);
  });

  it('equals the numpy score on random probability rows', () => {
    expect(rankedProbabilityScore(ref.probabilities, ref.outcomes)).toBeCloseTo(ref.rps, 14);
  });

  it('by hand: a sure right forecast scores 0, a sure forecast of the wrong end scores 0.8', () => {
    expect(rankedProbabilityScore([[0, 0, 0, 0, 1]], [5])).toBe(0);
    // Cumulative forecast 1,1,1,1,1 against outcome 0,0,0,0,1: (1 + 1 + 1 + 1 + 0) / 5.
    expect(rankedProbabilityScore([[1, 0, 0, 0, 0]], [5])).toBeCloseTo(0.8, 15);
  });

  it('refuses rows that do not sum to 1 within 1e-9, bad outcomes and unequal counts', () => {
    expect(rankedProbabilityScore([[0.2, 0.2, 0.2, 0.2, 0.2 + 5e-10]], [1])).toBeGreaterThan(0);
    expect(() => rankedProbabilityScore([[0.2, 0.2, 0.2, 0.2, 0.2 + 2e-9]], [1])).toThrow(DataError);
    expect(() => rankedProbabilityScore([[0.2, 0.2, 0.2, 0.2, 0.21]], [1])).toThrow(
      /row 0 sums to 1.01, expected 1 \(within 1e-9\)/,
    );
    expect(() => rankedProbabilityScore([[0.25, 0.25, 0.25, 0.25]], [1])).toThrow(/4 probabilities, expected 5/);
    expect(() => rankedProbabilityScore([[-0.1, 0.3, 0.2, 0.3, 0.3]], [1])).toThrow(/in \[0, 1\]/);
    expect(() => rankedProbabilityScore(uniform(1), [6])).toThrow(/outcome 0 is 6, expected a quintile 1-5/);
    expect(() => rankedProbabilityScore(uniform(2), [1])).toThrow(/2 probability rows for 1 outcomes/);
  });
});

describe('returnQuintiles', () => {
  it('ranks by position, ties sharing their mean position', () => {
    expect(returnQuintiles([0.03, -0.01, 0, 0.02, -0.05])).toEqual([5, 2, 3, 4, 1]);
    expect(returnQuintiles([1, 1, 1, 1, 1])).toEqual([3, 3, 3, 3, 3]);
    expect(returnQuintiles([5, 4, 3, 2, 1, 0, 0, 0, 0, 0])).toEqual([5, 5, 4, 4, 3, 2, 2, 2, 2, 2]);
    expect(() => returnQuintiles([])).toThrow(DataError);
  });
});

describe('quintileProbabilities', () => {
  const { means, sds, probabilities } = ref.quintileProbabilities;
  it('match exact integration (scipy) for five independent normal returns', () => {
    const p = quintileProbabilities(
      means.map((mean, i) => ({ mean, sd: sds[i] })),
      { draws: 20000, seed: 3 },
    );
    p.forEach((row, i) => {
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      row.forEach((x, k) =>
        expect(Math.abs(x - probabilities[i][k]), `asset ${i} quintile ${k + 1}`).toBeLessThan(0.012),
      );
    });
  });

  it('from normal quantile forecasts equal the normal form (the quantile path is exact for normals)', () => {
    const levels = [0.05, 0.25, 0.5, 0.75, 0.95];
    const assets = means.map((mean, i) => ({
      levels,
      quantiles: levels.map((l) => mean + sds[i] * normalQuantile(l)),
    }));
    const a = quintileProbabilities(assets, { draws: 5000, seed: 8 });
    const b = quintileProbabilities(
      means.map((mean, i) => ({ mean, sd: sds[i] })),
      { draws: 5000, seed: 8 },
    );
    a.forEach((row, i) => row.forEach((x, k) => expect(x).toBeCloseTo(b[i][k], 3)));
  });

  it('is seeded, and refuses fewer than 5 assets and bad distributions', () => {
    const assets = [0, 1, 2, 3, 4].map((m) => ({ mean: m, sd: 2 }));
    expect(quintileProbabilities(assets, { draws: 100, seed: 1 })).toEqual(
      quintileProbabilities(assets, { draws: 100, seed: 1 }),
    );
    expect(() => quintileProbabilities(assets.slice(1))).toThrow(/at least 5 assets, received 4/);
    expect(() => quintileProbabilities([...assets.slice(1), { mean: 0, sd: -1 }])).toThrow(/sd >= 0/);
    expect(() => quintileProbabilities([...assets.slice(1), { levels: [0.1, 0.9], quantiles: [1, 0] }])).toThrow(
      /do not decrease/,
    );
  });
});
