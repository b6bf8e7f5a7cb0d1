import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readCsv, runWorker, ThreadStartError, type JobEvent } from '../../src/index.js';
import { QUEUE_NAME, QUEUE_PREFIX } from '../../src/queue/connection.js';
import { foldJob } from '../../src/queue/jobs.js';
import { dataKey, encodeSeries } from '../../src/queue/store.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';

// A worker on a machine whose training threads cannot start (a damaged install; injected here by making every
// task thread throw as it loads) hands its jobs back to the queue and closes, instead of failing them; a healthy
// worker then does them. A real redis-server.
const sp = (await readCsv('fixtures/sp500-2000.csv')).select(['close']).slice(-200);
const data = encodeSeries(sp);
const model = {
  spec: 'lstm',
  options: { lookback: 8, units: 4, epochs: 1 },
  task: { target: 'close', horizon: 1, targetKind: 'price' as const },
  threads: 1,
};
const job = (origin: number) => foldJob(data.hash, model, [{ origin, trainStart: 0, refit: true }]);

let redis: RedisServer;
let client: Redis;
let queue: Queue;
let events: QueueEvents;
beforeAll(async () => {
  redis = await startRedis();
  client = new Redis({ port: redis.port });
  await client.set(dataKey(data.hash), Buffer.from(data.bytes));
  queue = new Queue(QUEUE_NAME, { prefix: QUEUE_PREFIX, connection: { port: redis.port } });
  events = new QueueEvents(QUEUE_NAME, { prefix: QUEUE_PREFIX, connection: { port: redis.port } });
  await events.waitUntilReady();
});
afterEach(() => delete process.env.STOCKCAST_TEST_TASK_FAULT);
afterAll(async () => {
  await Promise.all([queue?.close(), events?.close()]);
  client?.disconnect();
  await redis?.dispose();
});

describe('a worker whose threads cannot start', () => {
  it('stops taking jobs with one broken event; its jobs go back to the queue, unfailed, and a healthy worker does them', async () => {
    process.env.STOCKCAST_TEST_TASK_FAULT = 'start';
    const seen: JobEvent[] = [];
    const broken = await runWorker({ queue: { connection: redis.url }, concurrency: 2, onJob: (e) => seen.push(e) });
    const ids = ['a', 'b', 'c'];
    for (const [i, id] of ids.entries()) await queue.add('fold-group', job(190 + i), { jobId: id });
    const reason = await broken.broken;
    expect(reason).toBeInstanceOf(ThreadStartError);
    expect(reason.message).toMatch(
      /^helper threads cannot start \(3 attempts in a row\): a training thread failed: injected start fault/,
    );
    // One clear line, no failed job; every job it took came back.
    const lines = seen.filter((e) => e.type === 'broken');
    expect(lines).toHaveLength(1);
    expect(lines[0].message).toMatch(
      /^this worker cannot run jobs: helper threads cannot start .*; it takes no more and puts the jobs it held back in the queue$/,
    );
    expect(seen.filter((e) => e.type === 'failed')).toEqual([]);
    const taken = seen.filter((e) => e.type === 'start').map((e) => e.id);
    expect(taken.length).toBeGreaterThan(0);
    expect(
      seen
        .filter((e) => e.type === 'returned')
        .map((e) => e.id)
        .sort(),
    ).toEqual([...taken].sort());
    for (const id of ids) {
      const j = (await queue.getJob(id))!;
      expect(await j.getState(), id).toBe('waiting');
      expect(j.attemptsMade, id).toBe(0);
      expect(j.failedReason, id).toBeUndefined();
    }
    // It took nothing after closing: a job added now stays waiting until a healthy worker comes.
    await queue.add('fold-group', job(195), { jobId: 'd' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await (await queue.getJob('d'))!.getState()).toBe('waiting');
    delete process.env.STOCKCAST_TEST_TASK_FAULT;
    const healthy = await runWorker({ queue: { connection: redis.url }, concurrency: 1 });
    try {
      for (const id of [...ids, 'd']) {
        const j = (await queue.getJob(id))!;
        await j.waitUntilFinished(events, 60_000);
        expect(await (await queue.getJob(id))!.getState(), id).toBe('completed');
      }
    } finally {
      await healthy.close();
      await broken.close();
    }
  });
});
