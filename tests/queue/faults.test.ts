import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv, sweep, type SweepOptions, type SweepResult } from '../../src/index.js';
import { doneJobs, startCli, type CliProcess } from '../helpers/processes.js';
import { startRedis, TEST_CA, TEST_CA_FILE, type RedisServer } from '../helpers/redis.js';

// Real processes against a real redis-server (TLS, with a password): workers are `stockcast worker` processes.
const SECRET = 's3cret/with@signs';
const sp = (await readCsv('fixtures/sp500-2000.csv')).select(['close']).slice(-320);
const options: SweepOptions = {
  space: { units: [3, 4], lookback: { min: 5, max: 12 } },
  trials: 4,
  testSize: 24,
  validationSize: 24,
  folds: 2,
  forecaster: { epochs: 3 },
  seed: 7,
};
// One slow job per span (about 1.5 s each here): long enough to signal a worker while it trains.
const slow: SweepOptions = {
  ...options,
  space: { units: [32] },
  trials: 1,
  folds: 1,
  forecaster: { lookback: 20, epochs: 60, earlyStopping: false },
};
const strip = (r: SweepResult) =>
  JSON.stringify({
    trials: r.trials.map(({ timeMs: _, ...t }) => t),
    best: { ...r.best, backtest: r.best.backtest!.points },
  });

let redis: RedisServer;
let reference: SweepResult;
const workers: CliProcess[] = [];
const env = { NODE_EXTRA_CA_CERTS: TEST_CA_FILE };
const queue = () => ({
  connection: { host: '127.0.0.1', port: redis.port, password: SECRET, tls: { ca: TEST_CA } },
  reconnectMs: 60_000,
});
const worker = async (...args: string[]) => {
  const w = startCli(
    ['worker', '--redis', redis.url, '--concurrency', '1', '--lock-ms', '2000', '--verbose', ...args],
    env,
  );
  workers.push(w);
  await w.waitFor(/stockcast worker .* on rediss:\/\/127\.0\.0\.1:\d+\/0, concurrency 1/);
  return w;
};

beforeAll(async () => {
  redis = await startRedis({ password: SECRET, tls: true });
  reference = await sweep(sp, 'lstm', { ...options, concurrency: 1 });
});
afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await redis?.dispose();
});

describe('faults, with real processes', () => {
  it('a worker killed mid-job (SIGKILL): its job goes to another worker, every job is done once, the sweep equals the local one', async () => {
    const [a, b] = await Promise.all([worker(), worker()]);
    const run = sweep(sp, 'lstm', { ...options, queue: queue() });
    const started = await a.waitFor(/job \S+ started/);
    a.child.kill('SIGKILL');
    const killedJob = /job (\S+) started/.exec(started)![1];
    const result = await run;
    expect(strip(result)).toBe(strip(reference));
    expect(result.trials.map((t) => t.status)).toEqual(['complete', 'complete', 'complete', 'complete']);
    const byA = doneJobs(a);
    const byB = doneJobs(b);
    expect(byA).not.toContain(killedJob);
    expect(byB).toContain(killedJob);
    expect(new Set([...byA, ...byB]).size).toBe(byA.length + byB.length);
    // No worker printed the password, whatever its encoding.
    for (const w of [a, b]) {
      const log = w.lines.join('\n');
      expect(log).not.toContain(SECRET);
      expect(log).not.toContain(encodeURIComponent(SECRET));
    }
  });

  it('Redis restarted mid-sweep (without persistence): submitter and worker reconnect, lost jobs and data are sent again, the results are the same', async () => {
    const b = workers[1];
    let finished = false;
    const from = b.lines.length;
    const run = sweep(sp, 'lstm', { ...options, queue: queue() }).finally(() => (finished = true));
    await b.waitFor(/job \S+ done in/, { from });
    await redis.restart();
    expect(finished).toBe(false);
    const result = await run;
    expect(strip(result)).toBe(strip(reference));
    await b.waitFor(/lost Redis at rediss:\/\/127\.0\.0\.1:\d+\/0; reconnecting/, { from });
    await b.waitFor(/reconnected to Redis at rediss:\/\/127\.0\.0\.1/, { from });
  });

  it('SIGTERM: the worker finishes the job in hand, then exits 0', async () => {
    const b = workers[1];
    const from = b.lines.length;
    const long = sweep(sp, 'lstm', { ...slow, queue: queue() });
    const line = await b.waitFor(/job \S+ started/, { from });
    const id = /job (\S+) started/.exec(line)![1];
    b.child.kill('SIGTERM');
    expect(await b.exited).toEqual({ code: 0, signal: null });
    expect(b.lines.slice(from).join('\n')).toMatch(
      new RegExp(`SIGTERM: finishing the jobs in hand[\\s\\S]*job ${id} done in[\\s\\S]*stopped`),
    );
    // The sweep goes on when a worker comes back.
    await worker();
    await expect(long).resolves.toMatchObject({ trials: [{ status: 'complete' }] });
  });

  it('Ctrl-C twice: the worker exits at once, leaving its job to others', async () => {
    const c = workers[2];
    const from = c.lines.length;
    const run = sweep(sp, 'lstm', { ...slow, seed: 9, queue: queue() });
    await c.waitFor(/job \S+ started/, { from });
    c.child.kill('SIGINT');
    await c.waitFor(/Ctrl-C again to exit now/);
    c.child.kill('SIGINT');
    expect(await c.exited).toEqual({ code: 130, signal: null });
    expect(c.lines.slice(from).join('\n')).not.toMatch(/done in/);
    await worker();
    await expect(run).resolves.toMatchObject({ trials: [{ status: 'complete' }] });
  });

  it('a worker whose threads cannot start: one clear line, its job back in the queue (not failed), exit 1; another worker does it', async () => {
    const broken = startCli(['worker', '--redis', redis.url, '--concurrency', '1', '--lock-ms', '2000', '--verbose'], {
      ...env,
      STOCKCAST_TEST_TASK_FAULT: 'start',
    });
    workers.push(broken);
    await broken.waitFor(/stockcast worker .* concurrency 1/);
    const run = sweep(sp, 'lstm', { ...slow, seed: 11, queue: queue() });
    await broken.waitFor(/this worker cannot run jobs/);
    expect(await broken.exited).toEqual({ code: 1, signal: null });
    const log = broken.lines.join('\n');
    expect(broken.lines.filter((l) => /cannot run jobs/.test(l))).toHaveLength(1);
    expect(log).toMatch(
      /this worker cannot run jobs: helper threads cannot start \(3 attempts in a row\): a training thread failed: injected start fault.*puts the jobs it held back in the queue/,
    );
    expect(log).toMatch(/job \S+ returned to the queue[\s\S]*stopped$/);
    expect(log).not.toMatch(/job \S+ failed/);
    await worker();
    await expect(run).resolves.toMatchObject({ trials: [{ status: 'complete' }] });
  });

  it('a wrong password: the worker exits 1 with a clear error that does not print it', async () => {
    const w = startCli(
      ['worker', '--redis', `rediss://:${encodeURIComponent(`x${SECRET}`)}@127.0.0.1:${redis.port}`],
      env,
    );
    expect((await w.exited).code).toBe(1);
    const out = w.lines.join('\n');
    expect(out).toMatch(
      new RegExp(
        `^QueueError: cannot use Redis at rediss://127\\.0\\.0\\.1:${redis.port}/0: WRONGPASS .* \\(hint: check the user name and password in the Redis URL\\)$`,
        'm',
      ),
    );
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain(encodeURIComponent(SECRET));
  });
});
