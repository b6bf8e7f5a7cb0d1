import { describe, expect, it } from 'vitest';
import { futureTimestamps, inferFrequency } from '../../src/index.js';

const DAY = 86_400_000;
const iso = (ts: Float64Array) => Array.from(ts, (t) => new Date(t).toISOString().slice(0, 10));

describe('inferFrequency', () => {
  it('classifies typical spacings', () => {
    const business = Float64Array.from([4, 5, 6, 7, 8, 11, 12, 13, 14, 15].map((d) => Date.UTC(2024, 0, d)));
    expect(inferFrequency(business).frequency).toBe('daily');
    expect(inferFrequency(Float64Array.of(0, 7 * DAY, 14 * DAY)).frequency).toBe('weekly');
    expect(inferFrequency(Float64Array.from([0, 1, 2, 3].map((m) => Date.UTC(2024, m, 1)))).frequency).toBe('monthly');
    expect(inferFrequency(Float64Array.of(0, 60_000, 120_000))).toEqual({ frequency: 'intraday', stepMs: 60_000 });
    expect(inferFrequency(Float64Array.of(0)).frequency).toBe('irregular');
  });
});

describe('futureTimestamps', () => {
  it('skips weekends for daily data', () => {
    const friday = Date.UTC(2024, 0, 5);
    expect(iso(futureTimestamps(friday, { frequency: 'daily', stepMs: DAY, steps: 3 }))).toEqual(['2024-01-08', '2024-01-09', '2024-01-10']);
  });
  it('steps weeks, calendar months and intraday steps', () => {
    expect(iso(futureTimestamps(Date.UTC(2021, 7, 22), { frequency: 'weekly', stepMs: 7 * DAY, steps: 2 }))).toEqual(['2021-08-29', '2021-09-05']);
    expect(iso(futureTimestamps(Date.UTC(2024, 0, 31), { frequency: 'monthly', stepMs: 30 * DAY, steps: 2 }))).toEqual(['2024-02-29', '2024-03-31']);
    expect(Array.from(futureTimestamps(0, { frequency: 'intraday', stepMs: 60_000, steps: 2 }))).toEqual([60_000, 120_000]);
  });
});
