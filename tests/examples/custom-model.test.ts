import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/index.js';
import { cli } from '../helpers/cli.js';

/** The seasonal drift of examples/models/seasonal-drift.mjs, computed directly: its RMSE over the backtest's points. */
async function directRmse(m: number, horizon: number, testSize: number): Promise<number> {
  const y = (await readCsv('fixtures/sp500-2000.csv')).columnRef('close');
  const n = y.length;
  let sq = 0;
  let count = 0;
  for (let t = n - testSize; t + horizon <= n; t += horizon) {
    const drift = (y[t - 1] - y[t - 1 - m]) / m;
    for (let h = 0; h < horizon; h++) {
      sq += (y[t + h] - (y[t - m + (h % m)] + drift * (h + 1))) ** 2;
      count++;
    }
  }
  return Math.sqrt(sq / count);
}

describe('examples/custom-model.ts: a user model next to the built-ins', () => {
  it('through the API (the example, on worker threads): its RMSE equals the direct computation', async () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'examples/custom-model.ts'], {
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(out).toMatch(/registered: seasonal-drift \(user; by module yes\)/);
    const row = /^\d\s+seasonal-drift:5\s+([\d.]+)\s+([\d.]+)$/m.exec(out.split('stocks')[0]);
    expect(row).not.toBeNull();
    expect(Number(row![1])).toBeCloseTo(await directRmse(5, 5, 250), 2);
    // The panel part ranks the same four models.
    expect(out.split('stocks')[1].match(/^\d\s+(naive|drift|seasonal:5|seasonal-drift:5)\s/gm)).toHaveLength(4);
  });

  it('through the CLI with --module: the same metrics in JSON', async () => {
    const r = cli(
      'backtest',
      '--csv',
      'fixtures/sp500-2000.csv',
      '--module',
      'examples/models/seasonal-drift.mjs',
      '--models',
      'naive,seasonal-drift:5',
      '--horizon',
      '5',
      '--test-size',
      '250',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { models: Record<string, { metrics: { rmse: number; count: number } }> };
    expect(json.models['seasonal-drift:5'].metrics.count).toBe(250);
    expect(json.models['seasonal-drift:5'].metrics.rmse).toBeCloseTo(await directRmse(5, 5, 250), 9);
    const missing = cli('backtest', '--csv', 'fixtures/sp500-2000.csv', '--models', 'naive,seasonal-drift:5');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--models: unknown model "seasonal-drift:5": expected one of naive, drift/);
  });
});
