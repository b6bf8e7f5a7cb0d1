/**
 * The submitting side of the queue: stores the input data once, adds the jobs (ids from their content, so each
 * has one result), follows them to the end through queue events plus a periodic check that also repairs what a
 * Redis restart lost, removes the remaining jobs on cancel, and gives up after a bounded time without Redis.
 */
import { randomBytes } from 'node:crypto';
import type { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { errorFromData, QueueError, StockcastError, type ErrorData } from '../errors.js';
import {
  checkRedis,
  closeAll,
  dataClient,
  QUEUE_NAME,
  QUEUE_PREFIX,
  queueError,
  redact,
  resolveConnection,
  withTimeout,
  type ResolvedConnection,
} from './connection.js';
import type { QueueOptions } from './options.js';
import { FoldResultSchema, jobId, type FoldJob } from './jobs.js';
import { loadQueueLibraries } from './peers.js';
import { DATA_TTL_SECONDS, dataKey, type EncodedSeries } from './store.js';

/** Where a run of jobs stands. */
export interface JobProgress {
  /** Jobs in the run. */
  total: number;
  /** Finished, successfully or not. */
  done: number;
  /** Finished with an error. */
  failed: number;
  /** Being worked on now. */
  running: number;
  /** Workers connected to the queue, when Redis tells (undefined for local runs). */
  workers?: number;
}

/** The outcome of one job: its forecasts with the time they took and who made them, or the error it failed with. @internal */
export type JobOutcome =
  | { ok: true; value: number[][]; ms: number; worker?: string }
  | { ok: false; error: StockcastError };

/** Hooks of a run. @internal */
export interface RunHooks {
  signal?: AbortSignal | undefined;
  /** Stop at the first failed job: remove the rest and throw its error. */
  stopOnError?: boolean;
  onProgress?: ((p: JobProgress) => void) | undefined;
  onOutcome?: ((index: number, outcome: JobOutcome) => void) | undefined;
}

const TICK_MS = 1000;
const FULL_CHECK_MS = 10_000;
const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'fixed', delay: 1000 },
  removeOnComplete: { age: 3600 },
  removeOnFail: { age: 3600 },
};

/** A failed job's reason: the worker sends errorToData as JSON; anything else (BullMQ's own reasons) is wrapped. */
function failure(reason: string | undefined, conn: ResolvedConnection): StockcastError {
  const text = redact(reason ?? 'the job failed without a reason', conn.secrets);
  try {
    const data = JSON.parse(text) as ErrorData;
    if (typeof data?.message === 'string' && typeof data?.name === 'string')
      return errorFromData(data, undefined, 'QUEUE_ERROR');
  } catch {
    // Not ours: BullMQ's own reason, such as a job that stalled too often.
  }
  return new QueueError(`a job failed at ${conn.address}: ${text}`, conn.address);
}

/** A worker's result, checked: forecasts (null back to NaN), time, worker. */
function success(value: unknown, conn: ResolvedConnection): JobOutcome {
  const r = FoldResultSchema.safeParse(value);
  if (!r.success)
    return {
      ok: false,
      error: new QueueError(
        `a worker returned a malformed result: ${r.error.issues[0]?.message ?? 'unreadable'}`,
        conn.address,
        { hint: 'run the same stockcast version on every worker' },
      ),
    };
  return {
    ok: true,
    value: r.data.forecasts.map((row) => row.map((x) => (x === null ? Number.NaN : x))),
    ms: r.data.ms,
    worker: r.data.worker,
  };
}

class Run {
  readonly ids: string[];
  readonly indices = new Map<string, number[]>();
  readonly outcomes: Array<JobOutcome | undefined>;
  readonly running = new Set<string>();
  failed = 0;
  finished = 0;
  workers: number | undefined;
  private settled?: (error?: unknown) => void;
  readonly ended: Promise<void>;

  constructor(
    readonly conn: ResolvedConnection,
    readonly queue: Queue,
    readonly client: Redis,
    readonly data: readonly EncodedSeries[],
    readonly jobs: readonly FoldJob[],
    readonly hooks: RunHooks,
  ) {
    const run = randomBytes(6).toString('hex');
    this.ids = jobs.map((j) => jobId(run, j));
    this.ids.forEach((id, i) => this.indices.set(id, [...(this.indices.get(id) ?? []), i]));
    this.outcomes = new Array(jobs.length);
    this.ended = new Promise<void>(
      (resolve, reject) => (this.settled = (e) => (e === undefined ? resolve() : reject(e))),
    );
  }

  get pending(): string[] {
    return [...this.indices.keys()].filter((id) => this.outcomes[this.indices.get(id)![0]] === undefined);
  }

  progress(): void {
    this.hooks.onProgress?.({
      total: this.jobs.length,
      done: this.finished,
      failed: this.failed,
      running: this.running.size,
      ...(this.workers !== undefined ? { workers: this.workers } : {}),
    });
  }

  /** Records a job's one result; later reports of the same job (a retry, a duplicate event) are ignored. */
  settle(id: string, outcome: JobOutcome): void {
    const at = this.indices.get(id);
    if (!at || this.outcomes[at[0]] !== undefined) return;
    this.running.delete(id);
    for (const i of at) {
      this.outcomes[i] = outcome;
      this.finished++;
      if (!outcome.ok) this.failed++;
      this.hooks.onOutcome?.(i, outcome);
    }
    this.progress();
    if (!outcome.ok && this.hooks.stopOnError) {
      this.end(outcome.error);
      return;
    }
    if (this.pending.length === 0) this.end();
  }

  end(error?: unknown): void {
    this.settled?.(error);
    this.settled = undefined;
  }

  /** Stores every input once (or renews its lifetime); true when one had to be stored again. */
  async storeData(): Promise<boolean> {
    let restored = false;
    for (const d of this.data) {
      const set = await this.client.set(dataKey(d.hash), Buffer.from(d.bytes), 'EX', DATA_TTL_SECONDS, 'NX');
      if (set === 'OK') restored = true;
      else await this.client.expire(dataKey(d.hash), DATA_TTL_SECONDS);
    }
    return restored;
  }

  async add(ids: readonly string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      await this.queue.addBulk(
        chunk.map((id) => ({
          name: 'fold-group',
          data: this.jobs[this.indices.get(id)![0]],
          opts: { ...JOB_OPTIONS, jobId: id },
        })),
      );
    }
  }

  /** Reads the state of every unfinished job: settles finished ones, and adds again those Redis has lost. */
  async check(): Promise<void> {
    const lost: string[] = [];
    for (const id of this.pending) {
      const job: Job | undefined = await this.queue.getJob(id);
      if (!job) {
        lost.push(id);
        continue;
      }
      const state = await job.getState();
      if (state === 'completed') this.settle(id, success(job.returnvalue, this.conn));
      else if (state === 'failed') this.settle(id, { ok: false, error: failure(job.failedReason, this.conn) });
      else if (state === 'active') this.running.add(id);
    }
    if (lost.length > 0) {
      await this.storeData();
      await this.add(lost);
    }
    this.workers = await this.queue.getWorkersCount().catch(() => undefined);
    this.progress();
  }

  async cancel(): Promise<{ removed: number; running: number }> {
    let removed = 0;
    for (const id of this.pending)
      removed += await withTimeout(this.queue.remove(id), 5000, 'removing a job').catch(() => 0);
    return { removed, running: this.pending.length - removed };
  }

  async cleanUp(): Promise<void> {
    for (const id of this.indices.keys())
      await withTimeout(this.queue.remove(id), 2000, 'removing a job').catch(() => 0);
  }
}

/** What the run knows of Redis: the last error it reported, and whether the run gave up on it. */
interface Health {
  lastError: unknown;
  reachable: boolean;
}

/** Follows the jobs through queue events: started, completed, failed. */
function followEvents(events: QueueEvents, run: Run): void {
  events.on('active', ({ jobId: id }) => {
    if (run.indices.has(id) && run.outcomes[run.indices.get(id)![0]] === undefined) {
      run.running.add(id);
      run.progress();
    }
  });
  events.on('completed', ({ jobId: id, returnvalue }) => run.settle(id, success(returnvalue, run.conn)));
  events.on('failed', ({ jobId: id, failedReason }) =>
    run.settle(id, { ok: false, error: failure(failedReason, run.conn) }),
  );
}

/**
 * The periodic check: Redis answering (else the run ends after reconnectMs), lost jobs and data put back, and every
 * unfinished job's state read now and then, so a missed event cannot leave the run waiting.
 */
function startChecks(run: Run, health: Health): NodeJS.Timeout {
  const { client, conn } = run;
  let lastOk = Date.now();
  let lastFull = Date.now();
  let outage = false;
  // A Redis that restarted may have lost the jobs: check them all as soon as it answers again.
  let dropped = false;
  client.on('close', () => (dropped = true));
  client.on('ready', () => {
    if (dropped) outage = true;
    dropped = false;
  });
  let busy = false;
  return setInterval(() => {
    if (busy) return;
    busy = true;
    const full = outage || Date.now() - lastFull >= FULL_CHECK_MS;
    void withTimeout(
      (async () => {
        await client.ping();
        if (full) await run.check();
      })(),
      Math.max(3000, FULL_CHECK_MS),
      'checking the queue',
    )
      .then(() => {
        lastOk = Date.now();
        if (full) lastFull = lastOk;
        outage = false;
      })
      .catch((e: unknown) => {
        outage = true;
        health.lastError = e;
        if (Date.now() - lastOk > conn.reconnectMs) {
          health.reachable = false;
          const silent = `${Math.round((Date.now() - lastOk) / 1000)} s (reconnectMs ${conn.reconnectMs})`;
          const cause = queueError(health.lastError, conn, `Redis did not answer for ${silent}`);
          const unfinished = `${run.pending.length} of ${run.indices.size} jobs unfinished`;
          const hint = 'restart Redis or check the network, then run again';
          run.end(new QueueError(`${cause.message}; ${unfinished}`, conn.address, { hint }));
        }
      })
      .finally(() => (busy = false));
  }, TICK_MS);
}

/** The error a failed run throws: ABORTED after removing the queued jobs; with stopOnError, the rest removed first. */
async function runFailure(e: unknown, run: Run): Promise<unknown> {
  if (e instanceof StockcastError && e.code === 'ABORTED') {
    const { removed, running } = await run.cancel();
    const message = `interrupted: ${removed} queued jobs removed, ${running} running ones finish on their workers`;
    return new StockcastError('ABORTED', `${message} and are discarded`);
  }
  if (!(e instanceof StockcastError)) return queueError(e, run.conn, 'the queue failed');
  if (run.hooks.stopOnError) await run.cancel();
  return e;
}

/**
 * Runs fold-group jobs on the queue and waits for every outcome. Equal jobs are sent once. A Redis that stops
 * answering is retried for `reconnectMs`; jobs and input data it lost are sent again (same ids, so nothing runs
 * twice for the run's results).
 * @param options - the queue options
 * @param data - every input the jobs name
 * @param jobs - the jobs
 * @param hooks - cancellation, progress, fail-fast
 * @returns one outcome per job, in order
 * @throws {@link QueueError} when Redis cannot be used (wrong password, unreachable for longer than reconnectMs)
 * @throws {@link StockcastError} `ABORTED` when the signal fires (queued jobs are removed first)
 * @internal
 */
export async function submitJobs(
  options: QueueOptions,
  data: readonly EncodedSeries[],
  jobs: readonly FoldJob[],
  hooks: RunHooks = {},
): Promise<JobOutcome[]> {
  const conn = resolveConnection(options);
  if (jobs.length === 0) return [];
  if (hooks.signal?.aborted) throw new StockcastError('ABORTED', 'interrupted before any job was queued');
  await checkRedis(conn);
  const { Queue, QueueEvents } = (await loadQueueLibraries(conn.address)).bullmq;
  const queue = new Queue(QUEUE_NAME, { prefix: QUEUE_PREFIX, connection: conn.redis });
  const events: QueueEvents = new QueueEvents(QUEUE_NAME, {
    prefix: QUEUE_PREFIX,
    connection: { ...conn.redis, maxRetriesPerRequest: null },
  });
  const health: Health = { lastError: undefined, reachable: true };
  const client = await dataClient(conn);
  queue.on('error', (e) => (health.lastError = e));
  events.on('error', (e) => (health.lastError = e));
  client.on('error', (e) => (health.lastError = e));
  const run = new Run(conn, queue, client, data, jobs, hooks);
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => run.end(new StockcastError('ABORTED', 'interrupted'));
  try {
    followEvents(events, run);
    await withTimeout(events.waitUntilReady(), 15_000, 'subscribing to queue events');
    await run.storeData();
    await run.add([...run.indices.keys()]);
    hooks.signal?.addEventListener('abort', onAbort, { once: true });
    if (hooks.signal?.aborted) onAbort();
    run.workers = await queue.getWorkersCount().catch(() => undefined);
    run.progress();
    timer = startChecks(run, health);
    if (run.pending.length === 0) run.end();
    await run.ended;
  } catch (e) {
    clearInterval(timer);
    throw await runFailure(e, run);
  } finally {
    clearInterval(timer);
    hooks.signal?.removeEventListener('abort', onAbort);
    // Finished and removed jobs leave nothing behind; with Redis gone, the jobs' retention (an hour) cleans up.
    if (health.reachable) await run.cleanUp().catch(() => undefined);
    await closeAll([events, queue]);
    client.disconnect();
  }
  return run.outcomes as JobOutcome[];
}
