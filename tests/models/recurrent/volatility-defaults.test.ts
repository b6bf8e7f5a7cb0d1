import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forecastAhead, readCsv, Series, walkForward, walkForwardPanel } from '../../../src/index.js';
import type { ModelTask } from '../../../src/models/contract.js';
import {
  hybridOptions,
  planRecurrent,
  VOLATILITY_DEFAULTS,
} from '../../../src/models/recurrent/volatility-defaults.js';
import { VolatilityHybrid } from '../../../src/models/recurrent/hybrid.js';
import { syntheticPanel } from '../../helpers/panels.js';
import { cli } from '../../helpers/cli.js';

const derived = {
  returns: new Float64Array(10),
  transform: { kind: 'volatility', estimator: 'close-to-close', span: 5 },
  periodsPerYear: 252,
} as unknown as ModelTask['derived'];
const task = (targetKind: ModelTask['targetKind'], withPrices = true): ModelTask => ({
  target: 'y',
  horizon: 1,
  targetKind,
  ...(withPrices && targetKind !== 'price' ? { derived } : {}),
});

describe('the recurrent defaults per target kind', () => {
  it('prices and returns keep the plain network; a volatility target gets the hybrid on the baselines with the volatility defaults', () => {
    expect(planRecurrent({}, task('price'), undefined)).toEqual({ kind: 'plain', applied: [] });
    expect(planRecurrent({}, task('return'), undefined).kind).toBe('plain');
    const plan = planRecurrent({}, task('volatility'), undefined);
    expect(plan.kind).toBe('hybrid');
    expect(plan.bases!.map((b) => b.spec)).toEqual(['garch', 'ewma', 'har']);
    expect(Object.fromEntries(plan.applied.map((a) => [a.option, a.value]))).toEqual({
      base: 'garch,ewma,har',
      ...VOLATILITY_DEFAULTS,
    });
    // A realized measure given as a column (no prices): GARCH needs returns, so HAR, HAR on logs and EWMA.
    const realized = planRecurrent({}, task('variance', false), undefined);
    expect(realized.kind).toBe('hybrid');
    expect(realized.bases!.map((b) => b.key)).toEqual(['har', 'har-log', 'ewma']);
    // A base named keeps that base alone.
    const named = planRecurrent({}, task('volatility'), realized.bases![1]);
    expect(named.bases!.map((b) => b.spec)).toEqual(['har-log']);
    expect(named.applied.map((a) => a.option)).not.toContain('base');
  });

  it('each fit keeps the candidate base with the lowest QLIKE at its training origins, the first with too few windows', async () => {
    const n = 200;
    const y = Float64Array.from({ length: n }, (_, i) => 10 + 5 * Math.sin(i / 7) + (i % 3));
    const constant = (v: number) => async (origins: number[]) => origins.map(() => [v]);
    // 'near' forecasts the next value within 2%, 'far' a constant: 'near' has the lower QLIKE wherever it is listed.
    const near = async (origins: number[]) => origins.map((t) => [y[t] * (1 + 0.02 * Math.abs(Math.sin(t)))]);
    const fit = async (to: number, bases: Array<{ spec: string; at: (o: number[]) => Promise<number[][]> }>) => {
      const h = new VolatilityHybrid(hybridOptions({ epochs: 1, seeds: 1, threads: 1 }), 'volatility', 1, 'far', false);
      await h.fit([{ key: '', rows: { y }, from: 0, to, warm: 30, bases }]);
      return h;
    };
    const h = await fit(n, [
      { spec: 'far', at: constant(10) },
      { spec: 'near', at: near },
    ]);
    expect(h.base).toBe('near');
    const q = h.training!.candidates!;
    expect(Object.keys(q)).toEqual(['far', 'near']);
    expect(q.near).toBeLessThan(q.far);
    // The score is the QLIKE of the base's variance forecasts at the training origins 30..199 (warm 30).
    let sum = 0;
    for (let t = 30; t < n; t++) {
      const s2 = y[t] ** 2;
      const f = (y[t] * (1 + 0.02 * Math.abs(Math.sin(t)))) ** 2;
      sum += s2 / f - Math.log(s2 / f) - 1;
    }
    expect(q.near).toBeCloseTo(sum / (n - 30), 5);
    expect(h.toJSON().base).toBe('near');
    h.dispose();
    // Too few windows to choose (fewer than 20): the first candidate, no scores, and the others never asked.
    let asked = false;
    const few = await fit(45, [
      { spec: 'far', at: constant(10) },
      { spec: 'near', at: async (o) => ((asked = true), near(o)) },
    ]);
    expect([few.base, few.training!.candidates, asked]).toEqual(['far', undefined, false]);
  });

  it('a candidate that cannot forecast the rows (HAR on logs on zero-variance days) is skipped, never chosen', async () => {
    // A realized variance with a day of 0 every week (a weekend's single-bar day of 24-hour FX days).
    const n = 400;
    const timestamps = Array.from({ length: n }, (_, i) => Date.UTC(2020, 0, 1) + i * 86_400_000);
    const rv = Array.from({ length: n }, (_, i) =>
      i % 7 === 6 ? 0 : 1e-4 * (1 + 0.5 * Math.sin(i / 9)) * (1 + (i % 3) / 10),
    );
    const series = Series.create({ timestamps, columns: { rv } });
    const forecaster = { epochs: 1, units: 4, seeds: 1 };
    await expect(forecastAhead(series, 'har-log', { target: 'rv', targetKind: 'variance' })).rejects.toThrow(
      /har-log needs positive values/,
    );
    const f = await forecastAhead(series, 'lstm', { target: 'rv', targetKind: 'variance', forecaster });
    const t = f.training as { base: string; candidates: Record<string, number>; skipped: Record<string, string> };
    expect(Number.isNaN(t.candidates['har-log'])).toBe(true);
    expect(t.skipped['har-log']).toMatch(/har-log needs positive values/);
    const [har, ewma] = [t.candidates.har, t.candidates.ewma];
    expect(t.base).toBe(har <= ewma ? 'har' : 'ewma');
    expect(f.values.every((v) => v > 0)).toBe(true);
  });

  it('an option the user gives always wins', () => {
    const plan = planRecurrent({ seeds: 1, epochs: 7 }, task('volatility'), undefined);
    expect(plan.applied.map((a) => a.option)).not.toContain('seeds');
    expect(plan.applied.map((a) => a.option)).not.toContain('epochs');
    const o = hybridOptions({ seeds: 1, epochs: 7, loss: 'mse' });
    expect([o.seeds, o.epochs, o.loss, o.lookback]).toEqual([1, 7, 'mse', VOLATILITY_DEFAULTS.lookback]);
    // Options only a plain network has keep the plain network the user asked for.
    expect(planRecurrent({ scaler: 'standard' }, task('volatility'), undefined).kind).toBe('plain');
  });

  it('are recorded in training.defaults of the fitted hybrid, and survive save and load', async () => {
    const plan = planRecurrent({}, task('volatility'), undefined);
    const n = 160;
    const y = Float64Array.from({ length: n }, (_, i) => 10 + 5 * Math.sin(i / 7) + (i % 3));
    const h = new VolatilityHybrid(
      hybridOptions({ epochs: 1, seeds: 1, threads: 1 }),
      'volatility',
      1,
      'garch',
      false,
      plan.applied,
    );
    await h.fit([
      {
        key: '',
        rows: { y },
        from: 0,
        to: n,
        warm: 30,
        bases: [{ spec: 'garch', at: async (origins: number[]) => origins.map(() => [12]) }],
      },
    ]);
    expect(h.training!.defaults).toEqual(plan.applied);
    expect(h.training!.seeds).toBe(1);
    expect((await VolatilityHybrid.fromJSON(JSON.parse(JSON.stringify(h.toJSON())))).training!.defaults).toEqual(
      plan.applied,
    );
    h.dispose();
  });

  it('plain lstm on a volatility target runs the hybrid defaults on one series and on a ragged panel', async () => {
    const sp = (await readCsv('fixtures/sp500-2000.csv')).slice(2000, 2450);
    const o = { targetTransform: 'rv:5', horizon: 1, testSize: 20, refit: 'once', forecaster: { epochs: 2 } } as const;
    // One fit: the plain spec forecasts what the hybrid on the base its fit chose forecasts (forecastAhead shows the
    // fit at the first origin: the rows before it, 5 dropped by rv:5).
    const plain = (await walkForward(sp, 'lstm', o)).folds;
    const start = sp.length - 5 - 20;
    const fit = await forecastAhead(sp.slice(0, start + 5), 'lstm', {
      targetTransform: 'rv:5',
      forecaster: o.forecaster,
    });
    expect(fit.values).toEqual(plain[0].predicted);
    const training = fit.training as { base: string; defaults: unknown[] };
    expect(['garch', 'ewma', 'har']).toContain(training.base);
    expect(training.defaults).toEqual(planRecurrent({ epochs: 2 }, task('volatility'), undefined).applied);
    const named = await walkForward(sp, `lstm+${training.base}`, o);
    expect(named.folds.map((f) => f.predicted)).toEqual(plain.map((f) => f.predicted));
    // Listing gaps, late starts and delistings: every symbol with enough rows is forecast, every forecast positive.
    const panel = syntheticPanel({ symbols: 3, days: 420, seed: 5, columns: ['close'], gapRate: 0.01 });
    const r = await walkForwardPanel(panel, 'lstm', { ...o, testSize: 10, refit: 'once' });
    const points = Object.values(r.bySymbol).flatMap((s) => s.points);
    expect(points.length).toBeGreaterThan(0);
    expect(points.every((p) => Number.isFinite(p.predicted) && p.predicted > 0)).toBe(true);
  });

  it("CLI --models lstm on --target-transform uses the volatility defaults (the API's forecasts)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockcast-vdefaults-'));
    const file = join(dir, 'sp.csv');
    writeFileSync(file, `${readFileSync('fixtures/sp500-2000.csv', 'utf8').split('\n').slice(0, 600).join('\n')}\n`);
    const args = [
      '--csv',
      file,
      '--target-transform',
      'rv:5',
      '--test-size',
      '10',
      '--refit',
      'once',
      '--epochs',
      '2',
      '--json',
    ];
    const run = (models: string) => JSON.parse(cli('backtest', ...args, '--models', models).stdout).models;
    const models = run('lstm,garch');
    const api = await walkForward(await readCsv(file), 'lstm', {
      targetTransform: 'rv:5',
      testSize: 10,
      refit: 'once',
      forecaster: { epochs: 2 },
    });
    const predicted = (models.lstm.points as Array<{ predicted: number }>).map((p) => p.predicted);
    expect(predicted).toEqual(api.points.map((p) => p.predicted));
    expect(models.lstm.points).not.toEqual(models.garch.points);
    rmSync(dir, { recursive: true, force: true });
  });
});
