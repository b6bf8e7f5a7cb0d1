import { afterAll, beforeAll, expect, it } from 'vitest';
import { readCsv } from '../../src/index.js';
import { runFoldTasks } from '../../src/backtest/fold-tasks.js';
import { runWorker } from '../../src/backtest/queue-worker.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';

let redis: RedisServer;
beforeAll(async () => (redis = await startRedis()));
afterAll(async () => redis?.dispose());

it('smoke', async () => {
  const sp = (await readCsv('fixtures/sp500-2000.csv')).select(['close']).slice(-300);
  const forecaster = { target: 'close', lookback: 10, units: 4, epochs: 2, threads: 1 as const };
  const tasks = [0, 1, 2].map((k) => ({ series: sp, forecaster: { ...forecaster, seed: k }, group: [{ origin: 250 + k * 10, trainStart: 0, refit: true }] }));
  const local = await runFoldTasks(tasks, { concurrency: 1 });
  const threads = await runFoldTasks(tasks, { concurrency: 2 });
  const events: string[] = [];
  const worker = await runWorker({ queue: { connection: redis.url }, concurrency: 2, onJob: (e) => events.push(`${e.type} ${e.message ?? ''}`) });
  const t0 = performance.now();
  const queued = await runFoldTasks(tasks, { concurrency: 1, queue: { connection: redis.url }, onProgress: (p) => events.push(JSON.stringify(p)) });
  console.log('queued in', performance.now() - t0);
  await worker.close();
  console.log(events.join('\n'));
  expect(threads).toEqual(local);
  expect(queued).toEqual(local);
  console.log(JSON.stringify(local));
});
