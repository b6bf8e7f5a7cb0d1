import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  addLogVolume,
  addVolatility,
  applyTargetTransform,
  DataError,
  readCsv,
  realizedVolatility,
  Series,
  volatilityWarmup,
  walkForward,
  type VolatilityEstimator,
} from '../../src/index.js';

const ref = JSON.parse(readFileSync('fixtures/risk/scipy-ref.json', 'utf8')) as {
  volatility: { estimator: VolatilityEstimator; span: number; rows: number; values: number[] }[];
};
const sp = await readCsv('fixtures/sp500-2000.csv');
const ESTIMATORS: VolatilityEstimator[] = ['close-to-close', 'parkinson', 'garman-klass', 'yang-zhang'];
const DAY = 86_400_000;
const ohlc = (rows: number[][]) =>
  Series.create({
    timestamps: rows.map((_, i) => Date.UTC(2024, 0, 1) + i * DAY),
    columns: {
      open: rows.map((r) => r[0]),
      high: rows.map((r) => r[1]),
      low: rows.map((r) => r[2]),
      close: rows.map((r) => r[3]),
    },
  });

describe('realized volatility estimators', () => {
  it('match hand-computed values', () => {
    const a = (v: number) => 100 * Math.sqrt(252 * v);
    const cc = realizedVolatility(
      { close: [100, 101, 100] },
      { estimator: 'close-to-close', span: 2, periodsPerYear: 252 },
    );
    expect(cc.length).toBe(1);
    expect(cc[0]).toBeCloseTo(a(Math.log(1.01) ** 2), 12);
    const pk = realizedVolatility(
      { high: [102, 104], low: [100, 100] },
      { estimator: 'parkinson', span: 2, periodsPerYear: 252 },
    );
    expect(pk[0]).toBeCloseTo(a((Math.log(1.02) ** 2 + Math.log(1.04) ** 2) / 2 / (4 * Math.LN2)), 12);
    const gk = realizedVolatility(
      { open: [100], high: [102], low: [99], close: [101] },
      { estimator: 'garman-klass', span: 1, periodsPerYear: 252 },
    );
    expect(gk[0]).toBeCloseTo(a(0.5 * Math.log(102 / 99) ** 2 - (2 * Math.LN2 - 1) * Math.log(1.01) ** 2), 12);
    // Yang-Zhang, span 2 on rows 1..2 (row 0 gives the first previous close).
    const [O, H, L, C] = [
      [99, 101, 103],
      [100.5, 104, 105],
      [98.5, 100, 101],
      [100, 102, 104],
    ];
    const yz = realizedVolatility(
      { open: O, high: H, low: L, close: C },
      { estimator: 'yang-zhang', span: 2, periodsPerYear: 252 },
    );
    const o = [Math.log(101 / 100), Math.log(103 / 102)];
    const c = [Math.log(102 / 101), Math.log(104 / 103)];
    const rs = [1, 2].map(
      (i) => Math.log(H[i] / C[i]) * Math.log(H[i] / O[i]) + Math.log(L[i] / C[i]) * Math.log(L[i] / O[i]),
    );
    const sampleVar = (x: number[]) => (x[0] - x[1]) ** 2 / 2; // two values, n - 1 = 1
    const k = 0.34 / (1.34 + 3 / 1);
    expect(yz.length).toBe(1);
    expect(yz[0]).toBeCloseTo(a(sampleVar(o) + k * sampleVar(c) + ((1 - k) * (rs[0] + rs[1])) / 2), 12);
  });

  it('match an independent numpy implementation on S&P 500 data (spans 2, 5, 22)', () => {
    expect(ref.volatility.length).toBe(12);
    for (const c of ref.volatility) {
      const s = sp.slice(0, c.rows);
      const ours = realizedVolatility(
        { open: s.column('open'), high: s.column('high'), low: s.column('low'), close: s.column('close') },
        { estimator: c.estimator, span: c.span, periodsPerYear: 252 },
      );
      expect(ours.length, `${c.estimator} ${c.span}`).toBe(c.values.length);
      expect(c.rows - ours.length).toBe(volatilityWarmup(c.estimator, c.span));
      c.values.forEach((v, i) =>
        expect(Math.abs(ours[i] - v), `${c.estimator} ${c.span} row ${i}`).toBeLessThan(1e-9 * Math.max(1, v)),
      );
    }
  });

  it('never look ahead: poisoning rows after t with 1e9 leaves every value at rows <= t unchanged', () => {
    const s = sp.slice(1000, 1200);
    for (const estimator of ESTIMATORS) {
      const clean = addVolatility(s, { estimator, span: 5 });
      for (const t of [10, 57, 150]) {
        const poison = (name: string) => s.column(name).map((v, i) => (i > t ? 1e9 : v));
        const bad = Series.create({
          timestamps: s.timestamps,
          columns: {
            open: poison('open'),
            high: poison('high'),
            low: poison('low'),
            close: poison('close'),
            volume: s.column('volume'),
          },
        });
        const dirty = addVolatility(bad, { estimator, span: 5 });
        const keep = t - clean.droppedLeading + 1;
        expect(Array.from(dirty.series.column(clean.column).subarray(0, keep)), `${estimator} at ${t}`).toEqual(
          Array.from(clean.series.column(clean.column).subarray(0, keep)),
        );
        expect(dirty.series.column(clean.column)[keep]).not.toBe(clean.series.column(clean.column)[keep]);
      }
    }
  });
});

describe('every derived target and feature is causal (1e9 poison after row t)', () => {
  it('applyTargetTransform (rv, parkinson, gk, yz, logret), its returns, and addLogVolume', () => {
    const s = sp.slice(1000, 1200);
    for (const spec of ['rv:5', 'parkinson:5', 'gk:5', 'yz:5', 'logret']) {
      const clean = applyTargetTransform(s, spec);
      for (const t of [20, 90, 160]) {
        const poison = (name: string) => s.column(name).map((v, i) => (i > t ? 1e9 : v));
        const bad = Series.create({
          timestamps: s.timestamps,
          columns: {
            open: poison('open'),
            high: poison('high'),
            low: poison('low'),
            close: poison('close'),
            volume: poison('volume'),
          },
        });
        const dirty = applyTargetTransform(bad, spec);
        const keep = t - clean.dropped + 1;
        expect(Array.from(dirty.series.column(clean.target).subarray(0, keep)), `${spec} at ${t}`).toEqual(
          Array.from(clean.series.column(clean.target).subarray(0, keep)),
        );
        expect(dirty.series.column(clean.target)[keep]).not.toBe(clean.series.column(clean.target)[keep]);
        expect(Array.from(dirty.returns.subarray(0, keep)), `${spec} returns at ${t}`).toEqual(
          Array.from(clean.returns.subarray(0, keep)),
        );
      }
    }
    const logVolume = addLogVolume(s).column('logVolume');
    const bad = Series.create({
      timestamps: s.timestamps,
      columns: { volume: s.column('volume').map((v, i) => (i > 50 ? 1e9 : v)) },
    });
    expect(Array.from(addLogVolume(bad).column('logVolume').subarray(0, 51))).toEqual(
      Array.from(logVolume.subarray(0, 51)),
    );
  });
});

describe('addVolatility', () => {
  it('drops rows without history, reports them and keeps the other columns aligned', () => {
    const r = addVolatility(sp.slice(0, 50), { estimator: 'parkinson', span: 5 });
    expect(r).toMatchObject({ column: 'parkinson5', droppedLeading: 4, droppedTrailing: 0 });
    expect(r.series.length).toBe(46);
    expect(r.series.timestampAt(0)).toBe(sp.timestampAt(4));
    expect(r.series.column('close')[0]).toBe(sp.column('close')[4]);
    expect(r.series.columns).toEqual([...sp.columns, 'parkinson5']);
  });

  it('forward alignment: the value at t is the trailing estimate at t + span (the next span periods)', () => {
    const s = sp.slice(0, 60);
    for (const estimator of ESTIMATORS) {
      const trailing = addVolatility(s, { estimator, span: 5 });
      const forward = addVolatility(s, { estimator, span: 5, align: 'forward' });
      expect(forward.droppedTrailing).toBe(5);
      expect(forward.series.lastTimestamp).toBe(s.timestampAt(54));
      for (let t = 0; t < forward.series.length; t++) {
        expect(forward.series.timestampAt(t)).toBe(s.timestampAt(t + forward.droppedLeading));
        const at = t + forward.droppedLeading + 5 - trailing.droppedLeading; // row t + 5 of s, in trailing's rows
        expect(forward.series.column(forward.column)[t]).toBe(trailing.series.column(trailing.column)[at]);
      }
    }
    expect(addVolatility(s, { align: 'forward' }).column).toBe('rv5_fwd');
  });

  it('a forward column is marked, and backtests refuse it as the target or a feature (its labels read the test span)', async () => {
    const forward = addVolatility(sp.slice(0, 300), { span: 5, align: 'forward' });
    expect(forward.series.meta.lookahead).toEqual({ rv5_fwd: 5 });
    expect(forward.series.slice(10).select(['close', 'rv5_fwd']).meta.lookahead).toEqual({ rv5_fwd: 5 });
    await expect(walkForward(forward.series, 'naive', { target: 'rv5_fwd', testSize: 20 })).rejects.toThrow(
      /column "rv5_fwd" is forward-aligned \(row t reads the next 5 rows\)/,
    );
    await expect(
      walkForward(forward.series, 'lstm', {
        target: 'close',
        testSize: 20,
        forecaster: { features: ['close', 'rv5_fwd'], epochs: 1 },
      }),
    ).rejects.toThrow(DataError);
    // The trailing estimate is fine.
    expect(
      (await walkForward(addVolatility(sp.slice(0, 300), { span: 5 }).series, 'naive', { target: 'rv5', testSize: 20 }))
        .points,
    ).toHaveLength(20);
  });

  it('annualizes from the frequency (52 for weekly) unless periodsPerYear is given', () => {
    const weekly = Series.create({
      timestamps: [0, 1, 2].map((i) => i * 7 * DAY),
      columns: { close: [100, 101, 100] },
    });
    const v = addVolatility(weekly, { span: 2 }).series.column('rv2')[0];
    expect(v).toBeCloseTo(100 * Math.sqrt(52) * Math.log(1.01), 12);
    expect(addVolatility(weekly, { span: 2, periodsPerYear: 1 }).series.column('rv2')[0]).toBeCloseTo(
      100 * Math.log(1.01),
      12,
    );
  });

  it('explains bad input and leaves the input alone', () => {
    const s = ohlc([
      [100, 101, 99, 100],
      [100, 99, 101, 100],
      [100, 101, 99, 100],
    ]);
    expect(() => addVolatility(s, { estimator: 'parkinson', span: 2 })).toThrow('high below low at row 1');
    expect(() => addVolatility(s, { estimator: 'yang-zhang', span: 1 })).toThrow(/integer span >= 2: received 1/);
    expect(() => addVolatility(s, { span: 3 })).toThrow(/needs more than 3 rows: received 3/);
    expect(() => addVolatility(s.select(['close']), { estimator: 'garman-klass' })).toThrow(/no column "open"/);
    expect(() => addVolatility(s, { span: 0 })).toThrow(/span/);
    expect(() =>
      realizedVolatility({ close: [1, 0, 1] }, { estimator: 'close-to-close', span: 1, periodsPerYear: 252 }),
    ).toThrow(/row 1 needs positive prices/);
    const before = s.column('close');
    addVolatility(s, { span: 2 });
    expect(s.column('close')).toEqual(before);
  });
});

describe('addLogVolume', () => {
  it('adds ln(volume) and refuses zero volume', () => {
    const s = Series.create({ timestamps: [0, DAY], columns: { volume: [1, Math.E ** 2] } });
    expect(Array.from(addLogVolume(s).column('logVolume'))).toEqual([0, 2]);
    expect(() => addLogVolume(Series.create({ timestamps: [0], columns: { volume: [0] } }))).toThrow(
      /needs a positive value, received 0/,
    );
    expect(addLogVolume(sp.slice(0, 2), { name: 'lv' }).column('lv')[0]).toBeCloseTo(Math.log(931800000), 12);
  });
});
