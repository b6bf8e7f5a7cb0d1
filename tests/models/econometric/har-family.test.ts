import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DataError,
  fitHarModel,
  HAR_TERMS,
  harForecasts,
  harModelForecast,
  readCsv,
  Series,
  ValidationError,
  type HarModelFit,
  type HarVariant,
} from '../../../src/index.js';

type Case = {
  variant: HarVariant;
  horizon: number;
  horizonMean: boolean;
  observations: number;
  coefficients: Record<string, number>;
  r2: number;
  residualVariance: number;
};
type Rolling = {
  variant: HarVariant;
  window: 'expanding' | 'sliding';
  trainLength: number;
  origins: number[];
  values: number[];
};
const ref = JSON.parse(readFileSync('fixtures/realized/har-ref.json', 'utf8')) as { cases: Case[]; rolling: Rolling[] };
const daily = await readCsv('fixtures/realized/daily-measures.csv');
const VARIANTS = Object.keys(HAR_TERMS) as HarVariant[];
const close = (got: number, want: number, rel: number) =>
  expect(Math.abs(got - want), `${got} vs ${want}`).toBeLessThanOrEqual(rel * Math.abs(want));

describe('the HAR family against statsmodels OLS (scripts/har_ref.py)', () => {
  it('covers every variant at horizons 1, 5 (day and mean) and 22 (mean)', () => {
    expect(ref.cases.length).toBe(20);
    expect(new Set(ref.cases.map((c) => c.variant))).toEqual(new Set(VARIANTS));
  });

  it.each(ref.cases.map((c) => [`${c.variant} h=${c.horizon}${c.horizonMean ? ' mean' : ''}`, c] as const))(
    '%s: coefficients, R^2, residual variance',
    (_, c) => {
      const fit = fitHarModel(daily, { variant: c.variant, horizon: c.horizon, horizonMean: c.horizonMean });
      expect(fit.observations).toBe(c.observations);
      expect(Object.keys(fit.coefficients)).toEqual(HAR_TERMS[c.variant]);
      for (const [name, value] of Object.entries(c.coefficients)) close(fit.coefficients[name], value, 1e-7);
      close(fit.r2, c.r2, 1e-7);
      close(fit.residualVariance, c.residualVariance, 1e-7);
    },
  );

  it.each(ref.rolling.map((r) => [`${r.variant} ${r.window}`, r] as const))(
    '%s: forecasts from the rows before each origin',
    (_, r) => {
      const { values, refits } = harForecasts(daily, {
        variant: r.variant,
        window: r.window,
        trainLength: r.trainLength,
        origins: r.origins,
      });
      r.values.forEach((want, i) => close(values[i], want, 1e-7));
      expect(refits.map((f) => f.origin)).toEqual(r.origins);
    },
  );
});

describe('harForecasts: windows, refits, no leakage', () => {
  const origins = Array.from({ length: 9 }, (_, i) => 400 + 7 * i);

  it.each(VARIANTS)(
    '%s: refit every 3 origins reuses the fit of the last refit origin, made on the rows before it',
    (variant) => {
      const { values, refits } = harForecasts(daily, { variant, origins, refit: 3, horizon: 5, horizonMean: true });
      expect(refits.map((f) => f.origin)).toEqual([origins[0], origins[3], origins[6]]);
      origins.forEach((t, i) => {
        const fit = fitHarModel(daily.slice(0, origins[3 * Math.floor(i / 3)]), {
          variant,
          horizon: 5,
          horizonMean: true,
        });
        close(values[i], harModelForecast(fit, daily, t), 1e-12);
      });
      expect(harForecasts(daily, { variant, origins, refit: 'once' }).refits.length).toBe(1);
    },
  );

  it.each(VARIANTS)('%s: changing every row from the origin on leaves its forecast unchanged', (variant) => {
    const t = 450;
    const cols = Object.fromEntries(
      daily.columns.map((c) => [c, daily.column(c).map((v, i) => (i >= t ? v * 7 + 1e-3 : v))]),
    );
    const altered = Series.create({ timestamps: daily.timestamps, columns: cols });
    for (const window of ['expanding', 'sliding'] as const) {
      const a = harForecasts(daily, { variant, origins: [t], window, trainLength: 200 }).values[0];
      const b = harForecasts(altered, { variant, origins: [t], window, trainLength: 200 }).values[0];
      expect(b).toBe(a);
    }
  });

  it('a sliding window reads only its last trainLength rows', () => {
    const t = 500;
    const a = harForecasts(daily, { variant: 'har', origins: [t], window: 'sliding', trainLength: 150 }).values[0];
    const b = harModelForecast(fitHarModel(daily.slice(t - 150, t)), daily, t);
    close(a, b, 1e-12);
  });
});

describe('forecasts: the floor of level models, the log-normal correction of har-log', () => {
  const series = daily.slice(0, 60);
  const fit = (
    variant: HarVariant,
    coefficients: Record<string, number>,
    extra: Partial<HarModelFit> = {},
  ): HarModelFit => ({
    variant,
    target: 'rv',
    coefficients,
    horizon: 1,
    horizonMean: false,
    spans: [1, 5, 22],
    observations: 0,
    r2: 0,
    residualVariance: 0,
    floor: 0,
    ...extra,
  });

  it('a level model never forecasts below its floor', () => {
    expect(harModelForecast(fit('har', { const: -1, daily: 0, weekly: 0, monthly: 0 }, { floor: 2e-5 }), series)).toBe(
      2e-5,
    );
    const fitted = fitHarModel(daily, { variant: 'har' });
    const y = daily.column('rv').slice(22);
    expect(fitted.floor).toBe(Math.min(...y.slice(1)));
  });

  it('har-log forecasts exp(xb + s2 / 2)', () => {
    const rv = series.column('rv');
    const x = Math.log(rv[59]);
    expect(
      harModelForecast(
        fit('har-log', { const: 0.5, daily: 1, weekly: 0, monthly: 0 }, { residualVariance: 0.4 }),
        series,
      ),
    ).toBeCloseTo(Math.exp(0.5 + x + 0.2), 15);
  });
});

describe('errors', () => {
  it('say what is missing or wrong', () => {
    const rvOnly = daily.select(['rv']);
    expect(() => fitHarModel(rvOnly, { variant: 'shar' })).toThrow(
      /shar reads the column "rsPos": the series has "rv"/,
    );
    const zero = Series.create({
      timestamps: daily.timestamps.slice(0, 60),
      columns: {
        rv: daily
          .column('rv')
          .slice(0, 60)
          .map((v, i) => (i === 30 ? 0 : v)),
      },
    });
    expect(() => fitHarModel(zero, { variant: 'har-log' })).toThrow(DataError);
    expect(() => fitHarModel(zero, { variant: 'har-log' })).toThrow(/har-log needs positive values/);
    expect(() => fitHarModel(daily.slice(0, 30))).toThrow(
      /har with a 22-row average, 1 step\(s\) ahead, needs 14 regression rows: the estimation window gives 8/,
    );
    expect(() => fitHarModel(daily, { window: 'sliding' })).toThrow(ValidationError);
    expect(() => fitHarModel(daily, { spans: [5, 1, 22] })).toThrow(/spans must increase/);
    expect(() => harForecasts(daily, { origins: [300, 300] })).toThrow(
      /origins must be increasing row indices from 22 to 700: origin 1 is 300/,
    );
  });
});
