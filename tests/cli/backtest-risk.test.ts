import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-cli-risk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = ['backtest', '--csv', 'fixtures/sp500-2000.csv'];

describe('stockcast backtest on volatility and return targets', () => {
  it('--target-transform rv:5 with naive, ewma, har, garch: JSON with the transform and per-model metrics', () => {
    const r = cli(
      ...base,
      '--target-transform',
      'rv:5',
      '--models',
      'naive,ewma,har,garch',
      '--horizon',
      '5',
      '--test-size',
      '100',
      '--refit',
      '5',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.target).toBe('rv5');
    expect(Object.keys(doc.models).sort()).toEqual(['ewma', 'garch', 'har', 'naive']);
    expect(doc.models.garch.transform).toEqual({ spec: 'rv:5', dropped: 5, periodsPerYear: 252 });
    expect(doc.models.naive.theilU).toBeCloseTo(1, 10);
    expect(doc.models.har.points).toHaveLength(100);
  });

  it('--target-transform logret --quantiles: probabilistic metrics and VaR tests per model, and a report with the risk charts', () => {
    const report = join(dir, 'var.html');
    const r = cli(
      ...base,
      '--target-transform',
      'logret',
      '--quantiles',
      '0.01,0.05,0.5',
      '--models',
      'naive,garch-t,lstm',
      '--test-size',
      '60',
      '--refit',
      '30',
      '--lookback',
      '10',
      '--epochs',
      '2',
      '--units',
      '8',
      '--calibration',
      '0.2',
      '--json',
      '--report',
      report,
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    for (const m of ['garch-t', 'lstm']) {
      expect(doc.models[m].quantiles.levels).toEqual([0.01, 0.05, 0.5]);
      // These levels leave the upper tail out: they support no CRPS, so the key is absent (not null).
      expect(doc.models[m].quantiles.metrics).not.toHaveProperty('crps');
      expect(typeof doc.models[m].quantiles.metrics.meanPinball).toBe('number');
      expect(doc.models[m].risk.map((x: { level: number }) => x.level)).toEqual([0.01, 0.05]);
      expect(doc.models[m].risk[0]).toMatchObject({
        observations: 60,
        kupiec: { df: 1 },
        independence: { df: 1 },
        conditionalCoverage: { df: 2 },
      });
      expect(doc.models[m].points[0].quantiles).toHaveLength(3);
    }
    expect(doc.models.naive.quantiles).toBeUndefined();
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/VaR backtests/);
    expect(html).toMatch(/exceedances in 60/);
    expect(html).toMatch(/Probabilistic metrics/);
    expect(html).not.toMatch(/CRPS/);
  });

  it('the table output lists the VaR tests, and bad specs exit 2', () => {
    const r = cli(
      ...base,
      '--target-transform',
      'logret',
      '--quantiles',
      '0.05,0.5',
      '--models',
      'ewma',
      '--test-size',
      '50',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/VaR backtests/);
    expect(r.stdout).not.toMatch(/CRPS/);
    const central = cli(
      ...base,
      '--target-transform',
      'logret',
      '--quantiles',
      '0.05,0.5,0.95',
      '--models',
      'ewma',
      '--test-size',
      '50',
      '--json',
    );
    expect(typeof JSON.parse(central.stdout).models.ewma.quantiles.metrics.crps).toBe('number');
    expect(
      cli(
        ...base,
        '--target-transform',
        'logret',
        '--quantiles',
        '0.05,0.5,0.95',
        '--models',
        'ewma',
        '--test-size',
        '50',
      ).stdout,
    ).toMatch(/model\s+CRPS\s+pinball/);
    const bad = cli(...base, '--target-transform', 'vol:5', '--models', 'naive', '--test-size', '50');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown target transform "vol:5"/);
    const q = cli(...base, '--quantiles', '0.5,1.5', '--models', 'naive');
    expect(q.code).toBe(2);
    expect(q.stderr).toMatch(/--quantiles/);
  });
});

describe('stockcast backtest with quantiles: calibration', () => {
  it('JSON has pit and coverageByLevel; the report draws the PIT histogram and coverage by level', () => {
    const report = join(dir, 'q.html');
    const levels = [0.05, 0.25, 0.5, 0.75, 0.95];
    const run = ['--quantiles', levels.join(','), '--test-size', '100', '--refit', '50', '--json', '--report', report];
    const r = cli(...base, '--models', 'garch-t', '--target-transform', 'logret', ...run);
    expect(r.code).toBe(0);
    const q = JSON.parse(r.stdout).models['garch-t'].quantiles;
    expect(q.pit.count).toBe(100);
    expect(q.pit.bins).toHaveLength(6);
    expect(q.pit.bins.reduce((s: number, b: { count: number }) => s + b.count, 0)).toBe(100);
    expect(q.coverageByLevel.map((c: { nominal: number }) => c.nominal)).toEqual(levels);
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/garch-t: PIT histogram of 100 forecasts \(uniformity p-value/);
    expect(html).toContain('garch-t: coverage by quantile level');
  });
});
