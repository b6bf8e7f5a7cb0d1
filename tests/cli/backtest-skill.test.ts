import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dieboldMariano, dieboldMarianoPanel } from '../../src/index.js';
import { cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-cli-skill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = ['backtest', '--csv', 'fixtures/sp500-2000.csv', '--target', 'close'];
const panel = ['backtest', '--csv', 'fixtures/stocks.csv', '--symbol-column', 'symbol', '--target', 'price'];

interface Point {
  symbol?: string;
  timestamp: string;
  step: number;
  actual: number;
  predicted: number;
}
interface Dm {
  benchmark: string;
  loss: string;
  statistic: number;
  pValue: number;
  perStep?: Array<{ statistic: number; pValue: number }>;
}
interface ModelJson {
  dieboldMariano: Dm | null;
  verdict: string | null;
  points: Point[];
  bySymbol: Record<string, { dieboldMariano: Dm | null; points: Point[] }>;
  rankForecast?: {
    rps: number;
    uniformRps: number;
    informationRatio: number;
    randomPortfolios: { percentile: number };
  };
}

const verdictOf = (t: Dm) => (t.pValue < 0.05 ? (t.statistic < 0 ? 'beats' : 'loses to') : 'ties');
const errors = (ps: Point[], step = 0) => ps.filter((p) => p.step === step).map((p) => p.actual - p.predicted);

describe('stockcast backtest: skill or luck', () => {
  it('--json: each model tested against the benchmark (added when not listed), a verdict only below p 0.05', () => {
    const r = cli(
      ...base,
      '--models',
      'drift,ma:2,seasonal:5',
      '--test-size',
      '120',
      '--resamples',
      '200',
      '--strategy',
      'long-flat',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      benchmark: string;
      models: Record<string, ModelJson>;
      tests: Record<string, unknown>;
      findings: string[];
      strategy: { strategy: Record<string, number> };
    };
    expect(doc.benchmark).toBe('naive');
    expect(Object.keys(doc.models).sort()).toEqual(['drift', 'ma:2', 'naive', 'seasonal:5']);
    expect(doc.models.naive.dieboldMariano).toBeNull();
    for (const m of ['drift', 'ma:2', 'seasonal:5']) {
      const dm = doc.models[m].dieboldMariano!;
      expect(Object.keys(dm)).toEqual(['benchmark', 'loss', 'statistic', 'pValue']);
      const t = dieboldMariano(errors(doc.models[m].points), errors(doc.models.naive.points));
      expect(dm.statistic).toBeCloseTo(t.statistic, 10);
      expect(dm.pValue).toBeCloseTo(t.pValue, 10);
      expect(doc.models[m].verdict).toBe(verdictOf(dm));
    }
    expect(doc.models['ma:2'].verdict).toBe('ties');
    expect(doc.findings.find((f) => f.startsWith('ma:2'))).toMatch(/^ma:2 ties the naive forecast/);
    expect(doc.tests).toMatchObject({
      benchmark: 'naive',
      metric: 'rmse',
      periods: 120,
      resamples: 200,
      seed: 42,
      blockLength: 5,
    });
    expect(doc.tests.spa).toMatchObject({ best: expect.any(String), pValue: expect.any(Number) });
    // The best model's strategy was chosen among the four compared: its DSR allows for them.
    expect(doc.strategy.strategy.deflatedSharpe).toBeGreaterThanOrEqual(0);
    expect(doc.strategy.strategy.deflatedSharpe).toBeLessThanOrEqual(1);
  });

  it('the table, notes and report; --benchmark picks the model; one test per step at horizons above 1', () => {
    const report = join(dir, 'skill.html');
    const r = cli(
      ...base,
      '--models',
      'naive,ma:2',
      '--benchmark',
      'drift',
      '--horizon',
      '3',
      '--step',
      '1',
      '--test-size',
      '60',
      '--resamples',
      '100',
      '--block-length',
      '4',
      '--report',
      report,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^rank\s+model\s+MAE\s+RMSE\s+MAPE%\s+sMAPE%\s+MASE\s+dir%\s+TheilU\s+DM stat\s+DM p\s+verdict$/m,
    );
    expect(r.stdout).toMatch(/^\d\s+drift\s.*\sbenchmark$/m);
    expect(r.stdout).toMatch(
      /\(Diebold-Mariano against drift on mse at step 3; verdicts from squared error, p < 0\.05\)/,
    );
    expect(r.stdout).toMatch(/^ma:2 (beats|loses to|ties) the benchmark drift/m);
    expect(r.stdout).toMatch(
      /Hansen's SPA p-value [\d.e-]+ \(bounds .*White's Reality Check p-value .*mean block length 4\)/,
    );
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/Tests across models against drift \(rmse loss, 58 origins\)/);
    expect(html).toMatch(/Hansen&#39;s SPA/);
    const j = cli(
      ...base,
      '--models',
      'naive,ma:2',
      '--benchmark',
      'drift',
      '--horizon',
      '3',
      '--step',
      '1',
      '--test-size',
      '60',
      '--resamples',
      '100',
      '--json',
    );
    const doc = JSON.parse(j.stdout) as { models: Record<string, ModelJson> };
    const dm = doc.models['ma:2'].dieboldMariano!;
    expect(dm.perStep).toHaveLength(3);
    expect(dm.statistic).toBe(dm.perStep![2].statistic);
    const t = dieboldMariano(errors(doc.models['ma:2'].points, 2), errors(doc.models.drift.points, 2), { horizon: 3 });
    expect(dm.statistic).toBeCloseTo(t.statistic, 10);
  });

  it('refuses what it cannot do: a numeric benchmark, QLIKE on prices, rank forecasts of one series', () => {
    const number = cli(...base, '--models', 'drift', '--benchmark', '5', '--test-size', '20');
    expect(number.code).toBe(2);
    expect(number.stderr).toMatch(/--benchmark names a model \(naive, garch, \.\.\.\): received 5/);
    const qlike = cli(...base, '--models', 'drift', '--test-loss', 'qlike', '--test-size', '20');
    expect(qlike.code).not.toBe(0);
    expect(qlike.stderr).toMatch(/QLIKE compares variance forecasts: the target is a price/);
    const one = cli(...base, '--models', 'drift', '--rank-forecast', 'quintiles', '--test-size', '20');
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/--rank-forecast ranks the symbols of a panel/);
  });

  it('panels: pooled and per-symbol tests, the tests across models, and --rank-forecast quintiles', () => {
    const report = join(dir, 'panel.html');
    const r = cli(
      ...panel,
      '--models',
      'drift,mean',
      '--test-size',
      '12',
      '--resamples',
      '100',
      '--rank-forecast',
      'quintiles',
      '--json',
      '--report',
      report,
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      benchmark: string;
      tests: { spa: unknown };
      models: Record<string, ModelJson>;
    };
    expect(doc.benchmark).toBe('naive');
    expect(doc.tests.spa).not.toBeNull();
    const naive = new Map(doc.models.naive.points.map((p) => [`${p.symbol}@${p.timestamp}`, p]));
    const drift = doc.models.drift;
    const d = drift.points.map((p) => {
      const q = naive.get(`${p.symbol}@${p.timestamp}`)!;
      return {
        timestamp: Date.parse(p.timestamp),
        differential: (p.actual - p.predicted) ** 2 - (q.actual - q.predicted) ** 2,
      };
    });
    expect(drift.dieboldMariano!.statistic).toBeCloseTo(dieboldMarianoPanel(d).statistic, 10);
    expect(drift.verdict).toBe(verdictOf(drift.dieboldMariano!));
    const msft = dieboldMariano(errors(drift.bySymbol.MSFT.points), errors(doc.models.naive.bySymbol.MSFT.points));
    expect(drift.bySymbol.MSFT.dieboldMariano!.statistic).toBeCloseTo(msft.statistic, 10);
    for (const m of ['drift', 'mean', 'naive']) {
      const rf = doc.models[m].rankForecast!;
      expect(Object.keys(rf)).toEqual(expect.arrayContaining(['rps', 'uniformRps', 'informationRatio']));
      expect(rf.uniformRps).toBeCloseTo(0.16, 12);
      expect(rf.randomPortfolios.percentile).toBeGreaterThanOrEqual(0);
    }
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/Rank forecasts \(M6 quintiles; RPS lower is better\)/);
    expect(html).toMatch(/rank portfolio: information ratio among 1000 random portfolios \(percentile [\d.]+\)/);
    const text = cli(
      ...panel,
      '--models',
      'drift',
      '--test-size',
      '12',
      '--resamples',
      '100',
      '--rank-forecast',
      'quintiles',
    );
    expect(text.stdout).toMatch(/^rank forecasts \(M6 quintiles\):$/m);
    expect(text.stdout).toMatch(
      /^drift rank forecasts \(M6 quintiles, \d+ dates\): RPS [\d.]+, (better|no better) than the uniform 0\.1600/m,
    );
    expect(text.stdout).toMatch(/^drift (beats|loses to|ties) the naive forecast/m);
  });
});

describe('stockcast sweep: skill or luck', () => {
  it('no strategy at horizon 2: no DSR, and the output says why', () => {
    const r = cli(
      'sweep',
      '--csv',
      'fixtures/sp500-2000.csv',
      '--target',
      'close',
      '--models',
      'lstm',
      '--space',
      'units=2,3',
      '--search',
      'grid',
      '--horizon',
      '2',
      '--test-size',
      '20',
      '--validation-size',
      '20',
      '--folds',
      '1',
      '--epochs',
      '1',
      '--lookback',
      '5',
      '--concurrency',
      '1',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.best.strategy).toBeUndefined();
    expect(doc.best.strategyNote).toMatch(/^no strategy simulation: strategies trade one-step forecasts at every row/);
    expect(doc.best.dieboldMariano.perStep).toHaveLength(2);
  });
});
