import { describe, expect, it } from 'vitest';
import { coverageChart, exceedanceChart, probabilisticMetricsPerStep, quantileFanChart } from '../../src/index.js';

const day = (i: number) => Date.UTC(2024, 0, 1 + i);

describe('risk charts', () => {
  it('draw the quantile fan with one band per central interval and the median', async () => {
    const points = [0, 1, 2, 3].map((i) => ({
      timestamp: day(i),
      step: 0,
      actual: i,
      quantiles: [i - 2, i - 1, i, i + 1, i + 2],
    }));
    const svg = await quantileFanChart(points, { levels: [0.05, 0.25, 0.5, 0.75, 0.95], title: 'fan test' });
    expect(svg).toContain('<svg');
    expect(svg).toContain('fan test');
    expect(svg).toContain('90% interval');
    expect(svg).toContain('50% interval');
    expect(svg).toContain('median');
  });

  it('draw coverage by step against the nominal level', async () => {
    const pts = [0, 1].flatMap((step) =>
      [0, 1, 2, 3].map((i) => ({ timestamp: day(i), step, actual: step === 0 ? 0.5 : 5, quantiles: [0, 1] })),
    );
    const svg = await coverageChart(probabilisticMetricsPerStep(pts, { levels: [0.1, 0.9], horizon: 2 }));
    expect(svg).toContain('80% interval');
    expect(svg).toContain('nominal');
  });

  it('count exceedances in the timeline title', async () => {
    const svg = await exceedanceChart(
      { timestamps: [0, 1, 2, 3].map(day), returns: [0.5, -3, 1, -2.5], valueAtRisk: [-2, -2, -2, -2] },
      { level: 0.05, model: 'garch-t' },
    );
    expect(svg).toContain('5% VaR (garch-t): 2 exceedances in 4 (0.2 expected)');
  });
});
