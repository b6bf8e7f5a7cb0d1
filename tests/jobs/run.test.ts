import { getEventListeners } from 'node:events';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createForecaster,
  readCsv,
  type Series,
  StockcastError,
  ValidationError,
  walkForward,
} from '../../src/index.js';
import { liveJobThreads } from '../../src/jobs/pool.js';
import { runGroupsOnThreads } from '../../src/jobs/run.js';
import { forecastGroup, planFolds, refitGroups, type ModelJob } from '../../src/backtest/folds.js';
import { shareCores } from '../../src/models/engines/threads.js';

let sp: Series;
beforeAll(async () => {
  sp = (await readCsv('fixtures/sp500-2000.csv')).select(['close']).slice(-160);
});
afterEach(() => delete process.env.STOCKCAST_TEST_TASK_FAULT);
// Four refit groups, two workers; the first group is the one that fails.
const options = {
  testSize: 8,
  refit: 2,
  concurrency: 2,
  forecaster: { lookback: 8, epochs: 40, units: 16, validation: 0, seed: 1 },
} as const;

async function failing(kind: string): Promise<{ error: StockcastError; ms: number }> {
  process.env.STOCKCAST_TEST_TASK_FAULT = `${kind}:0`;
  const started = performance.now();
  const error = await walkForward(sp, 'lstm', options).then(
    () => undefined,
    (e: StockcastError) => e,
  );
  expect(error, kind).toBeInstanceOf(StockcastError);
  return { error: error!, ms: performance.now() - started };
}

describe('backtest refits on the job pool', () => {
  it('a worker that exits: a typed error at once, every other worker terminated', async () => {
    const { error, ms } = await failing('exit');
    expect(error.code).toBe('BACKEND_ERROR');
    expect(error.message).toMatch(/a training thread exited unexpectedly \(exit code 3\)/);
    // The other worker was still training its group; it is stopped, not left running.
    expect(ms).toBeLessThan(15_000);
    expect(liveJobThreads()).toBe(0);
  });

  it('an exception outside the reply path surfaces as a typed error', async () => {
    const { error } = await failing('throw');
    expect(error.message).toMatch(/a training thread failed: injected fault/);
    expect(liveJobThreads()).toBe(0);
  });

  it('a ValidationError keeps its class, code and issues across the boundary', async () => {
    const { error } = await failing('validation');
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect((error as ValidationError).issues).toEqual([{ path: 'units', message: 'injected fault' }]);
    expect(error.message).toMatch(/^fold group 1 of 4: invalid forecaster options: units: injected fault/);
    expect(liveJobThreads()).toBe(0);
  });

  it('an abort stops every worker and removes its listener', async () => {
    const controller = new AbortController();
    const run = walkForward(sp, 'lstm', {
      ...options,
      forecaster: { ...options.forecaster, signal: controller.signal },
    });
    setTimeout(() => controller.abort(), 300);
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
    expect(liveJobThreads()).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // A run that completes leaves no listener on the caller's signal either.
    const kept = new AbortController();
    await walkForward(sp, 'lstm', {
      ...options,
      testSize: 4,
      forecaster: { ...options.forecaster, epochs: 1, signal: kept.signal },
    });
    expect(getEventListeners(kept.signal, 'abort')).toHaveLength(0);
  });

  it('folds x threads share the cores, and a fold worker training on several threads gives the same bits', async () => {
    // On this machine shareCores gives each of 2 parallel folds one thread; on a bigger one each fold worker trains
    // on several threads itself. Both must equal the serial run on one thread.
    expect(shareCores(2, 'auto', 16)).toEqual({ jobs: 2, threads: 8 });
    expect(shareCores(8, 'auto', 2)).toEqual({ jobs: 2, threads: 1 });
    expect(shareCores(2, 3, 16)).toEqual({ jobs: 2, threads: 3 });
    const groups = refitGroups(planFolds(sp.length, { horizon: 1, testSize: 4, window: 'expanding', refit: 2 }).folds);
    // Batches of 128 windows of 30 steps into an LSTM(48): ~230 MFLOP each, enough to split over two threads.
    const forecaster = { lookback: 30, epochs: 2, units: 48, batchSize: 128, validation: 0, seed: 5 } as const;
    const job = (threads: number): ModelJob => ({
      spec: 'lstm',
      options: forecaster,
      task: { target: 'close', horizon: 1, targetKind: 'price' },
      threads,
    });
    const probe = await createForecaster({ ...forecaster, cell: 'lstm', target: 'close', threads: 2 }).fit(
      sp.slice(0, groups[0][0].origin),
    );
    expect(probe.training!.run).toMatchObject({ engine: 'fused', threads: 2 });
    probe.dispose();
    const serial: number[][][] = [];
    for (const g of groups) serial.push(await forecastGroup(sp, job(1), g));
    const nested = await runGroupsOnThreads(
      groups.map((group, i) => ({ series: sp, job: job(2), group, place: `fold group ${i + 1}` })),
      { concurrency: 2 },
    );
    expect(nested).toEqual(serial);
    expect(liveJobThreads()).toBe(0);
  });
});
