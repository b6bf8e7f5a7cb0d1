import { describe, expect, it } from 'vitest';
import { computeMetrics, metricsPerStep, type ForecastPoint } from '../../src/index.js';
import { rankRows } from '../../src/backtest/compare.js';

const point = (actual: number, predicted: number, lastKnown: number, step = 0): ForecastPoint => ({
  timestamp: 0,
  step,
  actual,
  predicted,
  lastKnown,
  originTimestamp: 0,
});

describe('direction accuracy', () => {
  it('counts only the points where the forecast moves', () => {
    // Two moves (one right, one wrong) and two forecasts equal to the last value, which say nothing.
    const m = computeMetrics([point(11, 12, 10), point(9, 11, 10), point(12, 10, 10), point(8, 10, 10)], 1);
    expect(m.directionalAccuracy).toBe(50);
    expect(m.count).toBe(4);
    // A move towards a flat actual is wrong (sign 0 is not up).
    expect(computeMetrics([point(10, 11, 10), point(11, 11, 10)], 1).directionalAccuracy).toBe(50);
  });

  it('is NaN where no forecast moves (not 0%), null in JSON, ranked last', () => {
    const flat = computeMetrics([point(11, 10, 10), point(9, 10, 10)], 1);
    expect(flat.directionalAccuracy).toBeNaN();
    expect(JSON.parse(JSON.stringify(flat)).directionalAccuracy).toBeNull();
    const perStep = metricsPerStep([point(11, 10, 10, 0), point(11, 12, 10, 1)], { horizon: 2, scale: 1 });
    expect(perStep.map((x) => x.directionalAccuracy)).toEqual([Number.NaN, 100]);
    const moving = computeMetrics([point(11, 12, 10), point(9, 11, 10)], 1);
    const ranked = rankRows(
      [
        { rank: 0, model: 'naive', metrics: flat },
        { rank: 0, model: 'drift', metrics: moving },
      ],
      'directionalAccuracy',
    );
    expect(ranked.map((r) => `${r.rank}:${r.model}`)).toEqual(['1:drift', '2:naive']);
  });
});
