import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_NAME, QUEUE_PREFIX } from '../../src/queue/connection.js';
import { cliAsync } from '../helpers/cli.js';
import { startCli, type CliProcess } from '../helpers/processes.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';

const SECRET = 'cli-s3cret:pw';
const dir = mkdtempSync(join(tmpdir(), 'stockcast-cli-sweep-'));
// The issue's contract, on small models.
const contract = [
  'sweep',
  '--csv',
  'fixtures/sp500-2000.csv',
  '--target',
  'close',
  '--models',
  'lstm',
  '--space',
  'units=3,4',
  '--space',
  'lookback=5..12',
  '--space',
  'learning-rate=1e-3..1e-2:log',
  '--trials',
  '3',
  '--strategy',
  'random',
  '--test-size',
  '30',
  '--validation-size',
  '30',
  '--folds',
  '2',
  '--epochs',
  '2',
  '--seed',
  '5',
  '--concurrency',
  '1',
];

let redis: RedisServer;
let worker: CliProcess;
beforeAll(async () => {
  redis = await startRedis({ password: SECRET });
  worker = startCli(['worker', '--redis', redis.url, '--concurrency', '1', '--cache-dir', join(dir, 'cache')]);
  await worker.waitFor(/stockcast worker .* on redis:\/\/127\.0\.0\.1:\d+\/0/);
});
afterAll(async () => {
  worker?.child.kill('SIGTERM');
  await worker?.exited;
  await redis?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('stockcast sweep', () => {
  it('the JSON contract, locally and on a queue with the same results; the password never printed', async () => {
    const report = join(dir, 'sweep.html');
    const [local, queued] = await Promise.all([
      cliAsync(...contract, '--json'),
      cliAsync(...contract, '--json', '--redis', redis.url, '--report', report),
    ]);
    expect(local.code, local.stderr).toBe(0);
    expect(queued.code, queued.stderr).toBe(0);
    const a = JSON.parse(local.stdout);
    const b = JSON.parse(queued.stdout);
    expect(a.trials).toHaveLength(3);
    for (const t of a.trials) {
      expect(Object.keys(t.params)).toEqual(['units', 'lookback', 'learningRate']);
      expect(t.status).toBe('complete');
      for (const k of ['mae', 'rmse', 'mape', 'smape', 'mase', 'directionalAccuracy'])
        expect(Number.isFinite(t.metrics[k]), k).toBe(true);
    }
    expect(Object.keys(a.best)).toEqual(expect.arrayContaining(['params', 'validation', 'test']));
    expect(a.best.test.count).toBe(30);
    // Skill or luck: the verdict against naive only with a p-value below 0.05, the chosen trial's DSR.
    const dm = a.best.dieboldMariano as { benchmark: string; loss: string; pValue: number; statistic: number };
    expect(dm).toMatchObject({ benchmark: 'naive', loss: 'mse' });
    expect(a.best.verdict).toBe(dm.pValue < 0.05 ? (dm.statistic < 0 ? 'beats' : 'loses to') : 'ties');
    for (const t of a.trials) expect(Number.isFinite(t.sharpe)).toBe(true);
    expect(a.best.strategy.strategy.deflatedSharpe).toBeGreaterThanOrEqual(0);
    expect(a.best.strategy.strategy.deflatedSharpe).toBeLessThanOrEqual(1);
    const same = (doc: { trials: Array<Record<string, unknown>>; best: unknown }) =>
      JSON.stringify({ trials: doc.trials.map(({ timeMs: _, ...t }) => t), best: doc.best });
    expect(same(b)).toBe(same(a));
    expect(b.options.redis).toBe(`redis://127.0.0.1:${redis.port}/0`);
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/Sweep: lstm on close/);
    for (const text of [queued.stdout, queued.stderr, html, worker.lines.join('\n')]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(encodeURIComponent(SECRET));
    }
  });

  it('--strategy halving is --search halving: rungs, a table and the best in words', async () => {
    const r = await cliAsync(
      ...contract.map((a) => (a === 'random' ? 'halving' : a)),
      '--trials',
      '4',
      '--epochs',
      '4',
      '--reduction-factor',
      '2',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^lstm on close: halving search, 4 trials, objective rmse$/m);
    expect(r.stdout).toMatch(/^trial\s+units\s+lookback\s+learning-rate\s+status\s+rmse\s+epochs\s+time s$/m);
    expect(r.stdout.match(/ pruned /g)).toHaveLength(3);
    expect(r.stdout).toMatch(/^best: trial \d: units \d, lookback \d+, learning-rate [\d.e-]+$/m);
    expect(r.stdout).toMatch(
      /test \(scored once\) RMSE [\d.]+, MAE [\d.]+, Theil's U \d\.\d{3} \((beats|loses to|ties) the naive forecast \(the last value\) \(Diebold-Mariano p-value [\d.e-]+ on squared error\)\)/,
    );
    expect(r.stdout).toMatch(/^strategy on the test span \(long-flat, 5 bps, trial \d; not advice\):$/m);
    expect(r.stdout).toMatch(/Deflated Sharpe ratio \d\.\d\d: the PSR once the trials searched are allowed for/);
  });

  it('Ctrl-C on a queued sweep with no worker: it said it was waiting, removes its queued jobs and exits 130', async () => {
    const idle = await startRedis();
    try {
      const run = startCli([...contract, '--redis', idle.url]);
      await run.waitFor(/no worker is connected to redis:\/\/127\.0\.0\.1:\d+\/0 yet: the jobs wait in the queue/);
      run.child.kill('SIGINT');
      expect((await run.exited).code).toBe(130);
      expect(run.lines.join('\n')).toMatch(/interrupted: stopping after the current step/);
      const client = new Redis({ port: idle.port });
      const counts = await new Queue(QUEUE_NAME, { prefix: QUEUE_PREFIX, connection: client }).getJobCounts();
      client.disconnect();
      expect(counts.waiting + counts.active + counts.delayed).toBe(0);
    } finally {
      await idle.dispose();
    }
  });

  it('bad arguments: exit 2 and one line naming the argument', async () => {
    const base = contract.slice(0, 5);
    const cases: Array<[string[], RegExp]> = [
      [['--space', 'units=0,8'], /--space: units: expected an integer from 1 to 4096, received 0/],
      [['--space', 'units=8,16', '--units', '8'], /--units is fixed and searched \(--space\): give one/],
      [
        ['--space', 'units=8,16', '--models', 'naive'],
        /a sweep tunes a model with options .*"naive" has none to search/,
      ],
      [['--space', 'units=8,16', '--search', 'grid', '--strategy', 'halving'], /give --search or --strategy, not both/],
      [['--space', 'units=8,16', '--space', 'units=4'], /--space units is given twice/],
      // The sweep's schema says it, in flags.
      [['--space', 'units=8,16', '--window', 'sliding'], /^error: --window 'sliding' needs --train-length$/m],
    ];
    const runs = await Promise.all(cases.map(([args]) => cliAsync(...base, ...args)));
    runs.forEach((r, i) => {
      const [args, pattern] = cases[i];
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(pattern);
    });
  });
});
