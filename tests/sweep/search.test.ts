import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/index.js';
import { gridPoints, halvingRungs, randomPoints } from '../../src/sweep/search.js';

describe('grid search', () => {
  it('every combination, the last option varying fastest', () => {
    expect(gridPoints({ units: [8, 16], cell: ['lstm', 'gru', 'rnn'] })).toEqual([
      { units: 8, cell: 'lstm' },
      { units: 8, cell: 'gru' },
      { units: 8, cell: 'rnn' },
      { units: 16, cell: 'lstm' },
      { units: 16, cell: 'gru' },
      { units: 16, cell: 'rnn' },
    ]);
  });

  it('refuses ranges and grids too large to run', () => {
    expect(() => gridPoints({ units: [8], lookback: { min: 5, max: 9 } })).toThrow(
      /space.lookback: a grid search needs a list of values/,
    );
    const big = Array.from({ length: 101 }, (_, i) => i + 1);
    expect(() => gridPoints({ units: big, lookback: big })).toThrow(ValidationError);
    expect(() => gridPoints({ units: big, lookback: big })).toThrow(/10201 points, more than 10000/);
  });
});

describe('random search', () => {
  const space = {
    units: [16, 32, 64],
    lookback: { min: 20, max: 60 },
    learningRate: { min: 1e-4, max: 1e-2, scale: 'log' as const },
    layers: { min: 1, max: 3, scale: 'log' as const },
    dropout: { min: 0, max: 0.5 },
  };

  it('the same seed draws the same configurations; another seed others', () => {
    expect(randomPoints(space, 24, 7)).toEqual(randomPoints(space, 24, 7));
    expect(randomPoints(space, 24, 8)).not.toEqual(randomPoints(space, 24, 7));
    // The first draws do not depend on how many are drawn.
    expect(randomPoints(space, 24, 7).slice(0, 5)).toEqual(randomPoints(space, 5, 7));
  });

  it('values stay in their ranges: integers for integer options, four significant digits, log ranges spread over decades', () => {
    const points = randomPoints(space, 400, 1);
    for (const p of points) {
      expect([16, 32, 64]).toContain(p.units);
      expect(Number.isInteger(p.lookback) && (p.lookback as number) >= 20 && (p.lookback as number) <= 60).toBe(true);
      expect(Number.isInteger(p.layers) && (p.layers as number) >= 1 && (p.layers as number) <= 3).toBe(true);
      const lr = p.learningRate as number;
      expect(lr >= 1e-4 && lr <= 1e-2).toBe(true);
      expect(Number(lr.toPrecision(4))).toBe(lr);
      expect((p.dropout as number) >= 0 && (p.dropout as number) <= 0.5).toBe(true);
    }
    // Log-uniform: about a third of the draws fall in each decade... here two decades, about half each.
    const low = points.filter((p) => (p.learningRate as number) < 1e-3).length / points.length;
    expect(low).toBeGreaterThan(0.4);
    expect(low).toBeLessThan(0.6);
    // Every integer of a range comes up, the ends included.
    expect(new Set(points.map((p) => p.lookback)).size).toBe(41);
  });

  it('does not repeat a configuration while the space has unseen ones', () => {
    const points = randomPoints({ units: [8, 16], cell: ['lstm', 'gru'] }, 4, 3);
    expect(new Set(points.map((p) => JSON.stringify(p))).size).toBe(4);
  });
});

describe('successive halving', () => {
  it('rungs: 1/eta of the configurations go on with eta times the epochs, ending at the full budget', () => {
    expect(halvingRungs(24, 27, 3)).toEqual([
      { configurations: 24, epochs: 3 },
      { configurations: 8, epochs: 9 },
      { configurations: 2, epochs: 27 },
    ]);
    expect(halvingRungs(9, 9, 3)).toEqual([
      { configurations: 9, epochs: 1 },
      { configurations: 3, epochs: 3 },
      { configurations: 1, epochs: 9 },
    ]);
    // Too few epochs to halve: fewer rungs, never below one epoch.
    expect(halvingRungs(27, 2, 3)).toEqual([{ configurations: 27, epochs: 2 }]);
    expect(halvingRungs(16, 50, 2)).toEqual([
      { configurations: 16, epochs: 3 },
      { configurations: 8, epochs: 6 },
      { configurations: 4, epochs: 13 },
      { configurations: 2, epochs: 25 },
      { configurations: 1, epochs: 50 },
    ]);
  });
});
