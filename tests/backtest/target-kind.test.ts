import { describe, expect, it } from 'vitest';
import { compareModels, mseLog, qlike, readCsv, Series, sweep, ValidationError, walkForward } from '../../src/index.js';
import { resolveTargetKind } from '../../src/backtest/target-kind.js';
import { realizedMeasures } from '../../src/prep/realized.js';
import { sampleBars, simulateSvJumps } from '../helpers/intraday-sim.js';

const daily = await readCsv('fixtures/realized/daily-measures.csv');
const sp = (await readCsv('fixtures/sp500-2000.csv')).slice(3000, 3400);

describe('target kinds', () => {
  it('from the transform, the declaration, or the realized measures a series was made of', () => {
    expect(resolveTargetKind({ targetTransform: 'rv:5' })).toBe('volatility');
    expect(resolveTargetKind({ targetTransform: 'logret' })).toBe('return');
    expect(resolveTargetKind({ targetKind: 'variance' })).toBe('variance');
    expect(() => resolveTargetKind({ targetTransform: 'logret', targetKind: 'variance' })).toThrow(ValidationError);
    expect(() => resolveTargetKind({ targetTransform: 'rv:5', targetKind: 'variance' })).toThrow(/contradicts it/);
    // A CSV of measures is a plain table until declared; a series made by realizedMeasures declares itself.
    expect(resolveTargetKind({ series: daily, target: 'rv' })).toBe('price');
    const made = realizedMeasures(sampleBars(simulateSvJumps({ seed: 2, days: 30, steps: 48 }), 1), { stamp: 'end' });
    expect(resolveTargetKind({ series: made, target: 'rv' })).toBe('variance');
    expect(resolveTargetKind({ series: made, target: 'rsNeg' })).toBe('variance');
    expect(resolveTargetKind({ series: made, target: 'rq' })).toBe('price');
    expect(resolveTargetKind({ series: made, target: 'bars' })).toBe('price');
  });

  it('qlike and mseLog in pooled and per-step metrics of volatility targets only, as the exported losses', async () => {
    const price = await walkForward(sp, 'naive', { testSize: 20 });
    expect(price.targetKind).toBe('price');
    expect(price.metrics.qlike).toBeUndefined();
    expect(price.metrics.mseLog).toBeUndefined();
    const variance = await walkForward(daily, 'har', {
      target: 'rv',
      targetKind: 'variance',
      testSize: 50,
      horizon: 2,
    });
    const [actual, predicted] = [variance.points.map((p) => p.actual), variance.points.map((p) => p.predicted)];
    expect(variance.metrics.qlike).toBeCloseTo(qlike(actual, predicted), 12);
    expect(variance.metrics.mseLog).toBeCloseTo(mseLog(actual, predicted), 12);
    const step2 = variance.points.filter((p) => p.step === 1);
    const q2 = qlike(
      step2.map((p) => p.actual),
      step2.map((p) => p.predicted),
    );
    expect(variance.perStep[1].qlike).toBeCloseTo(q2, 12);
    // A volatility (annualized percent) is squared before the losses.
    const vol = await walkForward(sp, 'har', { targetTransform: 'rv:5', testSize: 30 });
    const va = vol.points.map((p) => p.actual);
    const vp = vol.points.map((p) => p.predicted);
    expect(vol.metrics.qlike).toBeCloseTo(qlike(va, vp, { targetKind: 'volatility' }), 12);
    expect(vol.metrics.qlike).toBeCloseTo(
      qlike(
        va.map((x) => x * x),
        vp.map((x) => x * x),
      ),
      12,
    );
  });

  it('a declared volatility column: the same numbers as the variance it is the root of', async () => {
    const root = Series.create({ timestamps: daily.timestamps, columns: { vol: daily.column('rv').map(Math.sqrt) } });
    const r = await walkForward(root, 'naive', { targetKind: 'volatility', testSize: 40 });
    const v = await walkForward(daily, 'naive', { target: 'rv', targetKind: 'variance', testSize: 40 });
    expect(r.targetKind).toBe('volatility');
    expect(r.metrics.qlike).toBeCloseTo(v.metrics.qlike!, 10);
    expect(r.metrics.mseLog).toBeCloseTo(v.metrics.mseLog!, 10);
  });

  it('rankBy qlike ranks by it, a realized target is tested against har, the Reality Check on QLIKE', async () => {
    const c = await compareModels(daily, ['naive', 'ewma', 'har-log', 'shar'], {
      target: 'rv',
      targetKind: 'variance',
      testSize: 60,
      rankBy: 'qlike',
      testLoss: 'qlike',
    });
    expect(c.benchmark).toBe('har');
    expect(c.rows.map((r) => r.model)).toContain('har');
    const q = c.rows.map((r) => r.metrics.qlike!);
    expect(q).toEqual([...q].sort((a, b) => a - b));
    expect(c.rows.find((r) => r.model === 'har')!.dieboldMariano).toBeNull();
    expect(c.rows.find((r) => r.model === 'naive')!.dieboldMariano!.loss).toBe('qlike');
    expect(c.tests.metric).toBe('qlike');
    // On prices there is no QLIKE to rank by.
    await expect(compareModels(sp, ['naive', 'drift'], { testSize: 20, rankBy: 'qlike' })).rejects.toThrow(
      ValidationError,
    );
  });

  it("a sweep's qlike objective needs a volatility target", async () => {
    const o = { space: { lambda: [0.9, 0.97] }, search: 'grid' as const, testSize: 30, validationSize: 60 };
    await expect(sweep(sp.select(['close']), 'ewma', { ...o, objective: 'qlike' })).rejects.toThrow(
      /qlike compares variance forecasts/,
    );
    const r = await sweep(daily.select(['rv']), 'ewma', { ...o, objective: 'qlike', targetKind: 'variance', folds: 1 });
    expect(r.trials).toHaveLength(2);
    const best = Math.min(...r.trials.map((t) => t.objective));
    expect(r.trials[r.best.index].objective).toBe(best);
    expect(r.trials[0].objective).toBeCloseTo(r.trials[0].metrics!.qlike!, 12);
  });
});
