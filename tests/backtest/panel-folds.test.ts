import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorker, walkForwardPanel, type QueueWorker } from '../../src/index.js';
import { liveJobThreads } from '../../src/jobs/pool.js';
import {
  packPanelForecasts,
  panelAsSeries,
  seriesAsPanel,
  unpackPanelForecasts,
  type PanelForecast,
} from '../../src/backtest/panel-folds.js';
import { syntheticPanel } from '../helpers/panels.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';

// Ragged starts, delistings and gaps: the dates differ by symbol.
const panel = syntheticPanel({ symbols: 4, days: 160, seed: 11, gapRate: 0.02, columns: ['close', 'volume'] });
const recurrent = { lookback: 8, units: 8, epochs: 2, batchSize: 16, seed: 1, engine: 'fused' as const, threads: 1 };
const options = { testSize: 12, step: 2, horizon: 2, refit: 2, forecaster: recurrent } as const;

describe('a panel as one series (how a global model refit group travels)', () => {
  it('round-trips every symbol: its own dates, columns and values, in the panel order', () => {
    const wide = panelAsSeries(panel);
    expect(wide.length).toBe(panel.unionRef().length);
    const back = seriesAsPanel(wide);
    expect(back.symbols).toEqual(panel.symbols);
    for (const symbol of panel.symbols) {
      const [a, b] = [panel.get(symbol), back.get(symbol)];
      expect(Array.from(b.timestamps)).toEqual(Array.from(a.timestamps));
      expect(b.columns).toEqual(a.columns);
      for (const c of a.columns) expect(Array.from(b.columnRef(c))).toEqual(Array.from(a.columnRef(c)));
    }
  });

  it('packs forecasts with and without quantiles and unpacks them exactly', () => {
    const task = { target: 'close', horizon: 2, targetKind: 'price' as const, quantiles: [0.1, 0.9] };
    const withQ: Array<Map<string, PanelForecast>> = [
      new Map([
        ['S002', { row: 40, values: [1.5, 2.5], quantiles: [1, 2, 3, 4] }],
        ['S000', { row: 99, values: [-1, 0.25], quantiles: [5, 6, 7, 8] }],
      ]),
      new Map(),
    ];
    expect(unpackPanelForecasts(panel, packPanelForecasts(panel, withQ, task), task)).toEqual(withQ);
    const plain = [new Map([['S001', { row: 7, values: [3, 4] }]])];
    expect(unpackPanelForecasts(panel, packPanelForecasts(panel, plain, task), task)).toEqual(plain);
  });
});

describe('panel backtests on worker threads', () => {
  it('a global model refit group by group on worker threads gives the forecasts and fits of this thread', async () => {
    const here = await walkForwardPanel(panel, 'lstm', { ...options, concurrency: 1 });
    expect(here.fits.length).toBeGreaterThan(2);
    const threads = await walkForwardPanel(panel, 'lstm', { ...options, concurrency: 2 });
    expect(threads.points).toEqual(here.points);
    expect(threads.fits).toEqual(here.fits);
    expect(liveJobThreads()).toBe(0);
  });

  it("a learned model run per symbol sends every symbol's refit groups to the threads, with the same numbers", async () => {
    await import('../helpers/models/seasonal-drift.js');
    const counter = globalThis as { seasonalDriftFits?: number };
    counter.seasonalDriftFits = 0;
    const here = await walkForwardPanel(panel, 'seasonal-drift:5', { ...options, concurrency: 1 });
    const fits = counter.seasonalDriftFits;
    expect(fits).toBeGreaterThan(panel.size);
    const threads = await walkForwardPanel(panel, 'seasonal-drift:5', { ...options, concurrency: 2 });
    // The parallel run's fits happened in worker threads, none here.
    expect(counter.seasonalDriftFits).toBe(fits);
    expect(threads.points).toEqual(here.points);
    expect(liveJobThreads()).toBe(0);
  });
});

describe('panel backtests on a queue', () => {
  let redis: RedisServer;
  let worker: QueueWorker;
  beforeAll(async () => {
    redis = await startRedis();
    worker = await runWorker({ queue: { connection: redis.url }, concurrency: 1 });
  });
  afterAll(async () => {
    await worker?.close();
    await redis?.dispose();
  });

  it('a global model refit group by group as queue jobs gives the forecasts and fits of this thread', async () => {
    const here = await walkForwardPanel(panel, 'lstm', { ...options, concurrency: 1 });
    const queued = await walkForwardPanel(panel, 'lstm', { ...options, queue: { connection: redis.url } });
    expect(queued.points).toEqual(here.points);
    expect(queued.fits).toEqual(here.fits);
  });

  it('a sliding window and quantiles travel with the job', async () => {
    const sliding = {
      ...options,
      window: 'sliding' as const,
      trainLength: 60,
      quantiles: [0.1, 0.9],
      forecaster: { ...recurrent, quantiles: [0.1, 0.9] },
    };
    const here = await walkForwardPanel(panel, 'lstm', { ...sliding, concurrency: 1 });
    const queued = await walkForwardPanel(panel, 'lstm', { ...sliding, queue: { connection: redis.url } });
    expect(queued.points).toEqual(here.points);
    expect(queued.quantiles).toEqual(here.quantiles);
    expect(here.quantiles).toBeDefined();
  });
});
