import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCsv, realizedMeasures, REALIZED_COLUMNS, Series, type RealizedOptions } from '../../src/index.js';
import { sampleBars, simulateSvJumps } from '../helpers/intraday-sim.js';

type Measures = Record<'date' | (typeof REALIZED_COLUMNS)[number], number[]> & { date: string[] };
const ref = JSON.parse(readFileSync('fixtures/realized/realized-ref.json', 'utf8')) as {
  realized: Record<'nyseExclude' | 'nyseAdd' | 'nyseScale' | 'nyCutoffExclude', Measures>;
};
const bars = await readCsv('fixtures/realized/intraday-15m.csv');
const HOUR = 3_600_000;
const t0 = Date.UTC(2024, 0, 2, 9);
const hourly = (close: number[], from = t0) =>
  Series.create({ timestamps: close.map((_, k) => from + k * HOUR), columns: { close } });

function expectClose(got: Series, want: Measures): void {
  expect(got.dates().map((d) => d.toISOString())).toEqual(want.date);
  for (const c of REALIZED_COLUMNS) {
    const g = got.column(c);
    // The jump part is a difference of two sums: its rounding is relative to rv.
    want[c].forEach((w, i) =>
      expect(Math.abs(g[i] - w), `${c}[${i}]`).toBeLessThanOrEqual(
        1e-12 * (Math.abs(w) + (c === 'jump' ? want.rv[i] : 0)),
      ),
    );
  }
}

describe('realizedMeasures by hand', () => {
  it('one day of two returns: rv, bipower, jump, semivariances, quarticity, bars', () => {
    const a = Math.log(1.01);
    const m = realizedMeasures(hourly([100, 101, 100]));
    expect(m.length).toBe(1);
    expect(m.timestampAt(0)).toBe(Date.UTC(2024, 0, 2));
    const row = m.toRows()[0];
    expect(row.rv).toBeCloseTo(2 * a * a, 18);
    expect(row.bv).toBeCloseTo((Math.PI / 2) * a * a, 18);
    expect(row.jump).toBeCloseTo(2 * a * a - (Math.PI / 2) * a * a, 18);
    expect(row.rsPos).toBeCloseTo(a * a, 18);
    expect(row.rsNeg).toBeCloseTo(a * a, 18);
    expect(row.rq).toBeCloseTo((2 / 3) * 2 * a ** 4, 22);
    expect(row.bars).toBe(3);
  });

  it('the overnight return: excluded, added as the first return, or scaled in (Hansen and Lunde)', () => {
    // Day 1: 100 -> 102; day 2 opens at 99 (overnight ln 99/102) -> 100.
    const s = Series.create({
      timestamps: [t0, t0 + HOUR, t0 + 24 * HOUR, t0 + 25 * HOUR],
      columns: { close: [100, 102, 99, 100] },
    });
    const [r1, on, r2] = [Math.log(1.02), Math.log(99 / 102), Math.log(100 / 99)];
    const ex = realizedMeasures(s);
    expect(Array.from(ex.column('rv'))).toEqual([r1 * r1, r2 * r2]);
    const add = realizedMeasures(s, { overnight: 'add' });
    expect(add.length).toBe(1);
    expect(add.meta.aggregation!.overnightDropped).toBe(1);
    expect(add.column('rv')[0]).toBeCloseTo(on * on + r2 * r2, 18);
    expect(add.column('bv')[0]).toBeCloseTo((Math.PI / 2) * Math.abs(on) * Math.abs(r2), 18);
    expect(add.column('rsNeg')[0]).toBeCloseTo(on * on, 18);
    const scaled = realizedMeasures(s, { overnight: 'scale' });
    const factor = Math.log(100 / 102) ** 2 / (r2 * r2);
    expect(scaled.column('rv')[0]).toBeCloseTo(factor * r2 * r2, 18);
    expect(scaled.column('rq')[0]).toBeCloseTo(factor * factor * (1 / 3) * r2 ** 4, 22);
  });

  it('a one-bar day is kept with rv 0 and its bar count; minBars drops it, counted', () => {
    const two = Series.create({
      timestamps: [t0, t0 + HOUR, t0 + 2 * HOUR, t0 + 30 * HOUR],
      columns: { close: [100, 101, 100, 103] },
    });
    const kept = realizedMeasures(two);
    expect(Array.from(kept.column('bars'))).toEqual([3, 1]);
    expect(kept.column('rv')[1]).toBe(0);
    const dropped = realizedMeasures(two, { minBars: 2 });
    expect(Array.from(dropped.column('bars'))).toEqual([3]);
    expect(dropped.meta.aggregation!.partialDropped).toBe(1);
  });

  it('reads the close column, else the only column, or the target asked for', () => {
    const s = Series.create({ timestamps: [t0, t0 + HOUR], columns: { open: [1, 1], close: [100, 110] } });
    expect(realizedMeasures(s).column('rv')[0]).toBeCloseTo(Math.log(1.1) ** 2, 15);
    expect(realizedMeasures(s, { target: 'open' }).column('rv')[0]).toBe(0);
    const only = Series.create({ timestamps: [t0, t0 + HOUR], columns: { mid: [100, 110] } });
    expect(realizedMeasures(only).column('rv')[0]).toBeCloseTo(Math.log(1.1) ** 2, 15);
  });

  it('no row reads a later bar: the scaled measures of a day ignore every later day', () => {
    const cut = Date.UTC(2024, 10, 20);
    const later = bars.column('close').map((c, i) => (bars.timestampAt(i) >= cut ? c * (1 + 0.01 * Math.sin(i)) : c));
    const altered = bars.withColumn('close', later);
    for (const overnight of ['exclude', 'add', 'scale'] as const) {
      const a = realizedMeasures(bars, { calendar: 'nyse', overnight });
      const b = realizedMeasures(altered, { calendar: 'nyse', overnight });
      const before = a.indexAtOrAfter(cut - 86_400_000);
      expect(before).toBeGreaterThan(10);
      for (const c of REALIZED_COLUMNS)
        expect(b.column(c).subarray(0, before), `${overnight} ${c}`).toEqual(a.column(c).subarray(0, before));
      expect(b.column('rv')[before + 1]).not.toBe(a.column('rv')[before + 1]);
    }
  });

  it('does not mutate its input', () => {
    const s = Series.create({
      timestamps: [t0, t0 + HOUR, t0 + 24 * HOUR, t0 + 25 * HOUR],
      columns: { close: [100, 102, 99, 100] },
    });
    const before = s.column('close');
    realizedMeasures(s, { overnight: 'scale' });
    expect(s.column('close')).toEqual(before);
  });

  it('says what is wrong', () => {
    expect(() => realizedMeasures(hourly([100, 0, 100]))).toThrow(
      /column "close" row 1 \(2024-01-02T10:00:00.000Z\): log returns need positive prices, received 0/,
    );
    expect(() =>
      realizedMeasures(Series.create({ timestamps: [0, 86_400_000, 2 * 86_400_000], columns: { close: [1, 2, 3] } })),
    ).toThrow(/expected intraday bars/);
    expect(() => realizedMeasures(hourly([1, 2]), { overnight: 'add' })).toThrow(
      /no day left: 2 bars read, 0 outside the sessions, 0 days with fewer than 1 bars, 1 without an overnight return/,
    );
    expect(() => realizedMeasures(hourly([1, 2]), { overnight: 'sometimes' as RealizedOptions['overnight'] })).toThrow(
      /overnight/,
    );
  });
});

describe('realizedMeasures against pandas (scripts/realized_ref.py)', () => {
  it.each([
    ['NYSE sessions, overnight excluded', { calendar: 'nyse' }, 'nyseExclude'],
    ['NYSE sessions, overnight added', { calendar: 'nyse', overnight: 'add' }, 'nyseAdd'],
    ['NYSE sessions, overnight scaled', { calendar: 'nyse', overnight: 'scale' }, 'nyseScale'],
    ['days ending 17:00 New York', { cutoff: '17:00', timezone: 'America/New_York' }, 'nyCutoffExclude'],
  ] as const)('%s', (_, options, key) => {
    expectClose(realizedMeasures(bars, options as RealizedOptions), ref.realized[key]);
  });
});

describe('realizedMeasures on simulated paths with known integrated variance', () => {
  // 20 days of a stochastic-volatility path with jumps on a 5-second grid; day 0 has no previous close.
  const path = simulateSvJumps({ seed: 11, days: 20, steps: 17280, jumpRate: 0.5 });
  const at = (every: number) => realizedMeasures(sampleBars(path, every), { stamp: 'end', overnight: 'add' });
  const days = Array.from({ length: 19 }, (_, i) => i + 1);
  const meanError = (got: Float64Array, want: (d: number) => number) =>
    days.reduce((s, d, i) => s + Math.abs(got[i] - want(d)) / want(d), 0) / days.length;

  it('realized variance converges to integrated variance plus jumps as sampling gets finer', () => {
    const errors = [360, 60, 12, 1].map((every) => meanError(at(every).column('rv'), (d) => path.iv[d] + path.jv[d]));
    for (let k = 1; k < errors.length; k++)
      expect(errors[k], `error at step ${k}: ${errors}`).toBeLessThan(errors[k - 1]);
    expect(errors[0]).toBeGreaterThan(0.1); // 30-minute returns: about sqrt(2 / 48)
    expect(errors[3]).toBeLessThan(0.02); // 5-second returns: about sqrt(2 / 17280)
  });

  it('bipower variation estimates the integrated variance, jumps excluded; rv - bv recovers the jumps', () => {
    const m = at(1);
    expect(meanError(m.column('bv'), (d) => path.iv[d])).toBeLessThan(0.03);
    const jumpDays = days.filter((d) => path.jv[d] > 0.5 * path.iv[d]);
    const calmDays = days.filter((d) => path.jv[d] === 0);
    expect(jumpDays.length).toBeGreaterThanOrEqual(2);
    expect(calmDays.length).toBeGreaterThanOrEqual(5);
    const jump = m.column('jump');
    for (const d of jumpDays) expect(Math.abs(jump[d - 1] - path.jv[d]) / path.jv[d], `day ${d}`).toBeLessThan(0.15);
    for (const d of calmDays) expect(jump[d - 1] / path.iv[d], `day ${d}`).toBeLessThan(0.05);
    // Without the separation, rv itself carries the jumps: far from the integrated variance on jump days.
    const rv = m.column('rv');
    for (const d of jumpDays) expect(rv[d - 1] / path.iv[d]).toBeGreaterThan(1.4);
  });
});
