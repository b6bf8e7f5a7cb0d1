import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueEvents, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv, runWorker, type JobEvent, type QueueWorker } from '../../src/index.js';
import { QUEUE_NAME, QUEUE_PREFIX } from '../../src/queue/connection.js';
import { foldJob, JOB_SCHEMA, STOCKCAST_VERSION } from '../../src/queue/jobs.js';
import { dataKey, encodeSeries } from '../../src/queue/store.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';

const sp = (await readCsv('fixtures/sp500-2000.csv')).select(['close']).slice(-200);
const data = encodeSeries(sp);
const good = foldJob(
  data.hash,
  {
    spec: 'lstm',
    options: { lookback: 8, units: 4, epochs: 1 },
    task: { target: 'close', horizon: 1, targetKind: 'price' },
    threads: 1,
  },
  [{ origin: 190, trainStart: 0, refit: true }],
);
const withOptions = (o: Record<string, unknown>) => ({
  ...good,
  model: { ...good.model, options: { ...good.model.options, ...o } },
});
const dir = mkdtempSync(join(tmpdir(), 'stockcast-serve-'));
const cacheDir = join(dir, 'cache');

let redis: RedisServer;
let worker: QueueWorker;
let client: Redis;
let queue: Queue;
let events: QueueEvents;
const seen: JobEvent[] = [];
beforeAll(async () => {
  redis = await startRedis();
  client = new Redis({ port: redis.port });
  await client.set(dataKey(data.hash), Buffer.from(data.bytes));
  queue = new Queue(QUEUE_NAME, { prefix: QUEUE_PREFIX, connection: { port: redis.port } });
  events = new QueueEvents(QUEUE_NAME, { prefix: QUEUE_PREFIX, connection: { port: redis.port } });
  await events.waitUntilReady();
  worker = await runWorker({ queue: { connection: redis.url }, concurrency: 1, cacheDir, onJob: (e) => seen.push(e) });
});
afterAll(async () => {
  await worker?.close();
  await Promise.all([queue?.close(), events?.close()]);
  client?.disconnect();
  await redis?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Adds a raw job, as any Redis client could, and waits for its end. */
async function send(id: string, payload: unknown): Promise<Job> {
  const job = await queue.add('fold-group', payload, { jobId: id });
  await job.waitUntilFinished(events, 60_000).catch(() => undefined);
  return (await queue.getJob(id))!;
}

describe('a worker receiving jobs', () => {
  it('runs a good job: forecasts, its time and its name; the input is cached by hash in its folder only', async () => {
    const job = await send('good-1', good);
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toMatchObject({ worker: worker.name, forecasts: [[expect.any(Number)]] });
    expect(readdirSync(cacheDir)).toEqual(['queue-data']);
    expect(readdirSync(join(cacheDir, 'queue-data'))).toEqual([`${data.hash}.bin`]);
  });

  it('malformed jobs fail with a clear error in the results, the worker goes on, and no file is touched outside the cache', async () => {
    const cases: Array<[string, unknown, RegExp]> = [
      [
        'bad-path',
        { ...good, data: '../../../../tmp/stockcast-escape' },
        /"name":"ValidationError".*data: expected the SHA-256 hex digest/,
      ],
      ['bad-option', withOptions({ units: 'many' }), /"name":"ValidationError".*options of model \\"lstm\\": units/],
      ['unknown-option', withOptions({ file: '/etc/passwd' }), /Unrecognized key.*file/],
      ['not-json-object', 'rm -rf /', /refused a job of schema null/],
      ['no-data', { ...good, data: 'f'.repeat(64) }, /"name":"PersistenceError".*not in Redis/],
      ['lookback', withOptions({ lookback: 500 }), /"name":"DataError".*lookback 500/],
    ];
    for (const [id, payload, reason] of cases) {
      const job = await send(id, payload);
      expect(await job.getState(), id).toBe('failed');
      expect(job.failedReason, id).toMatch(reason);
      // Deterministic failures are not retried; missing data is (the submitter stores it again).
      expect(job.attemptsMade, id).toBe(1);
    }
    expect(existsSync('/tmp/stockcast-escape')).toBe(false);
    expect(readdirSync(join(cacheDir, 'queue-data'))).toEqual([`${data.hash}.bin`]);
    const after = await send('good-2', { ...good, group: [{ origin: 195, trainStart: 0, refit: true }] });
    expect(await after.getState()).toBe('completed');
  });

  it('bytes in Redis that do not match their hash are refused', async () => {
    const other = encodeSeries(sp.slice(0, 150));
    await client.set(dataKey(other.hash), Buffer.from(data.bytes));
    const job = await send('tampered', { ...good, data: other.hash });
    expect(job.failedReason).toMatch(/does not match its hash: refusing it/);
    expect(existsSync(join(cacheDir, 'queue-data', `${other.hash}.bin`))).toBe(false);
  });

  it('a job of another version is refused, naming both versions, and the worker says so', async () => {
    for (const schema of [JOB_SCHEMA + 1, JOB_SCHEMA - 1]) {
      const job = await send(`schema-${schema}`, { ...good, schema, stockcast: '0.0.1-other' });
      expect(await job.getState()).toBe('failed');
      const error = JSON.parse(job.failedReason) as { name: string; code: string; message: string };
      expect(error).toMatchObject({ name: 'QueueError', code: 'QUEUE_ERROR' });
      expect(error.message).toBe(
        `refused a job of schema ${schema} (stockcast 0.0.1-other, from the submitter): this worker runs stockcast ${STOCKCAST_VERSION} with job schema ${JOB_SCHEMA} (hint: run the same stockcast version on the submitting machine and on every worker)`,
      );
      expect(seen).toContainEqual(
        expect.objectContaining({
          type: 'refused',
          id: `schema-${schema}`,
          message: expect.stringMatching(/^refused a job of schema/),
        }),
      );
    }
  });
});
