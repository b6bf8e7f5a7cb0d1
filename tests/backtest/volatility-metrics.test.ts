import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError, mseLog, qlike, ValidationError, volatilityMetrics } from '../../src/index.js';

type Case = {
  targetKind: 'variance' | 'volatility';
  actual: number[];
  forecast: number[];
  qlike: number;
  mseLog: number;
};
const ref = JSON.parse(readFileSync('fixtures/realized/metrics-ref.json', 'utf8')) as { cases: Case[] };

describe('qlike and mseLog against numpy (scripts/volatility_metrics_ref.py)', () => {
  it.each(ref.cases.map((c) => [`${c.targetKind}, ${c.actual.length} values`, c] as const))('%s', (_, c) => {
    expect(Math.abs(qlike(c.actual, c.forecast, { targetKind: c.targetKind }) - c.qlike)).toBeLessThan(
      1e-13 * Math.max(1, c.qlike),
    );
    expect(Math.abs(mseLog(c.actual, c.forecast, { targetKind: c.targetKind }) - c.mseLog)).toBeLessThan(
      1e-13 * Math.max(1, c.mseLog),
    );
    const points = c.actual.map((actual, i) => ({
      timestamp: i,
      step: 0,
      actual,
      predicted: c.forecast[i],
      lastKnown: actual,
      originTimestamp: i,
    }));
    const m = volatilityMetrics(points, { targetKind: c.targetKind });
    expect(m.count).toBe(c.actual.length);
    expect(m.qlike).toBe(qlike(c.actual, c.forecast, { targetKind: c.targetKind }));
  });
});

describe('qlike and mseLog', () => {
  it('are 0 for perfect forecasts and punish forecasts that are too low more than too high (QLIKE)', () => {
    expect(qlike([1e-4, 2e-4], [1e-4, 2e-4])).toBe(0);
    expect(mseLog([3], [3])).toBe(0);
    expect(qlike([2e-4], [1e-4])).toBeGreaterThan(qlike([1e-4], [2e-4]));
    expect(mseLog([2e-4], [1e-4])).toBeCloseTo(mseLog([1e-4], [2e-4]), 15);
  });

  it('a volatility is squared first', () => {
    expect(qlike([2], [1], { targetKind: 'volatility' })).toBeCloseTo(qlike([4], [1]), 15);
    expect(mseLog([2], [1], { targetKind: 'volatility' })).toBeCloseTo(4 * Math.log(2) ** 2, 15);
  });

  it('do not mutate their inputs', () => {
    const a = [1, 2];
    const f = [2, 1];
    qlike(a, f);
    mseLog(a, f);
    expect([a, f]).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });

  it('refuse values they cannot take a log of, and mismatched lengths', () => {
    expect(() => qlike([1e-4, 0], [1e-4, 1e-4])).toThrow(DataError);
    expect(() => qlike([1e-4, 0], [1e-4, 1e-4])).toThrow(
      /realized value 1 is 0: QLIKE and log MSE need positive variances/,
    );
    expect(() => mseLog([1], [-1], { targetKind: 'volatility' })).toThrow(
      /forecast 0 is -1: QLIKE and log MSE need positive volatilities/,
    );
    expect(() => qlike([1, 2], [1])).toThrow(
      /expected as many forecasts as realized values: received 1 forecasts for 2 values/,
    );
    expect(() => qlike([], [])).toThrow(/at least one forecast/);
    expect(() => qlike([1], [1], { targetKind: 'price' as 'variance' })).toThrow(ValidationError);
  });
});
