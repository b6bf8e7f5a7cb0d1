import { describe, expect, it } from 'vitest';
import { realityCheck, spaTest } from '../../src/index.js';
import type { Point } from '../../src/backtest/forecast-tests.js';
import { modelSetTests } from '../../src/backtest/model-set-tests.js';
import { createRng } from '../../src/util/random.js';

/** Two symbols, 40 origins, horizon 2: a model's points with errors drawn around `bias`. */
function points(seed: number, bias: number): Point[] {
  const rng = createRng(seed);
  return Array.from({ length: 40 }, (_, o) =>
    ['A', 'B'].flatMap((symbol) =>
      [0, 1].map((step) => ({
        symbol,
        originTimestamp: o,
        timestamp: o + step,
        step,
        actual: 100,
        predicted: 100 + bias + (rng.next() - 0.5) * 2,
        lastKnown: 99,
      })),
    ),
  ).flat();
}

describe('the Reality Check and SPA test over compared models', () => {
  const bench = points(1, 0.8);
  const good = points(2, 0);
  const poor = points(3, 2);
  const setup = { benchmark: 'b', metric: 'mae' as const, kind: 'price' as const, resamples: 300, seed: 5 };

  it("run on each origin's loss averaged over its steps and symbols, and name the best model", () => {
    const t = modelSetTests(
      [
        { name: 'good', points: good },
        { name: 'poor', points: poor },
      ],
      bench,
      setup,
    );
    // Independently: per origin, the mean |error| over the 4 points (2 symbols x 2 steps).
    const perOrigin = (ps: Point[]) =>
      Array.from({ length: 40 }, (_, o) => {
        const mine = ps.filter((p) => p.originTimestamp === o);
        return mine.reduce((a, p) => a + Math.abs(p.actual - p.predicted), 0) / mine.length;
      });
    const options = { blockLength: 3, resamples: 300, seed: 5 };
    const rc = realityCheck([perOrigin(good), perOrigin(poor)], perOrigin(bench), options);
    const spa = spaTest([perOrigin(good), perOrigin(poor)], perOrigin(bench), options);
    expect(t).toMatchObject({ periods: 40, blockLength: 3, metric: 'mae' });
    expect(t.realityCheck!.statistic).toBeCloseTo(rc.statistic, 12);
    expect(t.realityCheck!.pValue).toBe(rc.pValue);
    expect(t.spa!.pValue).toBe(spa.pValue);
    expect(t.spa!.best).toBe('good');
    expect(t.spa!.pValue).toBeLessThan(0.05);
  });

  it('only the points every model forecast count; a forecast that does not move costs half a miss', () => {
    const t = modelSetTests([{ name: 'good', points: good.filter((p) => p.symbol === 'A') }], bench, setup);
    expect(t.periods).toBe(40);
    const still = bench.map((p) => ({ ...p, predicted: p.lastKnown }));
    const direction = modelSetTests([{ name: 'still', points: still }], bench, {
      ...setup,
      metric: 'directionalAccuracy',
    });
    // The benchmark always forecasts up (and 100 > 99 is up): no misses; the still forecast costs 0.5 everywhere.
    expect(direction.realityCheck!.statistic).toBeCloseTo(-0.5 * Math.sqrt(40), 12);
    expect(modelSetTests([], bench, setup).note).toMatch(/no model besides the benchmark/);
  });
});
