import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  QueueError,
  readCsv,
  readPanelCsv,
  runWorker,
  StockcastError,
  sweep,
  walkForward,
  type QueueWorker,
  type SweepOptions,
} from '../../src/index.js';
import { runFoldTasks, type FoldTask } from '../../src/jobs/run.js';
import { QUEUE_NAME, QUEUE_PREFIX } from '../../src/queue/connection.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';

const SECRET = 'correct horse battery staple';
const sp = (await readCsv('fixtures/sp500-2000.csv')).select(['close']).slice(-260);
const base = { lookback: 8, units: 4, epochs: 2 };
const lstm = (options: Record<string, unknown>): FoldTask['job'] => ({
  spec: 'lstm',
  options: { ...base, ...options },
  task: { target: 'close', horizon: 1, targetKind: 'price' },
  threads: 1,
});
// Three tasks, two of them equal: equal work is one job.
const tasks: FoldTask[] = [
  { series: sp, job: lstm({ seed: 1 }), group: [{ origin: 240, trainStart: 0, refit: true }] },
  {
    series: sp,
    job: lstm({ seed: 2 }),
    group: [
      { origin: 245, trainStart: 0, refit: true },
      { origin: 250, trainStart: 0, refit: false },
    ],
  },
  { series: sp, job: lstm({ seed: 1 }), group: [{ origin: 240, trainStart: 0, refit: true }] },
];

let redis: RedisServer;
let worker: QueueWorker;
const done: string[] = [];
beforeAll(async () => {
  redis = await startRedis({ password: SECRET });
  worker = await runWorker({
    queue: { connection: redis.url },
    concurrency: 1,
    onJob: (e) => e.type === 'done' && done.push(e.id!),
  });
});
afterAll(async () => {
  await worker?.close();
  await redis?.dispose();
});

/** Every string Redis holds: keys, string values, hash fields and values, stream entries, set members. */
async function everything(client: Redis): Promise<string> {
  const out: string[] = [];
  for (const key of await client.keys('*')) {
    out.push(key);
    const type = await client.type(key);
    if (type === 'string') out.push((await client.getBuffer(key))!.toString('latin1'));
    else if (type === 'hash') out.push(JSON.stringify(await client.hgetall(key)));
    else if (type === 'stream') out.push(JSON.stringify(await client.xrange(key, '-', '+')));
    else if (type === 'zset') out.push(JSON.stringify(await client.zrange(key, 0, -1)));
    else if (type === 'list') out.push(JSON.stringify(await client.lrange(key, 0, -1)));
    else if (type === 'set') out.push(JSON.stringify(await client.smembers(key)));
  }
  return out.join('\n');
}

describe('jobs on a queue', () => {
  it('give the numbers of a local run; equal tasks run once; the input is stored once; no secret reaches Redis', async () => {
    const local = await runFoldTasks(tasks, { concurrency: 1 });
    const progress: number[] = [];
    const queued = await runFoldTasks(tasks, {
      concurrency: 1,
      queue: { connection: redis.url },
      onProgress: (p) => progress.push(p.done),
    });
    const values = (r: typeof local) => r.map((o) => (o.ok ? o.value : o.error.message));
    expect(values(queued)).toEqual(values(local));
    expect(queued.every((o) => o.ok && o.worker === worker.name && o.ms > 0)).toBe(true);
    expect(progress.at(-1)).toBe(3);
    expect(new Set(done).size).toBe(2);
    expect(done).toHaveLength(2);
    const client = new Redis({ port: redis.port, password: SECRET });
    try {
      expect(await client.keys('stockcast-data:*')).toHaveLength(1);
      // Finished jobs are removed after their results are read.
      expect(await new Queue(QUEUE_NAME, { prefix: QUEUE_PREFIX, connection: client }).getJobCounts()).toMatchObject({
        waiting: 0,
        active: 0,
        completed: 0,
        failed: 0,
      });
      const all = await everything(client);
      expect(all).toContain('stockcast-data:');
      expect(all).not.toContain(SECRET);
      expect(all).not.toContain(encodeURIComponent(SECRET));
    } finally {
      client.disconnect();
    }
  });

  it('a failed job is an outcome with its error class and message; with stopOnError, the run throws it', async () => {
    const bad: FoldTask[] = [
      tasks[0],
      { series: sp, job: lstm({ lookback: 300 }), group: [{ origin: 250, trainStart: 0, refit: true }] },
    ];
    const outcomes = await runFoldTasks(bad, { concurrency: 1, queue: { connection: redis.url } });
    expect(outcomes[0].ok).toBe(true);
    const failed = outcomes[1] as { ok: false; error: StockcastError };
    expect(failed.error.name).toBe('DataError');
    expect(failed.error.code).toBe('DATA_ERROR');
    expect(failed.error.message).toMatch(/lookback 300 \+ horizon 1 needs 301 training rows/);
    await expect(
      runFoldTasks(bad, { concurrency: 1, queue: { connection: redis.url }, stopOnError: true }),
    ).rejects.toThrow(/needs 301 training rows/);
  });
});

describe('a backtest on a queue', () => {
  it('walkForward with queue: the refit groups are jobs, the folds and metrics those of a local run', async () => {
    const options = { testSize: 12, refit: 4, forecaster: { lookback: 8, units: 3, epochs: 2 } };
    const ticks: number[] = [];
    const [local, queued] = [
      await walkForward(sp, 'gru', { ...options, concurrency: 1 }),
      await walkForward(sp, 'gru', {
        ...options,
        queue: { connection: redis.url },
        onFold: ({ fold }) => ticks.push(fold),
      }),
    ];
    expect(queued.folds).toEqual(local.folds);
    expect(queued.metrics).toEqual(local.metrics);
    expect(ticks).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    await expect(
      walkForward(sp, 'gru', { ...options, forecaster: { lookback: 300 }, queue: { connection: redis.url } }),
    ).rejects.toThrow(/^fold group 1 of 3: lookback 300 \+ horizon 1 needs 301 training rows/);
  });
});

describe('per-symbol fits of a panel on a queue', () => {
  it('a panel sweep sends one job per symbol and fold, stores each symbol once, and equals the local sweep', async () => {
    const stocks = (await readPanelCsv('fixtures/stocks.csv')).select(['MSFT', 'IBM', 'AAPL']);
    const o: SweepOptions = {
      space: { units: [2, 3] },
      search: 'grid',
      testSize: 10,
      validationSize: 10,
      folds: 1,
      forecaster: { epochs: 2, lookback: 6 },
      concurrency: 1,
    };
    const before = done.length;
    const [local, queued] = [
      await sweep(stocks, 'lstm', o),
      await sweep(stocks, 'lstm', { ...o, queue: { connection: redis.url } }),
    ];
    const same = (r: typeof local) =>
      JSON.stringify([
        r.trials.map(({ timeMs: _, ...t }) => t),
        r.best.test,
        Object.values(r.best.bySymbol!).map((b) => b.points),
      ]);
    expect(same(queued)).toBe(same(local));
    // 2 trials x 3 symbols x 1 fold, then 3 test jobs.
    expect(done.length - before).toBe(9);
    const client = new Redis({ port: redis.port, password: SECRET });
    try {
      // Two series for each symbol (validation rows, all rows), plus the input of the first test.
      expect(await client.keys('stockcast-data:*')).toHaveLength(7);
    } finally {
      client.disconnect();
    }
  });
});

describe('cancelling and losing Redis', () => {
  it('cancel removes the jobs still queued and says so', async () => {
    const other = await startRedis();
    const controller = new AbortController();
    try {
      const run = runFoldTasks(tasks, {
        concurrency: 1,
        queue: { connection: other.url },
        signal: controller.signal,
        onProgress: (p) => p.total > 0 && controller.abort(),
      });
      const e = await run.then(
        () => expect.fail('no error'),
        (x: unknown) => x as StockcastError,
      );
      expect(e).toBeInstanceOf(StockcastError);
      expect(e.code).toBe('ABORTED');
      expect(e.message).toMatch(/^interrupted: 2 queued jobs removed, 0 running/);
      const client = new Redis({ port: other.port });
      const counts = await new Queue(QUEUE_NAME, { prefix: QUEUE_PREFIX, connection: client }).getJobCounts();
      client.disconnect();
      expect(counts.waiting + counts.active + counts.delayed).toBe(0);
    } finally {
      await other.dispose();
    }
  });

  it('Redis gone for good: a QueueError after reconnectMs, not a hang', async () => {
    const other = await startRedis();
    let stopped: Promise<void> | undefined;
    const started = Date.now();
    const e = await runFoldTasks(tasks, {
      concurrency: 1,
      queue: { connection: other.url, reconnectMs: 2000 },
      onProgress: () => (stopped ??= other.stop()),
    }).then(
      () => expect.fail('no error'),
      (x: unknown) => x as QueueError,
    );
    await other.dispose();
    expect(e).toBeInstanceOf(QueueError);
    expect(e.message).toMatch(/Redis did not answer for \d+ s \(reconnectMs 2000\).*2 of 2 jobs unfinished/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
