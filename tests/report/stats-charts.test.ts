import { describe, expect, it } from 'vitest';
import { coverageByLevel, coverageByLevelChart, pit, pitChart, randomBaselineChart } from '../../src/index.js';

describe('skill-or-luck charts', () => {
  it('the random-baseline histogram marks the result and gives its percentile', async () => {
    const svg = await randomBaselineChart({ count: 5, value: 1.2, percentile: 90, values: [-1, -0.5, 0, 0.4, 1.1] });
    expect(svg).toContain('<svg');
    expect(svg).toContain('Sharpe ratio among 5 random signals: percentile 90.0');
    expect(svg).toContain('#d62728');
    const ir = await randomBaselineChart(
      { count: 3, value: 0.1, percentile: 50, values: [0, 0.1, 0.2] },
      { label: 'information ratio', title: 'IR among random portfolios' },
    );
    expect(ir).toContain('IR among random portfolios');
    expect(ir).toContain('information ratio');
  });

  it('the PIT histogram draws densities with the uniform line; coverage by level draws the diagonal', async () => {
    const points = [-1.5, -0.2, 0.3, 1.2, 2.5, 0.1].map((actual) => ({ actual, quantiles: [-1, 0, 1] }));
    const h = pit(points, [0.1, 0.5, 0.9]);
    const svg = await pitChart(h);
    expect(svg).toContain(`PIT histogram of 6 forecasts (uniformity p-value ${h.chiSquare.pValue.toFixed(4)})`);
    expect(svg).toContain('density (1 = calibrated)');
    const c = await coverageByLevelChart(coverageByLevel(points, [0.1, 0.5, 0.9]));
    expect(c).toContain('Coverage by quantile level');
    expect(c).toContain('nominal');
  });
});
