import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv, walkForward, walkForwardPanel } from '../../../src/index.js';
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
  it('prices and returns keep the plain network; a volatility target gets the hybrid on GARCH with the volatility defaults', () => {
    expect(planRecurrent({}, task('price'), undefined)).toEqual({ kind: 'plain', applied: [] });
    expect(planRecurrent({}, task('return'), undefined).kind).toBe('plain');
    const plan = planRecurrent({}, task('volatility'), undefined);
    expect(plan.kind).toBe('hybrid');
    expect(plan.base!.spec).toBe('garch');
    expect(Object.fromEntries(plan.applied.map((a) => [a.option, a.value]))).toEqual({
      base: 'garch',
      ...VOLATILITY_DEFAULTS,
    });
    // A realized measure given as a column (no prices): the hybrid on HAR, which runs on realized columns.
    const realized = planRecurrent({}, task('variance', false), undefined);
    expect(realized.kind).toBe('hybrid');
    expect(realized.base?.key).toBe('har');
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
      { key: '', rows: { y }, from: 0, to: n, warm: 30, baseAt: async (origins) => origins.map(() => [12]) },
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
    const plain = await walkForward(sp, 'lstm', o);
    const hybrid = await walkForward(sp, 'lstm+garch', o);
    expect(plain.folds.map((f) => f.predicted)).toEqual(hybrid.folds.map((f) => f.predicted));
    // Listing gaps, late starts and delistings: every symbol with enough rows is forecast, every forecast positive.
    const panel = syntheticPanel({ symbols: 3, days: 420, seed: 5, columns: ['close'], gapRate: 0.01 });
    const r = await walkForwardPanel(panel, 'lstm', { ...o, testSize: 10, refit: 'once' });
    const points = Object.values(r.bySymbol).flatMap((s) => s.points);
    expect(points.length).toBeGreaterThan(0);
    expect(points.every((p) => Number.isFinite(p.predicted) && p.predicted > 0)).toBe(true);
  });

  it('CLI --models lstm on --target-transform uses the volatility defaults (the forecasts of lstm+garch)', async () => {
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
    const plain = run('lstm,garch');
    const hybrid = run('lstm+garch,garch');
    expect(plain.lstm.points).toEqual(hybrid['lstm+garch'].points);
    expect(plain.lstm.points).not.toEqual(plain.garch.points);
    rmSync(dir, { recursive: true, force: true });
  });
});
