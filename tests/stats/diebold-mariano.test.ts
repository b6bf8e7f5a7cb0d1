import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DataError,
  ValidationError,
  dieboldMariano,
  dieboldMarianoLoss,
  dieboldMarianoPanel,
} from '../../src/index.js';

interface DmCase {
  name: string;
  e1: number[];
  e2: number[];
  h: number;
  power: number;
  statistic: number;
  pValue: number;
  fallback: boolean;
}
const ref = JSON.parse(readFileSync('fixtures/stats/dm-ref.json', 'utf8')) as { program: string; cases: DmCase[] };
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('dieboldMariano', () => {
  it('has R cases with every horizon, both powers, short series and the fallback', () => {
    expect(ref.program).toMatch(/^forecast 8\.\d+ dm\.test/);
    expect(new Set(ref.cases.map((c) => c.h))).toEqual(new Set([1, 2, 3, 4, 5, 10]));
    expect(new Set(ref.cases.map((c) => c.power))).toEqual(new Set([1, 1.5, 2]));
    expect(ref.cases.filter((c) => c.fallback).length).toBeGreaterThanOrEqual(3);
    expect(Math.min(...ref.cases.map((c) => c.e1.length))).toBe(3);
  });

  it.each(ref.cases.map((c) => [c.name, c] as const))("%s: equals R's forecast::dm.test", (_, c) => {
    const t = dieboldMariano(c.e1, c.e2, { horizon: c.h, power: c.power });
    expect(rel(t.statistic, c.statistic)).toBeLessThan(1e-10);
    expect(rel(t.pValue, c.pValue)).toBeLessThan(1e-9);
    expect(t.fallback).toBe(c.fallback);
    expect(t.observations).toBe(c.e1.length);
    // The same test on the loss differentials.
    const d = c.e1.map((e, i) => Math.abs(e) ** c.power - Math.abs(c.e2[i]) ** c.power);
    expect(dieboldMarianoLoss(d, { horizon: c.h })).toEqual(t);
  });

  it('is antisymmetric in the two forecasts and defaults to horizon 1, squared error', () => {
    const c = ref.cases.find((x) => x.h === 1 && x.power === 2 && x.e1.length === 40)!;
    const ab = dieboldMariano(c.e1, c.e2);
    const ba = dieboldMariano(c.e2, c.e1);
    expect(ab.statistic).toBeCloseTo(-ba.statistic, 12);
    expect(ab.pValue).toBeCloseTo(ba.pValue, 12);
    expect(ab.statistic).toBeCloseTo(c.statistic, 10);
  });

  it('refuses unequal lengths, a horizon past the data, constant differentials and bad options', () => {
    expect(() => dieboldMariano([1, 2, 3], [1, 2])).toThrow(/one length, received 3 and 2/);
    expect(() => dieboldMariano([1, 2, 3], [2, 1, 4], { horizon: 4 })).toThrow(/horizon 4 exceeds the 3/);
    expect(() => dieboldMarianoLoss([0.5, 0.5, 0.5])).toThrow(DataError);
    expect(() => dieboldMarianoLoss([0.5, Number.NaN])).toThrow(/finite/);
    expect(() => dieboldMariano([1, 2], [2, 1], { power: 0 })).toThrow(ValidationError);
    expect(() => dieboldMarianoLoss([1, 2], { lag: 1 } as never)).toThrow(ValidationError);
  });
});

describe('dieboldMarianoPanel', () => {
  it('averages the differentials of the symbols present at each date, in any input order', () => {
    const rows = [
      { symbol: 'A', timestamp: 3, differential: 0.3 },
      { symbol: 'A', timestamp: 1, differential: -0.2 },
      { symbol: 'B', timestamp: 1, differential: 0.1 },
      { symbol: 'B', timestamp: 2, differential: -0.5 },
      { symbol: 'A', timestamp: 4, differential: -0.4 },
      { symbol: 'B', timestamp: 4, differential: -0.1 },
      { symbol: 'C', timestamp: 4, differential: -0.3 },
      { symbol: 'C', timestamp: 5, differential: 0.05 },
    ];
    const means = [(-0.2 + 0.1) / 2, -0.5, 0.3, (-0.4 - 0.1 - 0.3) / 3, 0.05];
    const t = dieboldMarianoPanel(rows, { horizon: 2 });
    expect(t.timestamps).toEqual([1, 2, 3, 4, 5]);
    expect(t.differentials).toBe(8);
    const { statistic, pValue, fallback, observations } = dieboldMarianoLoss(means, { horizon: 2 });
    expect(t.statistic).toBeCloseTo(statistic, 14);
    expect(t.pValue).toBeCloseTo(pValue, 14);
    expect(t.fallback).toBe(fallback);
    expect(t.observations).toBe(observations);
  });

  it('on one symbol equals the single-series test (checked against R through the same differentials)', () => {
    const c = ref.cases.find((x) => x.h === 3 && x.e1.length === 150 && x.power === 2)!;
    const rows = c.e1.map((e, i) => ({ timestamp: 1000 + i, differential: e * e - c.e2[i] * c.e2[i] }));
    const t = dieboldMarianoPanel(rows.reverse(), { horizon: 3 });
    expect(rel(t.statistic, c.statistic)).toBeLessThan(1e-10);
    expect(rel(t.pValue, c.pValue)).toBeLessThan(1e-9);
  });

  it('refuses non-finite rows and fewer than two dates', () => {
    expect(() => dieboldMarianoPanel([{ timestamp: 1, differential: Number.NaN }])).toThrow(
      /finite timestamp and differential/,
    );
    expect(() =>
      dieboldMarianoPanel([
        { timestamp: 1, differential: 0.1 },
        { timestamp: 1, differential: 0.2 },
      ]),
    ).toThrow(/at least 2 values, received 1/);
  });
});
