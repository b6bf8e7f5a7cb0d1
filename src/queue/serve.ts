/**
 * The working side of the queue: a BullMQ worker that checks each job (version first, then shape and options),
 * loads its input data through the cache folder, runs it with the given executor and returns the forecasts.
 * Errors go back as data (class, code, fields); credentials never reach a log line.
 */
import { hostname } from 'node:os';
import type { Job, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
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

/** Puts a job back in the queue, untouched, for another worker. */
type GiveBack = (job: Job, token: string | undefined, e: ThreadStartError) => Promise<never>;

/** What the worker and its job processor share about its life. */
interface WorkerState {
  /** Closing: a dropped connection is no longer news. */
  closing: boolean;
  /** Killed: jobs in hand are left for their locks to expire. */
  killed: boolean;
  /** Broken: its threads do not start, so it runs no job. */
  broken: boolean;
}

/** Loads a job's input through the cache folder; a few recent inputs stay decoded: the jobs of one run share them. */
function inputLoader(client: Redis, cacheDir: string | undefined): (hash: string) => Promise<Series> {
  const decoded = new Map<string, Series>();
  return async (hash: string): Promise<Series> => {
    const hit = decoded.get(hash);
    if (hit) return hit;
    const bytes = await loadData(cacheDir, hash, () => client.getBuffer(dataKey(hash)));
    const series = decodeSeries(bytes);
    decoded.set(hash, series);
    if (decoded.size > 8) decoded.delete(decoded.keys().next().value!);
    return series;
  };
}

/**
 * This machine cannot run any job (its threads do not start): the job goes back untouched for a healthy worker,
 * and the worker closes (closing waits for the jobs in hand, each of which comes back here).
 */
function jobReturner(
  state: WorkerState,
  report: (e: JobEvent) => void,
  close: () => Promise<void>,
  Waiting: typeof WaitingError,
): { giveBack: GiveBack; broken: Promise<ThreadStartError> } {
  let markBroken: (e: ThreadStartError) => void = () => undefined;
  const broken = new Promise<ThreadStartError>((resolve) => (markBroken = resolve));
  const giveBack = async (job: Job, token: string | undefined, e: ThreadStartError): Promise<never> => {
    if (!state.broken) {
      state.broken = true;
      state.closing = true;
      report({
        type: 'broken',
        message:
          `this worker cannot run jobs: ${e.message}; it takes no more ` +
          'and puts the jobs it held back in the queue',
      });
      markBroken(e);
      void close();
    }
    await job.moveToWait(token);
    report({ type: 'returned', id: job.id ?? '?' });
    throw new Waiting();
  };
  return { giveBack, broken };
}

/** What a job processor needs from its worker. */
interface ProcessorParts {
  address: string;
  name: string;
  state: WorkerState;
  report: (e: JobEvent) => void;
  seriesFor: (hash: string) => Promise<Series>;
  execute: Executor;
  /** The error BullMQ records: retried, or failed for good. */
  fail: (e: unknown, retry: boolean) => Error;
  giveBack: GiveBack;
}

/** Checks a job (refused when it is another version), runs it on its input data and reports how it went. */
function jobProcessor(p: ProcessorParts): (job: Job, token?: string) => Promise<FoldResult> {
  return async (job: Job, token?: string): Promise<FoldResult> => {
    const started = performance.now();
    const id = job.id ?? '?';
    p.report({ type: 'start', id });
    let checked: Awaited<ReturnType<typeof checkJob>>;
    try {
      checked = await checkJob(job.data, p.address);
    } catch (e) {
      p.report({ type: e instanceof QueueError ? 'refused' : 'failed', id, message: (e as Error).message });
      throw p.fail(e, false);
    }
    try {
      const series = await p.seriesFor(checked.job.data);
      const forecasts = await p.execute(checked.job, checked.model, series);
      const ms = performance.now() - started;
      p.report({ type: 'done', id, ms });
      return { forecasts, ms, worker: p.name };
    } catch (e) {
      // A worker being killed leaves its job as it is: the lock expires and another worker takes it.
      if (p.state.killed) return new Promise<never>(() => undefined);
      if (e instanceof ThreadStartError) return p.giveBack(job, token, e);
      p.report({ type: 'failed', id, ms: performance.now() - started, message: (e as Error)?.message ?? String(e) });
      // Missing input data can come back (the submitter stores it again); anything else fails the same way twice.
      throw p.fail(e, e instanceof PersistenceError);
    }
  };
}

/** The connection: said once when it drops and once when it is back (ioredis reconnects by itself). */
async function watchConnection(
  worker: Worker,
  address: string,
  state: WorkerState,
  report: (e: JobEvent) => void,
): Promise<void> {
  let lost = false;
  const connection = await worker.client;
  connection.on('close', () => {
    if (lost || state.closing) return;
    lost = true;
    report({ type: 'lost', message: `lost Redis at ${address}; reconnecting` });
  });
  connection.on('ready', () => {
    if (!lost) return;
    lost = false;
    report({ type: 'restored', message: `reconnected to Redis at ${address}` });
  });
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
  const client = await dataClient(conn);
  client.on('error', () => undefined);
  const fail = (e: unknown, retry: boolean) => {
    const text = redact(JSON.stringify({ ...errorToData(e), stack: undefined }), conn.secrets);
    return retry ? new Error(text) : new UnrecoverableError(text);
  };
  const name = `${hostname()}:${process.pid}`;
  const state: WorkerState = { closing: false, killed: false, broken: false };
  const { giveBack, broken } = jobReturner(state, report, () => worker.close(), WaitingError);
  const seriesFor = inputLoader(client, options.cacheDir);
  const processor = jobProcessor({ address: conn.address, name, state, report, seriesFor, execute, fail, giveBack });
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
  await watchConnection(worker, conn.address, state, report);
  worker.on('error', (e) => report({ type: 'error', message: `queue error: ${e.message}` }));
  void worker
    .run()
    .catch((e: unknown) => report({ type: 'lost', message: `the worker stopped: ${(e as Error).message}` }));
  return {
    address: conn.address,
    name,
    broken,
    close: async () => {
      state.closing = true;
      await worker.close();
      client.disconnect();
    },
    kill: async () => {
      state.closing = true;
      state.killed = true;
      await closeAll([{ close: () => worker.close(true), disconnect: () => worker.disconnect() }]);
      client.disconnect();
    },
  };
}

/** One line that says who this worker is: version, job schema, address. @internal */
export function describeWorker(server: JobServer, concurrency: number, cacheDir: string | undefined): string {
  return `stockcast worker ${STOCKCAST_VERSION} (job schema ${JOB_SCHEMA}) ${server.name} on ${server.address}, concurrency ${concurrency}, cache ${cacheDir ?? 'in memory'}`;
}
