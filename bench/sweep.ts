/**
 * Bench: sweep throughput on a BullMQ queue with 1, 2 and 4 `stockcast worker` processes (one job at a time each)
 * against the same sweep in this process, and the queue's overhead per job (wall time not spent training).
 * Starts its own redis-server on a free loopback port. Run: npm run bench -- --sweep
 */
import { readCsv, sweep, type SweepOptions } from '../src/index.js';
import { startCli, type CliProcess } from '../tests/helpers/processes.js';
import { startRedis } from '../tests/helpers/redis.js';

/** One measured setup. */
export interface SweepBenchRow {
  setup: string;
  workers: number;
  jobs: number;
  wallSec: number;
  trialsPerMin: number;
  /** Training time of all jobs, summed (s): measured for the 32 validation jobs, the 2 test jobs counted at their average. */
  trainSec: number;
  /** (wall x workers - training) / jobs: time per job a worker is not training (queue round trip, data load, idle at the end). */
  overheadMsPerJob: number;
  identical: boolean;
}

const WORKER_COUNTS = [1, 2, 4];

/** Waits until every worker has finished a job: their threads are started and their code compiled. */
async function warmUp(
  url: string,
  workers: CliProcess[],
  options: SweepOptions,
  series: Parameters<typeof sweep>[0],
): Promise<void> {
  for (let round = 0; round < 10 && workers.some((w) => !w.lines.some((l) => / done in /.test(l))); round++) {
    await sweep(series, 'lstm', {
      ...options,
      trials: 2 * workers.length,
      forecaster: { epochs: 1 },
      seed: 100 + round,
      queue: { connection: url },
    });
  }
}

/**
 * The queue's round trip alone: 24 jobs that train almost nothing (2 units, 1 epoch), one worker; the time per job
 * that is not training is what the queue costs.
 */
async function roundTrip(
  url: string,
  series: Parameters<typeof sweep>[0],
): Promise<{ jobs: number; wallMsPerJob: number; trainMsPerJob: number }> {
  const tiny: SweepOptions = {
    space: { lookback: { min: 3, max: 60 } },
    trials: 12,
    testSize: 20,
    folds: 2,
    forecaster: { units: 2, epochs: 1 },
    seed: 2,
  };
  const t0 = performance.now();
  const r = await sweep(series, 'rnn', { ...tiny, queue: { connection: url } });
  const wall = performance.now() - t0;
  const jobs = 12 * 2 + 2;
  const train = (r.trials.reduce((a, t) => a + t.timeMs, 0) * jobs) / (jobs - 2);
  return { jobs, wallMsPerJob: wall / jobs, trainMsPerJob: train / jobs };
}

/** Runs the bench. */
export async function benchSweep(
  log: (line: string) => void,
): Promise<{ rows: SweepBenchRow[]; roundTrip: Awaited<ReturnType<typeof roundTrip>> }> {
  const sp = (await readCsv('fixtures/sp500-2000.csv')).select(['close']).slice(-700);
  // 16 trials x 2 folds + 2 test folds = 34 jobs of about a second each on this machine (unloaded).
  const options: SweepOptions = {
    space: { units: [16, 32], lookback: { min: 10, max: 30 }, learningRate: { min: 1e-3, max: 1e-2, scale: 'log' } },
    trials: 16,
    testSize: 60,
    folds: 2,
    forecaster: { epochs: 20, earlyStopping: false },
    seed: 1,
  };
  const jobs = 16 * 2 + 2;
  const fingerprint = (r: Awaited<ReturnType<typeof sweep>>) =>
    JSON.stringify([r.trials.map(({ timeMs: _, ...t }) => t), r.best.test]);
  const rows: SweepBenchRow[] = [];
  let t0 = performance.now();
  const local = await sweep(sp, 'lstm', { ...options, concurrency: 1 });
  const localSec = (performance.now() - t0) / 1000;
  const trained = (r: typeof local) => ((r.trials.reduce((a, t) => a + t.timeMs, 0) / 1000) * jobs) / (jobs - 2);
  const localTrain = trained(local);
  rows.push({
    setup: 'in this process, no queue',
    workers: 1,
    jobs,
    wallSec: localSec,
    trialsPerMin: (16 / localSec) * 60,
    trainSec: localTrain,
    overheadMsPerJob: ((localSec - localTrain) * 1000) / jobs,
    identical: true,
  });
  log(`sweep: ${rows[0].setup}: ${localSec.toFixed(1)} s`);
  const redis = await startRedis();
  let trip: Awaited<ReturnType<typeof roundTrip>> | undefined;
  try {
    for (const n of WORKER_COUNTS) {
      const workers = Array.from({ length: n }, () => startCli(['worker', '--redis', redis.url, '--concurrency', '1']));
      try {
        await Promise.all(workers.map((w) => w.waitFor(/stockcast worker .* on redis/, { timeoutMs: 120_000 })));
        await warmUp(redis.url, workers, options, sp);
        if (n === 1) {
          trip = await roundTrip(redis.url, sp);
          log(
            `sweep: queue round trip ${(trip.wallMsPerJob - trip.trainMsPerJob).toFixed(0)} ms per job (jobs training ${trip.trainMsPerJob.toFixed(0)} ms)`,
          );
        }
        t0 = performance.now();
        const queued = await sweep(sp, 'lstm', { ...options, queue: { connection: redis.url } });
        const wallSec = (performance.now() - t0) / 1000;
        const trainSec = trained(queued);
        const row = {
          setup: `queue, ${n} worker process${n > 1 ? 'es' : ''}`,
          workers: n,
          jobs,
          wallSec,
          trialsPerMin: (16 / wallSec) * 60,
          trainSec,
          overheadMsPerJob: ((wallSec * n - trainSec) * 1000) / jobs,
          identical: fingerprint(queued) === fingerprint(local),
        };
        rows.push(row);
        log(`sweep: ${row.setup}: ${wallSec.toFixed(1)} s, identical ${row.identical}`);
      } finally {
        for (const w of workers) w.child.kill('SIGTERM');
        await Promise.all(workers.map((w) => w.exited));
      }
    }
  } finally {
    await redis.dispose();
  }
  return { rows, roundTrip: trip! };
}
