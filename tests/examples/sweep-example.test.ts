import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorker, type QueueWorker } from '../../src/index.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';

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

describe('examples/sweep.ts', () => {
  it('sweeps locally, writes the report, and gives the same trials on a queue', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/sweep.ts'], {
      encoding: 'utf8',
      env: { ...process.env, STOCKCAST_FAST: '1', STOCKCAST_REDIS: redis.url },
      timeout: 180_000,
    });
    expect(stdout).toMatch(
      /^3 trials \(random search, objective rmse\), validation \d{4}-\d\d-\d\d \.\. \d{4}-\d\d-\d\d:$/m,
    );
    expect(
      stdout.match(
        /^ {2}trial \d: \{"units":\d+,"lookback":\d+,"learningRate":[\d.e-]+\} complete, validation RMSE [\d.]+$/gm,
      ),
    ).toHaveLength(3);
    expect(stdout).toMatch(/^best: trial \d/m);
    expect(stdout).toMatch(
      /^against the naive forecast: (beats|loses to|ties) \(Diebold-Mariano p-value \d\.\d{3}\)$/m,
    );
    expect(stdout).toMatch(
      /^strategy on the test span \(long-flat, 5 bps; not advice\): Sharpe -?[\d.]+, (DSR \d\.\d\d over 3 trials|no deflated Sharpe ratio: the strategy returns do not vary), percentile [\d.]+ among 1000 random signals$/m,
    );
    expect(stdout).toMatch(/^report: .*sweep\.html$/m);
    expect(stdout).toMatch(/^on the queue: 3 trials, the same as locally: true$/m);
  });
});
