import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsv, simulateStrategy, walkForward } from '../../src/index.js';
import { strategyNotes, strategyRows } from '../../src/cli/strategy-output.js';
import { cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-strategy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('strategy output', () => {
  it('rows and notes carry the standard error, PSR, DSR or why it is absent, and the random percentile', async () => {
    const sp = await readCsv('fixtures/sp500-2000.csv');
    const r = await walkForward(sp, 'ma:5', { target: 'close', testSize: 120 });
    const sim = simulateStrategy(r, 'daily', { randomBaselines: 100 });
    const [strategy, hold] = strategyRows(sim);
    expect(strategy.slice(4, 10)).toEqual([
      sim.strategy.sharpe,
      sim.strategy.sharpeStandardError,
      sim.strategy.probabilisticSharpe,
      '',
      sim.strategy.randomSignals!.percentile,
      sim.strategy.maxDrawdown,
    ]);
    expect(hold[7]).toBe('');
    const notes = strategyNotes(sim);
    expect(notes[1]).toMatch(/^No deflated Sharpe ratio: give the number of trials/);
    expect(notes[2]).toMatch(/percentile \d+\.\d of 100 random signals with the same exposure and turnover/);
    const deflated = strategyNotes(
      simulateStrategy(r, 'daily', { trials: 10, trialSharpeVariance: 0.002, randomBaselines: 0 }),
    );
    expect(deflated).toHaveLength(2);
    expect(deflated[1]).toMatch(/^Deflated Sharpe ratio \d\.\d\d/);
  });

  it('stockcast backtest --strategy: JSON keys beside sharpe, and the report shows the random-signal histogram', () => {
    const report = join(dir, 'strategy.html');
    const r = cli(
      'backtest',
      '--csv',
      'fixtures/sp500-2000.csv',
      '--target',
      'close',
      '--models',
      'naive,ma:5',
      '--test-size',
      '120',
      '--strategy',
      'long-flat',
      '--json',
      '--report',
      report,
    );
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout).strategy.strategy;
    for (const key of ['sharpe', 'sharpeStandardError', 'probabilisticSharpe', 'deflatedSharpeNote'])
      expect(s, key).toHaveProperty(key);
    expect(s.randomSignals.count).toBe(1000);
    expect(s.randomSignals.percentile).toBeGreaterThanOrEqual(0);
    expect(s.equity).toBeUndefined();
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/Sharpe ratio among 1000 random signals \(percentile \d+\.\d\)/);
    expect(html).toMatch(/No deflated Sharpe ratio/);
    expect(html).toContain('Sharpe s.e.');
  });
});
