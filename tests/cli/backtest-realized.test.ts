import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliAsync } from '../helpers/cli.js';
import { simulateSvJumps, type SvJumpPath } from '../helpers/intraday-sim.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-realized-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * 30-minute bars of a simulated path as a CSV (stamped at each bar's end); prices after `poisonFrom` (the bar ending
 * at it closes the day before) are 1e9, 2e9 or 3e9, so those days' measures are huge.
 */
function barsCsv(path: SvJumpPath, name: string, poisonFrom = Infinity): string {
  const lines = ['date,close'];
  path.timestamps.forEach((t, k) => {
    lines.push(
      `${new Date(t).toISOString()},${t > poisonFrom ? 1e9 * (1 + (k % 3)) : Math.exp(path.logPrice[k]).toFixed(6)}`,
    );
  });
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const path = simulateSvJumps({ seed: 11, days: 240, steps: 48 });
const bars = barsCsv(path, 'bars.csv');
const run = (csv: string, ...rest: string[]) =>
  cliAsync('backtest', '--csv', csv, '--realized', 'rv', '--stamp', 'end', '--test-size', '40', ...rest);

type Model = {
  metrics: Record<string, number | null>;
  dieboldMariano: { benchmark: string } | null;
  points: Array<{ timestamp: string; predicted: number }>;
};

describe('stockcast backtest --realized', () => {
  it('intraday bars to daily rv: the HAR family with qlike and mseLog in JSON, tested against har', async () => {
    const r = await run(bars, '--models', 'naive,har,har-log,har-j,shar,harq,ewma', '--json');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      target: string;
      benchmark: string;
      models: Record<string, Model>;
      data: { rows: number };
    };
    expect(doc.target).toBe('rv');
    // 240 days of bars: 240 days (the last bar of a day is stamped 00:00 of the next and belongs to its day).
    expect(doc.data.rows).toBe(240);
    expect(doc.benchmark).toBe('har');
    for (const [name, m] of Object.entries(doc.models)) {
      expect(m.metrics.qlike, name).toBeGreaterThan(0);
      expect(m.metrics.mseLog, name).toBeGreaterThan(0);
      // rv is a daily variance of decimal returns: about 1e-4 here (1% a day), never an annualized percent.
      for (const p of m.points) expect(p.predicted, name).toBeLessThan(0.01);
      if (name !== 'har') expect(m.dieboldMariano?.benchmark, name).toBe('har');
    }
    expect(doc.models.har.dieboldMariano).toBeNull();
  });

  it('prints QLIKE and log MSE beside the other metrics, and refuses garch on a realized measure', async () => {
    const r = await run(bars, '--models', 'naive,har', '--test-loss', 'qlike');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/QLIKE\s+mseLog/);
    expect(r.stdout).toMatch(/Diebold-Mariano against har on qlike/);
    const g = await run(bars, '--models', 'garch');
    expect(g.code).not.toBe(0);
    expect(g.stderr).toMatch(/garch is fitted on daily returns: the variance column "rv" has no returns beside it/);
  });

  it('reads no bar at or after an origin day: bars poisoned from the first test day leave its forecasts', async () => {
    const days = 240;
    const firstOrigin = Date.UTC(2024, 0, 1) + (days - 40) * 86_400_000;
    const poisoned = barsCsv(path, 'poisoned.csv', firstOrigin);
    const [clean, dirty] = await Promise.all([
      run(bars, '--models', 'naive,har,shar,har-log', '--json'),
      run(poisoned, '--models', 'naive,har,shar,har-log', '--json'),
    ]);
    expect(dirty.code, dirty.stderr).toBe(0);
    const [a, b] = [JSON.parse(clean.stdout), JSON.parse(dirty.stdout)] as Array<{ models: Record<string, Model> }>;
    for (const name of ['naive', 'har', 'shar', 'har-log']) {
      expect(b.models[name].points[0].timestamp).toBe(new Date(firstOrigin).toISOString());
      expect(b.models[name].points[0].predicted, name).toBe(a.models[name].points[0].predicted);
      expect(b.models[name].points[1].predicted, name).not.toBe(a.models[name].points[1].predicted);
    }
  });

  it('refuses day flags without --realized, and --realized with --target-transform', async () => {
    const a = await cliAsync('backtest', '--csv', bars, '--session', '24h');
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--session: only with --realized/);
    const b = await run(bars, '--target-transform', 'rv:5');
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--realized and --target-transform both make the target/);
  });

  it('a panel of intraday bars (long and wide CSV): each symbol its own daily rv, har the benchmark', async () => {
    const paths = [21, 22].map((seed) => simulateSvJumps({ seed, days: 120, steps: 24 }));
    const iso = (t: number) => new Date(t).toISOString();
    const long = ['symbol,date,close'];
    paths.forEach((p, i) => p.timestamps.forEach((t, k) => long.push(`S${i},${iso(t)},${Math.exp(p.logPrice[k])}`)));
    const wide = [
      'date,S0,S1',
      ...Array.from(paths[0].timestamps, (t, k) => `${iso(t)},${paths.map((p) => Math.exp(p.logPrice[k])).join(',')}`),
    ];
    const [longFile, wideFile] = [join(dir, 'panel-bars.csv'), join(dir, 'panel-wide.csv')];
    writeFileSync(longFile, `${long.join('\n')}\n`);
    writeFileSync(wideFile, `${wide.join('\n')}\n`);
    const rest = ['--realized', 'rv', '--stamp', 'end', '--models', 'naive,har,ewma', '--test-size', '30', '--json'];
    const [r, w] = await Promise.all([
      cliAsync('backtest', '--csv', longFile, '--symbol-column', 'symbol', ...rest),
      cliAsync('backtest', '--csv', wideFile, '--wide', ...rest),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(w.code, w.stderr).toBe(0);
    type Doc = { benchmark: string; models: Record<string, { metrics: Record<string, number> }> };
    const [doc, wdoc] = [JSON.parse(r.stdout) as Doc, JSON.parse(w.stdout) as Doc];
    expect(doc.benchmark).toBe('har');
    for (const [name, m] of Object.entries(doc.models)) {
      expect(m.metrics.qlike, name).toBeGreaterThan(0);
      expect(m.metrics.count, name).toBe(60);
      // The same bars in a wide file: the same measures and forecasts.
      expect(wdoc.models[name].metrics.qlike, name).toBeCloseTo(m.metrics.qlike, 10);
    }
  });

  it('a panel of realized measures: --target rv --target-kind variance, HAR models, QLIKE in the table', async () => {
    const [header, ...rows] = readFileSync('fixtures/realized/daily-measures.csv', 'utf8').trim().split('\n');
    const long = [`symbol,${header}`, ...rows.map((r) => `A,${r}`), ...rows.slice(100).map((r) => `B,${r}`)];
    const file = join(dir, 'panel.csv');
    writeFileSync(file, `${long.join('\n')}\n`);
    const args = [
      'backtest',
      '--csv',
      file,
      '--symbol-column',
      'symbol',
      '--target',
      'rv',
      '--target-kind',
      'variance',
    ];
    const r = await cliAsync(
      ...args,
      '--models',
      'naive,har,shar',
      '--test-size',
      '30',
      '--rank-by',
      'qlike',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      benchmark: string;
      models: Record<string, { rank: number; metrics: Record<string, number> }>;
    };
    expect(doc.benchmark).toBe('har');
    const ranked = Object.entries(doc.models).sort((a, b) => a[1].rank - b[1].rank);
    const qlikes = ranked.map(([, m]) => m.metrics.qlike);
    expect(qlikes).toEqual([...qlikes].sort((a, b) => a - b));
    const text = await cliAsync(...args, '--models', 'naive,har', '--test-size', '30');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/TheilU\s+QLIKE\s+mseLog/);
  });

  it("stockcast forecast --realized rv: the volatility model's forecast of the next days' realized variance", async () => {
    const r = await cliAsync(
      'forecast',
      '--csv',
      bars,
      '--realized',
      'rv',
      '--stamp',
      'end',
      '--epochs',
      '2',
      '--units',
      '8',
      '--horizon',
      '3',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      target: string;
      targetKind: string;
      model: string;
      training: { base: string; candidates: Record<string, number>; defaults: Array<{ option: string }> };
      forecast: Array<{ date: string; value: number }>;
    };
    expect([doc.target, doc.targetKind, doc.model]).toEqual(['rv', 'variance', 'lstm']);
    expect(doc.forecast).toHaveLength(3);
    // A daily variance of decimal returns: positive, about 1e-4 here.
    for (const f of doc.forecast) expect(f.value > 0 && f.value < 0.01).toBe(true);
    // The volatility defaults on a realized column: the base chosen among HAR, HAR on logs and EWMA by QLIKE.
    expect(Object.keys(doc.training.candidates)).toEqual(['har', 'har-log', 'ewma']);
    const best = Object.entries(doc.training.candidates).sort((a, b) => a[1] - b[1])[0][0];
    expect(doc.training.base).toBe(best);
    const given = doc.training.defaults.map((d) => d.option);
    expect(given).not.toContain('epochs');
    expect(given).not.toContain('units');
    // --save writes the fitted model; --model forecasts with it, no training, the same numbers on the same bars.
    const saved = join(dir, 'rv-model');
    const day = ['--csv', bars, '--realized', 'rv', '--stamp', 'end'];
    const saving = await cliAsync(
      'forecast',
      ...day,
      '--epochs',
      '2',
      '--units',
      '8',
      '--horizon',
      '3',
      '--save',
      saved,
    );
    expect(saving.code, saving.stderr).toBe(0);
    expect(saving.stdout).toMatch(/model saved to /);
    const fitted = await cliAsync('forecast', ...day, '--epochs', '2', '--units', '8', '--horizon', '3', '--json');
    const loaded = await cliAsync('forecast', ...day, '--model', saved, '--horizon-mean', '--json');
    expect(loaded.code, loaded.stderr).toBe(0);
    const a = JSON.parse(fitted.stdout) as { forecast: unknown[] };
    const b = JSON.parse(loaded.stdout) as { forecast: Array<{ value: number }>; mean: number; model: string };
    expect(b.forecast).toEqual(a.forecast);
    expect(b.model).toBe('lstm');
    expect(b.mean).toBeCloseTo(b.forecast.reduce((s, p) => s + p.value, 0) / 3, 15);
    const retrain = await cliAsync('forecast', ...day, '--model', saved, '--epochs', '3');
    expect(retrain.code).toBe(2);
    expect(retrain.stderr).toMatch(/--epochs would be ignored/);
    const optimizer = await cliAsync(
      'forecast',
      ...day,
      '--model',
      saved,
      '--learning-rate',
      '0.1',
      '--engine',
      'fused',
    );
    expect(optimizer.code).toBe(2);
    expect(optimizer.stderr).toMatch(/--learning-rate, --engine would be ignored/);
    const other = await cliAsync('forecast', ...day, '--model', saved, '--realized', 'bv');
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/--realized bv contradicts the saved model, which forecasts "rv"/);
  });

  it('stockcast forecast --realized rv on a panel of intraday bars: one global model, a forecast per symbol', async () => {
    const paths = [31, 32].map((seed) => simulateSvJumps({ seed, days: 200, steps: 24 }));
    const iso = (t: number) => new Date(t).toISOString();
    const long = ['symbol,date,close'];
    paths.forEach((p, i) => p.timestamps.forEach((t, k) => long.push(`S${i},${iso(t)},${Math.exp(p.logPrice[k])}`)));
    const file = join(dir, 'panel-forecast-bars.csv');
    writeFileSync(file, `${long.join('\n')}\n`);
    const args = ['--csv', file, '--symbol-column', 'symbol', '--realized', 'rv', '--stamp', 'end', '--horizon', '2'];
    const r = await cliAsync('forecast', ...args, '--epochs', '2', '--units', '8', '--json');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      target: string;
      symbols: string[];
      training: { base: string };
      bySymbol: Record<string, { origin: string; forecast: Array<{ date: string; value: number }> }>;
    };
    expect(doc.target).toBe('rv');
    expect(Object.keys(doc.bySymbol).sort()).toEqual(['S0', 'S1']);
    for (const s of Object.values(doc.bySymbol)) {
      expect(s.forecast).toHaveLength(2);
      expect(s.forecast.every((p) => p.value > 0 && p.value < 0.01)).toBe(true);
      expect(s.forecast[0].date > s.origin.slice(0, 10)).toBe(true);
    }
    expect(['har', 'har-log', 'ewma']).toContain(doc.training.base);
    const table = await cliAsync('forecast', ...args, '--epochs', '2', '--units', '8');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/symbol\s+date\s+rv/);
  });
  it('--horizon-mean: the mean of the next --horizon days as the target, in the backtest and the forecast', async () => {
    const r = await run(
      bars,
      '--models',
      'naive,har,ewma',
      '--horizon',
      '5',
      '--step',
      '1',
      '--horizon-mean',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      horizon: number;
      horizonMean: boolean;
      models: Record<string, Model & { folds: number; perStep: unknown[] }>;
    };
    expect([doc.horizon, doc.horizonMean]).toEqual([5, true]);
    for (const [name, m] of Object.entries(doc.models)) {
      // One point per origin, the mean of its 5 days; 40 test days give 36 origins of 5 days.
      expect(m.points, name).toHaveLength(m.folds);
      expect(m.folds).toBe(36);
      expect(m.perStep).toHaveLength(1);
      if (m.dieboldMariano) expect(m.dieboldMariano).not.toHaveProperty('perStep');
    }
    const steps = await run(bars, '--models', 'naive,har', '--horizon', '5', '--step', '1', '--json');
    const each = JSON.parse(steps.stdout) as { horizonMean: boolean; models: Record<string, Model> };
    expect(each.horizonMean).toBe(false);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const first = each.models.har.points.slice(0, 5).map((p) => p.predicted);
    expect(doc.models.har.points[0].predicted).toBeCloseTo(mean(first), 15);
    const table = await run(bars, '--models', 'naive,har', '--horizon', '5', '--horizon-mean');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/horizon 5 \(mean\)/);
    expect(table.stdout).toMatch(/on the mean of the 5 steps/);
    const ahead = await cliAsync(
      ...['forecast', '--csv', bars, '--realized', 'rv', '--stamp', 'end', '--horizon', '3', '--horizon-mean'],
      ...['--epochs', '2', '--units', '8', '--json'],
    );
    expect(ahead.code, ahead.stderr).toBe(0);
    const f = JSON.parse(ahead.stdout) as { forecast: Array<{ value: number }>; mean: number };
    expect(f.mean).toBeCloseTo(mean(f.forecast.map((p) => p.value)), 15);
    const refused = await cliAsync('forecast', '--csv', bars, '--horizon-mean');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--horizon-mean: only with --realized/);
  });
});
