/**
 * The working side of the queue: a BullMQ worker that checks each job (version first, then shape and options),
 * loads its input data through the cache folder, runs it with the given executor and returns the forecasts.
 * Errors go back as data (class, code, fields); credentials never reach a log line.
 */
import { hostname } from 'node:os';
import type { Job, Worker } from 'bullmq';
import { errorToData, PersistenceError, QueueError, ThreadStartError } from '../errors.js';
import type { Series } from '../data/series.js';
import type { ModelJob } from '../models/contract.js';
import { checkRedis, closeAll, dataClient, QUEUE_NAME, QUEUE_PREFIX, redact, resolveConnection } from './connection.js';
import type { QueueOptions } from './options.js';
import { checkJob, JOB_SCHEMA, STOCKCAST_VERSION, type FoldJob, type FoldResult } from './jobs.js';
import { loadQueueLibraries } from './peers.js';
import { dataKey, decodeSeries, loadData } from './store.js';

/** What a worker reports about its jobs and its connection (for logs). */
export interface JobEvent {
  /**
   * `start`, `done`, `failed`, `refused` (another job version), `lost` / `restored` (the connection to Redis), `error`
   * (BullMQ's, about the queue rather than a job's content), `returned` (a job put back in the queue, untouched, for
   * other workers), `broken` (this worker cannot run jobs, its threads do not start: it takes no more and closes).
   */
  type: 'start' | 'done' | 'failed' | 'refused' | 'lost' | 'restored' | 'error' | 'returned' | 'broken';
  /** The job id. */
  id?: string;
  /** Time spent on the job, ms. */
  ms?: number;
  /** Why it failed or was refused, or what happened to the connection (never with credentials). */
  message?: string;
}

/** Runs one checked job on its input data. @internal */
export type Executor = (job: FoldJob, model: ModelJob, series: Series) => Promise<number[][]>;

/** A running worker. @internal */
export interface JobServer {
  /** The Redis address, without credentials. */
  address: string;
  /** The worker's name, as recorded on the jobs it processes (host:pid). */
  name: string;
  /** Finishes the jobs in hand, takes no more, and closes. */
  close(): Promise<void>;
  /** Stops at once; jobs in hand are handed to other workers when their locks expire. */
  kill(): Promise<void>;
  /** Settles when the worker stopped taking jobs because it cannot run them, with the reason (never rejects). */
  broken: Promise<ThreadStartError>;
}

/** Options of {@link serveJobs}. @internal */
export interface ServeOptions {
  queue: QueueOptions;
  concurrency: number;
  cacheDir?: string | undefined;
  lockMs: number;
  onJob?: ((e: JobEvent) => void) | undefined;
}

/**
 * Starts taking fold-group jobs from the queue.
 * @throws {@link QueueError} when Redis cannot be used (checked once before starting)
 * @internal
 */
export async function serveJobs(options: ServeOptions, execute: Executor): Promise<JobServer> {
  const conn = resolveConnection(options.queue);
  await checkRedis(conn);
  const { Worker, UnrecoverableError, WaitingError } = (await loadQueueLibraries(conn.address)).bullmq;
  const report = (e: JobEvent) => options.onJob?.(e.message ? { ...e, message: redact(e.message, conn.secrets) } : e);
  // A few recent inputs stay decoded: the jobs of one run share them.
  const decoded = new Map<string, Series>();
  const client = await dataClient(conn);
  client.on('error', () => undefined);
  const seriesFor = async (hash: string): Promise<Series> => {
    const hit = decoded.get(hash);
    if (hit) return hit;
    const bytes = await loadData(options.cacheDir, hash, () => client.getBuffer(dataKey(hash)));
    const series = decodeSeries(bytes);
    decoded.set(hash, series);
    if (decoded.size > 8) decoded.delete(decoded.keys().next().value!);
    return series;
  };
  const fail = (e: unknown, retry: boolean) => {
    const text = redact(JSON.stringify({ ...errorToData(e), stack: undefined }), conn.secrets);
    return retry ? new Error(text) : new UnrecoverableError(text);
  };
  const name = `${hostname()}:${process.pid}`;
  let closing = false;
  let killed = false;
  let markBroken: (e: ThreadStartError) => void = () => undefined;
  const broken = new Promise<ThreadStartError>((resolve) => (markBroken = resolve));
  let isBroken = false;
  // This machine cannot run any job (its threads do not start): the job goes back untouched for a healthy worker,
  // and the worker closes (closing waits for the jobs in hand, each of which comes back here).
  const giveBack = async (job: Job, token: string | undefined, e: ThreadStartError): Promise<never> => {
    if (!isBroken) {
      isBroken = true;
      closing = true;
      report({ type: 'broken', message: `this worker cannot run jobs: ${e.message}; it takes no more and puts the jobs it held back in the queue` });
      markBroken(e);
      void worker.close();
    }
    await job.moveToWait(token);
    report({ type: 'returned', id: job.id ?? '?' });
    throw new WaitingError();
  };
  const processor = async (job: Job, token?: string): Promise<FoldResult> => {
    const started = performance.now();
    const id = job.id ?? '?';
    report({ type: 'start', id });
    let checked: Awaited<ReturnType<typeof checkJob>>;
    try {
      checked = await checkJob(job.data, conn.address);
    } catch (e) {
      report({ type: e instanceof QueueError ? 'refused' : 'failed', id, message: (e as Error).message });
      throw fail(e, false);
    }
    try {
      const series = await seriesFor(checked.job.data);
      const forecasts = await execute(checked.job, checked.model, series);
      const ms = performance.now() - started;
      report({ type: 'done', id, ms });
      return { forecasts, ms, worker: name };
    } catch (e) {
      // A worker being killed leaves its job as it is: the lock expires and another worker takes it.
      if (killed) return new Promise<never>(() => undefined);
      if (e instanceof ThreadStartError) return giveBack(job, token, e);
      report({ type: 'failed', id, ms: performance.now() - started, message: (e as Error)?.message ?? String(e) });
      // Missing input data can come back (the submitter stores it again); anything else fails the same way twice.
      throw fail(e, e instanceof PersistenceError);
    }
  };
  const worker: Worker = new Worker(QUEUE_NAME, processor, {
    prefix: QUEUE_PREFIX,
    connection: { ...conn.redis, maxRetriesPerRequest: null },
    name,
    concurrency: options.concurrency,
    lockDuration: options.lockMs,
    stalledInterval: options.lockMs,
    maxStalledCount: 2,
    autorun: false,
  });
  // The connection: said once when it drops and once when it is back (ioredis reconnects by itself).
  let lost = false;
  const connection = await worker.client;
  connection.on('close', () => {
    if (lost || closing) return;
    lost = true;
    report({ type: 'lost', message: `lost Redis at ${conn.address}; reconnecting` });
  });
  connection.on('ready', () => {
    if (!lost) return;
    lost = false;
    report({ type: 'restored', message: `reconnected to Redis at ${conn.address}` });
  });
  worker.on('error', (e) => report({ type: 'error', message: `queue error: ${e.message}` }));
  void worker.run().catch((e: unknown) => report({ type: 'lost', message: `the worker stopped: ${(e as Error).message}` }));
  return {
    address: conn.address,
    name,
    broken,
    close: async () => {
      closing = true;
      await worker.close();
      client.disconnect();
    },
    kill: async () => {
      closing = true;
      killed = true;
      await closeAll([{ close: () => worker.close(true), disconnect: () => worker.disconnect() }]);
      client.disconnect();
    },
  };
}

/** One line that says who this worker is: version, job schema, address. @internal */
export function describeWorker(server: JobServer, concurrency: number, cacheDir: string | undefined): string {
  return `stockcast worker ${STOCKCAST_VERSION} (job schema ${JOB_SCHEMA}) ${server.name} on ${server.address}, concurrency ${concurrency}, cache ${cacheDir ?? 'in memory'}`;
}
