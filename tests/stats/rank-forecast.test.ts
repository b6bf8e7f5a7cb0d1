import { describe, expect, it } from 'vitest';
import { DataError, rankForecast, type RankForecastPoint } from '../../src/index.js';
import { createRng } from '../../src/util/random.js';

/** A panel of `symbols` random-walk prices over `dates` days; `skill` mixes the next return into the forecast. */
function panel(seed: number, symbols: number, dates: number, skill: number): RankForecastPoint[] {
  const rng = createRng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const price = Array.from({ length: symbols }, () => 100);
  const points: RankForecastPoint[] = [];
  for (let d = 1; d <= dates; d++) {
    for (let s = 0; s < symbols; s++) {
      const r = 0.01 * gauss();
      const guess = skill * r + (1 - skill) * 0.01 * gauss();
      const lastKnown = price[s];
      price[s] *= 1 + r;
      points.push({
        symbol: `S${s}`,
        timestamp: d * 86_400_000,
        originTimestamp: (d - 1) * 86_400_000,
        step: 0,
        actual: price[s],
        predicted: lastKnown * (1 + guess),
        lastKnown,
      });
    }
  }
  return points;
}

describe('rankForecast', () => {
  it('skilled forecasts beat the uniform RPS and the random portfolios; uniform is 0.16 with full quintiles', () => {
    const r = rankForecast(panel(1, 20, 60, 0.8), { draws: 400, randomBaselines: 200, periodsPerYear: 252 });
    expect(r.rankForecast).toBe('quintiles');
    expect(r.uniformRps).toBeCloseTo(0.16, 12);
    expect(r.rps).toBeLessThan(r.uniformRps);
    expect(r.informationRatio).toBeGreaterThan(2);
    expect(r.randomPortfolios!.percentile).toBeGreaterThan(99);
    // The first two dates have no past errors for a spread: skipped, and said so.
    expect(r.skipped).toBe(40);
    expect(r.dates).toBe(58);
    expect(r.forecasts).toBe(58 * 20);
    expect(r.perDate[0].timestamp).toBe(3 * 86_400_000);
  });

  it('noisy forecasts without skill beat neither the uniform RPS (confidently wrong) nor random portfolios', () => {
    const runs = [11, 12, 13, 14, 15, 16].map((seed) =>
      rankForecast(panel(seed, 15, 40, 0), { draws: 150, randomBaselines: 100, seed }),
    );
    for (const r of runs) expect(r.rps).toBeGreaterThan(r.uniformRps);
    // Its percentile among random portfolios is luck: about 50 on average.
    const mean = runs.reduce((s, r) => s + r.randomPortfolios!.percentile, 0) / runs.length;
    expect(mean).toBeGreaterThan(20);
    expect(mean).toBeLessThan(80);
    // A flat forecast (no change for every symbol) spreads its probabilities and scores about the uniform RPS.
    const flat = panel(2, 20, 80, 0).map((p) => ({ ...p, predicted: p.lastKnown }));
    const f = rankForecast(flat, { draws: 300, randomBaselines: 0 });
    expect(Math.abs(f.rps - f.uniformRps)).toBeLessThan(0.005);
  });

  it('reads quantile forecasts when given levels, with no history needed; ignores later steps', () => {
    const pts = panel(3, 10, 20, 0.8);
    const levels = [0.1, 0.5, 0.9];
    const withQ = pts.map((p) => ({
      ...p,
      quantiles: [p.predicted - 0.013 * p.lastKnown, p.predicted, p.predicted + 0.013 * p.lastKnown],
    }));
    const later = withQ.map((p) => ({ ...p, step: 1, predicted: 1e9 }));
    const r = rankForecast([...withQ, ...later], { quantiles: levels, draws: 300, randomBaselines: 0 });
    expect(r.skipped).toBe(0);
    expect(r.dates).toBe(20);
    expect(r.rps).toBeLessThan(r.uniformRps);
    expect(r.randomPortfolios).toBeUndefined();
    expect(() => rankForecast(pts, { quantiles: levels })).toThrow(/has 0 quantiles, expected one per level \(3\)/);
  });

  it('is seeded and never mutates its points', () => {
    const pts = panel(4, 10, 12, 0.5);
    const copy = structuredClone(pts);
    const a = rankForecast(pts, { draws: 100, randomBaselines: 20, seed: 3 });
    expect(rankForecast(pts, { draws: 100, randomBaselines: 20, seed: 3 })).toEqual(a);
    expect(pts).toEqual(copy);
  });

  it('refuses non-price points and too few symbols or dates', () => {
    const pts = panel(5, 10, 10, 0.5);
    expect(() => rankForecast([{ ...pts[0], lastKnown: 0 }, ...pts.slice(1)])).toThrow(/positive last known price/);
    expect(() => rankForecast(panel(6, 4, 20, 0.5))).toThrow(DataError);
    expect(() => rankForecast(panel(7, 10, 3, 0.5))).toThrow(/1 dates have 5 or more symbols/);
  });
});
