/** A queue worker: takes fold-group jobs from Redis and trains them on local threads, for sweeps and backtests submitted anywhere. */
import { z } from 'zod';
import { QueueOptionsSchema } from '../queue/options.js';
import { describeWorker, serveJobs, type JobEvent } from '../queue/serve.js';
import type { ThreadStartError } from '../errors.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';
import { JobPool } from './pool.js';
import { platform } from '../platform/runtime.js';

/** Options of {@link runWorker}. */
export const WorkerOptionsSchema = z
  .object({
    /** The queue: `{ connection: 'redis://...' }`. */
    queue: QueueOptionsSchema,
    /** Jobs trained at once, each on its own thread (default `auto`: the machine's cores). */
    concurrency: v.concurrency.withDefault(),
    /** Folder where the worker keeps copies of its jobs' input data (default: none, memory only). Jobs name files here by content hash only. */
    cacheDir: v.cacheDir.optional(),
    /** How long a claim on a job lasts unless renewed (ms, default 30000): a dead worker's job moves on after this. */
    lockMs: v.lockMs.withDefault(),
    /** Called when a job starts, finishes, fails or is refused, and when the connection to Redis drops or comes back. */
    onJob: z.custom<(e: JobEvent) => void>((x) => typeof x === 'function', 'expected a function').optional(),
  })
  .strict();

/** Options of {@link runWorker}, as accepted. */
export type WorkerOptions = z.input<typeof WorkerOptionsSchema>;

/** A running queue worker. */
export interface QueueWorker {
  /** The Redis address, without credentials. */
  address: string;
  /** The worker's name on the jobs it processes (host:pid). */
  name: string;
  /** One line naming the version, job schema, address and concurrency (for logs). */
  description: string;
  /** Finishes the jobs in hand, takes no more, and stops. */
  close(): Promise<void>;
  /** Stops at once; the jobs in hand go to other workers after `lockMs`. */
  kill(): Promise<void>;
  /**
   * Settles (never rejects) if this machine cannot run jobs: its training threads fail to start several times in a
   * row (a damaged install). The worker then takes no more jobs, puts the ones it held back in the queue for other
   * workers (they are not failed), closes, and reports a `broken` event.
   */
  broken: Promise<ThreadStartError>;
}

/**
 * Starts a worker that trains the fold-group jobs of sweeps and backtests submitted with `queue: { connection }`
 * from any machine. Each job is checked when it arrives (its version first, then its shape and forecaster options);
 * a job of another stockcast version is refused with a message naming both versions. Jobs run on `concurrency`
 * threads, one thread each, with the same code as local runs, so results are identical. A machine whose threads
 * cannot start stops taking jobs and hands back the ones it held (see {@link QueueWorker.broken}).
 *
 * @param options - see {@link WorkerOptionsSchema}
 * @returns the running worker; `close()` finishes the jobs in hand first
 * @throws {@link QueueError} when Redis cannot be used (wrong password, unreachable, TLS mismatch)
 * @throws {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { runWorker } from 'stockcast';
 * const worker = await runWorker({ queue: { connection: process.env.STOCKCAST_REDIS ?? 'redis://127.0.0.1:6379' }, concurrency: 2 });
 * process.once('SIGTERM', () => void worker.close());
 * ```
 */
export async function runWorker(options: WorkerOptions): Promise<QueueWorker> {
  const o = parseOptions(WorkerOptionsSchema, options, 'worker options');
  // `auto`: one job per core of this machine, as everywhere (the platform's cores); a count is taken as given.
  const concurrency = o.concurrency === 'auto' ? platform().cores() : o.concurrency;
  // Threads start with the first job, after Redis has accepted the connection.
  let pool: JobPool | undefined;
  const server = await serveJobs(
    { queue: o.queue, concurrency, cacheDir: o.cacheDir, lockMs: o.lockMs, onJob: o.onJob },
    (job, model, series) =>
      (pool ??= new JobPool(concurrency)).run(job.data, series, model, job.group).then((r) => r.value),
  );
  const broken = server.broken.then(async (e) => {
    await server.close();
    await pool?.close();
    return e;
  });
  return {
    address: server.address,
    name: server.name,
    broken,
    description: describeWorker(server, concurrency, o.cacheDir),
    close: async () => {
      await server.close();
      await pool?.close();
    },
    kill: async () => {
      await server.kill();
      await pool?.close();
    },
  };
}
