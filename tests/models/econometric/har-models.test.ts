import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError, HAR_TERMS, readCsv, Series, walkForward, type HarVariant } from '../../../src/index.js';
import { realizedMeasures } from '../../../src/prep/realized.js';
import { harModels, HarSpecOptionsSchema } from '../../../src/models/econometric/har-models.js';
import { sampleBars, simulateSvJumps } from '../../helpers/intraday-sim.js';

type Rolling = {
  variant: HarVariant;
  window: 'expanding' | 'sliding';
  trainLength: number;
  origins: number[];
  values: number[];
};
const ref = JSON.parse(readFileSync('fixtures/realized/har-ref.json', 'utf8')) as { rolling: Rolling[] };
const daily = await readCsv('fixtures/realized/daily-measures.csv');
const VARIANTS = Object.keys(HAR_TERMS) as HarVariant[];
const variance = { target: 'rv', targetKind: 'variance' } as const;

/** The series with every value at or after row `from` replaced by 1e9. */
function poisoned(s: Series, from: number): Series {
  const columns = Object.fromEntries(s.columns.map((c) => [c, s.column(c).map((v, i) => (i >= from ? 1e9 : v))]));
  return Series.create({ timestamps: s.timestamps, columns, meta: { ...s.meta } });
}

describe('the HAR family as registered models', () => {
  it.each(ref.rolling.map((r) => [`${r.variant} ${r.window}`, r] as const))(
    '%s in walkForward: the statsmodels forecasts of scripts/har_ref.py',
    async (_, r) => {
      const o = { ...variance, start: 300, window: r.window, trainLength: r.trainLength };
      const result = await walkForward(daily, r.variant, o);
      for (const [i, origin] of r.origins.entries()) {
        const fold = result.folds.find((f) => f.origin === origin)!;
        expect(Math.abs(fold.predicted[0] - r.values[i])).toBeLessThanOrEqual(1e-7 * r.values[i]);
      }
      expect(result.metrics.qlike).toBeGreaterThan(0);
      expect(result.metrics.mseLog).toBeGreaterThan(0);
    },
  );

  it("the model's own window and refit (the backtest's words) override the backtest's", async () => {
    const r = ref.rolling.find((x) => x.variant === 'shar' && x.window === 'sliding')!;
    const model = { model: 'shar', options: { window: 'sliding', trainLength: r.trainLength } };
    const result = await walkForward(daily, model, { ...variance, start: 300 });
    const fold = result.folds.find((f) => f.origin === 450)!;
    expect(Math.abs(fold.predicted[0] - r.values[2])).toBeLessThanOrEqual(1e-7 * r.values[2]);
    const once = await walkForward(
      daily,
      { model: 'har', options: { refit: 'once' } },
      { ...variance, start: 600, horizon: 5 },
    );
    const every = await walkForward(daily, 'har', { ...variance, start: 600, horizon: 5 });
    expect(once.folds[0].predicted).toEqual(every.folds[0].predicted);
    expect(once.folds[5].predicted).not.toEqual(every.folds[5].predicted);
  });

  it.each(VARIANTS)(
    '%s carries its fits between forecast calls (a call without a refit continues the last)',
    (variant) => {
      const model = harModels[variant].series(
        HarSpecOptionsSchema.parse({}),
        { target: 'rv', horizon: 3, targetKind: 'variance' },
        {},
      );
      const folds = [500, 503, 506].map((origin, i) => ({ origin, trainStart: 0, refit: i === 0 }));
      const whole = model.forecast(daily, folds) as { values: number[][] };
      const again = harModels[variant].series(
        HarSpecOptionsSchema.parse({}),
        { target: 'rv', horizon: 3, targetKind: 'variance' },
        {},
      );
      const first = again.forecast(daily, folds.slice(0, 1)) as { values: number[][] };
      const rest = again.forecast(daily, folds.slice(1)) as { values: number[][] };
      expect([...first.values, ...rest.values]).toEqual(whole.values);
      // Without the carried fits, the later folds would have refitted on more rows.
      const fresh = harModels[variant].series(
        HarSpecOptionsSchema.parse({}),
        { target: 'rv', horizon: 3, targetKind: 'variance' },
        {},
      );
      expect((fresh.forecast(daily, folds.slice(2)) as { values: number[][] }).values[0]).not.toEqual(whole.values[2]);
    },
  );

  it.each(VARIANTS)('%s reads nothing at or after an origin (1e9 poison), at every step of H = 5', async (variant) => {
    const o = { ...variance, horizon: 5, window: 'sliding' as const, trainLength: 300, refit: 2 as const };
    const clean = await walkForward(daily, variant, { ...o, start: 500 });
    // Refit origins (every second fold): 500, 560 and 640 are folds 0, 12 and 28.
    for (const origin of [500, 560, 640]) {
      const dirty = await walkForward(poisoned(daily, origin), variant, { ...o, start: origin });
      expect(dirty.folds[0].predicted, `origin ${origin}`).toEqual(
        clean.folds.find((f) => f.origin === origin)!.predicted,
      );
    }
  });

  it('names the missing column: harq without rq, shar without rsNeg, har-j on a price-derived target', async () => {
    const rvOnly = Series.create({ timestamps: daily.timestamps, columns: { rv: daily.column('rv') } });
    await expect(walkForward(rvOnly, 'harq', { targetKind: 'variance', testSize: 20 })).rejects.toThrow(DataError);
    await expect(walkForward(rvOnly, 'harq', { targetKind: 'variance', testSize: 20 })).rejects.toThrow(
      /harq reads the column "rq"/,
    );
    const noNeg = Series.create({
      timestamps: daily.timestamps,
      columns: { rv: daily.column('rv'), rsPos: daily.column('rsPos') },
    });
    await expect(walkForward(noNeg, 'shar', { ...variance, testSize: 20 })).rejects.toThrow(
      /shar reads the column "rsNeg"/,
    );
    const sp = (await readCsv('fixtures/sp500-2000.csv')).slice(3000, 3400);
    await expect(walkForward(sp, 'har-j', { targetTransform: 'rv:5', testSize: 20 })).rejects.toThrow(
      /har-j reads the column\(s\) "jump"/,
    );
    // har and har-log run on price-derived volatility targets.
    const log = await walkForward(sp, 'har-log', { targetTransform: 'rv:5', testSize: 20 });
    expect(log.points.every((p) => p.predicted > 0)).toBe(true);
    // A price target is none of theirs.
    await expect(walkForward(sp, 'har-log', { testSize: 20 })).rejects.toThrow(
      /har-log forecasts volatility or variance targets, not prices/,
    );
  });

  it('ewma on a realized column: the forecasts of pandas ewm (scripts/realized_ewma_ref.py)', async () => {
    type EwmaCase = {
      lambda: number;
      window: 'expanding' | 'sliding';
      trainLength: number;
      origins: number[];
      variance: number[];
    };
    const ewmaRef = JSON.parse(readFileSync('fixtures/realized/ewma-ref.json', 'utf8')) as {
      cases: EwmaCase[];
      volatility: Array<{ origin: number; value: number }>;
    };
    for (const c of ewmaRef.cases) {
      const window = c.window === 'sliding' ? { window: c.window, trainLength: c.trainLength } : {};
      const r = await walkForward(
        daily,
        { model: 'ewma', options: { lambda: c.lambda } },
        { ...variance, start: 300, ...window },
      );
      c.origins.forEach((origin, i) => {
        const got = r.folds.find((f) => f.origin === origin)!.predicted[0];
        expect(Math.abs(got - c.variance[i])).toBeLessThanOrEqual(1e-10 * c.variance[i]);
      });
    }
    const vol = Series.create({ timestamps: daily.timestamps, columns: { vol: daily.column('rv').map(Math.sqrt) } });
    const v = await walkForward(vol, 'ewma', { targetKind: 'volatility', start: 300 });
    for (const { origin, value } of ewmaRef.volatility) {
      expect(Math.abs(v.folds.find((f) => f.origin === origin)!.predicted[0] - value)).toBeLessThanOrEqual(
        1e-10 * value,
      );
    }
  });

  it('ewma on a realized column is the RiskMetrics recursion over the measure; garch refuses it', async () => {
    const e = await walkForward(daily, 'ewma', { ...variance, start: 600 });
    const rv = daily.column('rv');
    for (const f of e.folds) {
      const seen = rv.subarray(0, f.origin);
      expect(f.predicted[0]).toBeGreaterThanOrEqual(Math.min(...seen));
      expect(f.predicted[0]).toBeLessThanOrEqual(Math.max(...seen));
    }
    // A faster decay follows yesterday more closely.
    const fast = await walkForward(daily, { model: 'ewma', options: { lambda: 0.01 } }, { ...variance, start: 600 });
    const top = Math.max(...rv);
    fast.folds.forEach((f) => expect(Math.abs(f.predicted[0] - rv[f.origin - 1])).toBeLessThan(0.01 * top));
    await expect(walkForward(daily, 'garch', { ...variance, testSize: 20 })).rejects.toThrow(
      /garch is fitted on daily returns: the variance column "rv" has no returns/,
    );
  });

  it('units: the rv column is a daily variance of decimal returns, rv:K an annualized percent volatility', async () => {
    const path = simulateSvJumps({ seed: 7, days: 160, steps: 288, jumpRate: 0 });
    const bars = sampleBars(path, 6);
    const measures = realizedMeasures(bars);
    const r = await walkForward(measures, 'har', { target: 'rv', testSize: 40 });
    expect(r.targetKind).toBe('variance');
    // The same days' closes: a 22-day realized volatility, annualized percent.
    const closes = Series.create({
      timestamps: measures.timestamps,
      columns: {
        close: measures.timestamps.map((_, i) =>
          Math.exp(path.logPrice[Math.min((i + 1) * path.steps, path.logPrice.length) - 1]),
        ),
      },
    });
    const v = await walkForward(closes, 'har', { targetTransform: 'rv:22', testSize: 40 });
    const meanRv = measures.column('rv').reduce((a, b) => a + b, 0) / measures.length;
    const meanVol2 = v.points.reduce((a, p) => a + p.actual ** 2, 0) / v.points.length;
    // (100 sigma)^2 x 252 against the mean daily variance: the same variance within sampling error.
    expect(meanVol2 / (1e4 * 252) / meanRv).toBeGreaterThan(0.5);
    expect(meanVol2 / (1e4 * 252) / meanRv).toBeLessThan(2);
    expect(r.points.every((p) => p.predicted < 0.01)).toBe(true);
    expect(v.points.every((p) => p.predicted > 1)).toBe(true);
  });
});
