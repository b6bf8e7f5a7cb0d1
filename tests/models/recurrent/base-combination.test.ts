import { describe, expect, it } from 'vitest';
import {
  bestWeights,
  combinedResiduals,
  describeCombination,
  qlikeOfResiduals,
  simplexGrid,
} from '../../../src/models/recurrent/base-combination.js';
import { VolatilityHybrid } from '../../../src/models/recurrent/hybrid.js';
import { hybridOptions } from '../../../src/models/recurrent/volatility-defaults.js';

describe('the combined base of the volatility defaults', () => {
  it('grids the simplex in tenths, the single candidates first', () => {
    const grid = simplexGrid(3);
    // C(10 + 2, 2) = 66 points of the simplex: 3 single candidates, then 63 mixtures.
    expect(grid).toHaveLength(66);
    expect(grid.slice(0, 3)).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    for (const w of grid) expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(new Set(grid.map((w) => w.join())).size).toBe(66);
    expect(simplexGrid(1)).toEqual([[1]]);
  });

  it('finds the weights with the lowest QLIKE: a mixture when candidates err in opposite directions', () => {
    // A forecasts too low (residual +0.4), B too high (-0.4), C too high (-0.1): (A + B) / 2 is exact.
    const parts = (r: number) => [new Float32Array(50).fill(r), new Float32Array(30).fill(r)];
    const best = bestWeights([parts(0.4), parts(-0.4), parts(-0.1)]);
    expect(best.weights).toEqual([0.5, 0.5, 0]);
    expect(best.qlike).toBeCloseTo(0, 6);
    // One candidate exact: it alone, not a mixture that ties it.
    expect(bestWeights([parts(0.3), parts(0), parts(-0.2)]).weights).toEqual([0, 1, 0]);
    // A candidate that failed somewhere (not a number) gets no weight.
    const failed = [new Float32Array([Number.NaN, 0])];
    expect(bestWeights([failed, [new Float32Array([0.2, 0.1])]]).weights).toEqual([0, 1]);
    expect(qlikeOfResiduals([new Float32Array([0.5])])).toBeCloseTo(Math.exp(0.5) - 1.5, 6);
    expect(Array.from(combinedResiduals([parts(0.4), parts(-0.2)], [0.25, 0.75])[1])).toEqual(
      Array(30).fill(Math.fround(Math.fround(0.25 * Math.fround(0.4)) + 0.75 * Math.fround(-0.2))),
    );
    expect(describeCombination({ garch: 1 })).toBe('garch');
    expect(describeCombination({ garch: 0.6000000001, ewma: 0.4 })).toBe('garch^0.6*ewma^0.4');
  });

  it("forecasts a mixture's base as the weighted geometric mean of the candidates' variances", () => {
    const h = new VolatilityHybrid(hybridOptions({ seeds: 1 }), 'volatility', 2, 'garch', true);
    h.floors[''] = 1;
    const perSpec = { garch: [[16, 25]], ewma: [[9, 0.5]] };
    expect(Array.from(h.combineBases('', perSpec)[0])).toEqual([16, 25]);
    h.baseWeights = { garch: 0.5, ewma: 0.5 };
    const [b] = h.combineBases('', perSpec);
    // Volatilities: sqrt of the geometric mean of the variances, each floored at the floor (1: 0.5 becomes 1).
    expect(b[0]).toBeCloseTo(Math.sqrt(Math.sqrt(16 ** 2 * 9 ** 2)), 12);
    expect(b[1]).toBeCloseTo(Math.sqrt(Math.sqrt(25 ** 2 * 1)), 12);
  });
});
