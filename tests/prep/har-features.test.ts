import { describe, expect, it } from 'vitest';
import { addHarComponents, createForecaster, DataError, readCsv, Series } from '../../src/index.js';

const daily = await readCsv('fixtures/realized/daily-measures.csv');
const DAY = 86_400_000;
const series = (rv: number[]) =>
  Series.create({ timestamps: rv.map((_, i) => Date.UTC(2024, 0, 1) + i * DAY), columns: { rv } });

describe('addHarComponents', () => {
  it('adds the trailing means over 1, 5 and 22 rows, dropping the rows without a monthly mean', () => {
    const rv = Array.from({ length: 30 }, (_, i) => (i + 1) * 1e-5);
    const { series: out, columns, droppedLeading } = addHarComponents(series(rv));
    expect(columns).toEqual(['rvMean1', 'rvMean5', 'rvMean22']);
    expect(droppedLeading).toBe(21);
    expect(out.length).toBe(9);
    expect(out.timestampAt(0)).toBe(Date.UTC(2024, 0, 22));
    // Row 21 of the input (values 1..22 e-5): week (18..22) e-5 -> 20e-5, month (1..22) e-5 -> 11.5e-5.
    expect(out.column('rvMean1')[0]).toBe(22e-5);
    expect(out.column('rvMean5')[0]).toBeCloseTo(20e-5, 18);
    expect(out.column('rvMean22')[0]).toBeCloseTo(11.5e-5, 18);
    expect(out.column('rv')).toEqual(Float64Array.from(rv.slice(21)));
  });

  it('reads rows <= t only: later rows leave earlier values unchanged, and nothing is marked lookahead', () => {
    const rv = daily.column('rv');
    const a = addHarComponents(daily);
    const altered = daily.withColumn(
      'rv',
      rv.map((v, i) => (i > 300 ? 10 * v : v)),
    );
    const b = addHarComponents(altered);
    for (const c of a.columns)
      expect(b.series.column(c).subarray(0, 300 - 21 + 1)).toEqual(a.series.column(c).subarray(0, 300 - 21 + 1));
    expect(a.series.meta.lookahead).toBeUndefined();
  });

  it('stays exact over long series (the running sum is rebuilt)', () => {
    const rv = Array.from({ length: 5000 }, (_, i) => 1e-4 * (1 + Math.sin(i) ** 2) + (i === 10 ? 1e3 : 0));
    const out = addHarComponents(series(rv), { spans: [2, 7, 30], name: 'x' }).series;
    const t = 4999;
    let direct = 0;
    for (let i = t - 29; i <= t; i++) direct += rv[i] / 30;
    expect(Math.abs(out.column('xMean30')[t - 29] - direct)).toBeLessThan(1e-18);
  });

  it('feeds a forecaster as features', async () => {
    const { series: s, columns } = addHarComponents(daily.slice(0, 200));
    const model = await createForecaster({
      target: 'rv',
      features: ['rv', ...columns.slice(1)],
      windowNorm: 'none',
      scaler: 'standard',
      lookback: 5,
      units: 4,
      epochs: 1,
      validation: 0,
      engine: 'fused',
    }).fit(s);
    const forecast = await model.predict(s);
    expect(Number.isFinite(forecast.values[0])).toBe(true);
    model.dispose();
  });

  it('does not mutate its input and says what is wrong', () => {
    const s = series([1, 2, 3]);
    expect(() => addHarComponents(s)).toThrow(/a 22-row mean needs at least 22 rows: received 3/);
    expect(s.column('rv')).toEqual(Float64Array.of(1, 2, 3));
    expect(() => addHarComponents(daily)).not.toThrow();
    expect(() => addHarComponents(daily.select(['bv', 'rq']))).toThrow(DataError);
    expect(() => addHarComponents(daily, { target: 'nope' })).toThrow(/no column "nope"/);
    expect(() => addHarComponents(daily, { spans: [5, 5, 22] })).toThrow(/spans must increase/);
  });
});
