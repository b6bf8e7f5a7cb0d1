import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-risk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stockcast backtest with quantiles: calibration', () => {
  it('JSON has pit and coverageByLevel; the report draws the PIT histogram and coverage by level', () => {
    const report = join(dir, 'q.html');
    const levels = [0.05, 0.25, 0.5, 0.75, 0.95];
    const source = ['--csv', 'fixtures/sp500-2000.csv', '--models', 'garch-t', '--target-transform', 'logret'];
    const run = ['--quantiles', levels.join(','), '--test-size', '100', '--refit', '50', '--json', '--report', report];
    const r = cli('backtest', ...source, ...run);
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
