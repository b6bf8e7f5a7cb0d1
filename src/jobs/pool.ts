/**
 * The one pool of worker threads: it runs fold groups of any input and any model (backtest refits, sweep trials,
 * queued jobs), each exactly as the serial code would. Each thread is sent an input once and keeps the last few; a
 * thread that dies fails its task with a typed error and is replaced, unless threads keep failing to start: after
 * a few failed starts in a row the pool is broken and refuses every task with a ThreadStartError.
 */
import type { Worker } from 'node:worker_threads';
import { BackendError, errorFromData, StockcastError, ThreadStartError, type ErrorData } from '../errors.js';
import type { Series } from '../data/series.js';
import { siblingEntry, startWorker } from '../util/start-worker.js';
import type { FoldPlan, ModelJob } from '../backtest/folds.js';

/** An input as it crosses to a thread. @internal */
export interface TaskInput {
  timestamps: Float64Array;
  columns: Record<string, Float64Array>;
  frequency: string;
  stepMs: number;
}

/** Messages to a task thread. @internal */
export type TaskRequest =
  | { type: 'run'; id: number; key: string; input?: TaskInput; job: ModelJob; group: FoldPlan[] }
  | { type: 'drop'; key: string };
/** Replies of a task thread; `ready` comes first, once its modules have loaded. @internal */
export type TaskReply =
  | { ready: true }
  | { id: number; value: number[][]; ms: number }
  | { id: number; error: ErrorData };

interface Pending {
  id: number;
  key: string;
  series: Series;
  job: ModelJob;
  group: FoldPlan[];
  resolve(value: { value: number[][]; ms: number }): void;
  reject(error: StockcastError): void;
}

interface Slot {
  worker: Worker;
  keys: string[];
  task?: Pending;
  /** The thread has started: its entry module loaded and said so ('online' fires even when the file is missing). */
  ready: boolean;
  /** Its death was handled ('error' and 'exit' both fire for one death). */
  dead: boolean;
}

const KEPT_INPUTS = 8;
let started = 0;
let live = 0;
/** Job threads alive in this process (tests check that none is left behind). @internal */
export const liveJobThreads = (): number => live;
/** Task threads started in this process so far (tests check that a failing start is not retried forever). @internal */
export const taskThreadsStarted = (): number => started;

/** Failed starts in a row after which the pool gives up: a missing or broken entry file fails every time. */
export const MAX_START_FAILURES = 3;

/** @internal */
export class JobPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Pending[] = [];
  private next = 0;
  private closed = false;
  private startFailures = 0;
  private broken: ThreadStartError | undefined;
  private readonly exits: Promise<void>[] = [];

  /** @param size - threads (each trains one fold group at a time, on one thread) */
  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /**
   * Runs one fold group on the first free thread.
   * @param key - names the input (its content hash): a thread is sent each input once
   * @returns the group's forecasts, as {@link forecastGroup} gives them, and the time the thread spent on them
   * @throws the group's error, rebuilt with its class; BackendError when the thread died; ThreadStartError once
   *   threads have failed to start {@link MAX_START_FAILURES} times in a row (then for every later task too)
   */
  run(key: string, series: Series, job: ModelJob, group: FoldPlan[]): Promise<{ value: number[][]; ms: number }> {
    if (this.closed) return Promise.reject(new StockcastError('ABORTED', 'the task pool is closed'));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.waiting.push({ id: this.next++, key, series, job, group, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every thread; tasks not finished fail with `ABORTED`. */
  async close(): Promise<void> {
    this.closed = true;
    const aborted = new StockcastError('ABORTED', 'the task pool was closed');
    for (const p of this.waiting.splice(0)) p.reject(aborted);
    for (const s of this.slots) {
      s.task?.reject(aborted);
      s.task = undefined;
      void s.worker.terminate();
    }
    // Resolves once every thread this pool started has exited (replaced ones included), so none outlives the call.
    await Promise.all(this.exits);
  }

  /** Why the pool refuses tasks, once threads failed to start too often in a row. */
  get brokenBy(): ThreadStartError | undefined {
    return this.broken;
  }

  private spawn(): Slot {
    const slot: Slot = {
      worker: startWorker(siblingEntry(import.meta.url, '../job-thread'), {}),
      keys: [],
      ready: false,
      dead: false,
    };
    started++;
    live++;
    this.exits.push(new Promise((resolve) => slot.worker.once('exit', () => resolve(void live--))));
    slot.worker.on('message', (msg: TaskReply) => {
      if ('ready' in msg) {
        slot.ready = true;
        this.startFailures = 0;
        return;
      }
      const task = slot.task;
      slot.task = undefined;
      if (task) {
        if ('error' in msg) task.reject(errorFromData(msg.error, undefined, 'DATA_ERROR'));
        else task.resolve({ value: msg.value, ms: msg.ms });
      }
      this.dispatch();
    });
    slot.worker.on('error', (e) => this.died(slot, `failed: ${e.message}`));
    slot.worker.on('exit', (code) => this.died(slot, `exited unexpectedly (exit code ${code})`));
    return slot;
  }

  /** A thread died: fail its task and replace it, unless threads keep failing to start (then the pool is broken). */
  private died(slot: Slot, why: string): void {
    if (this.closed || slot.dead) return;
    slot.dead = true;
    // A thread that never said it was ready failed to start; one start is enough to show the install works.
    if (!slot.ready) this.startFailures++;
    const i = this.slots.indexOf(slot);
    if (this.startFailures >= MAX_START_FAILURES) {
      this.broken ??= new ThreadStartError(this.startFailures, `a training thread ${why}`);
      if (i >= 0) this.slots.splice(i, 1);
      slot.task?.reject(this.broken);
      slot.task = undefined;
      if (this.slots.every((s) => s.dead || !s.ready)) for (const p of this.waiting.splice(0)) p.reject(this.broken);
      return;
    }
    // A task sent to a thread that never started never ran: it waits for the replacement instead of failing.
    if (slot.task && !slot.ready) this.waiting.unshift(slot.task);
    else slot.task?.reject(new BackendError(`a training thread ${why}`));
    slot.task = undefined;
    if (i >= 0) this.slots[i] = this.spawn();
    this.dispatch();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.task || this.waiting.length === 0) continue;
      const task = this.waiting.shift()!;
      slot.task = task;
      let input: TaskInput | undefined;
      if (!slot.keys.includes(task.key)) {
        const s = task.series;
        input = {
          timestamps: s.timestamps,
          columns: Object.fromEntries(s.columns.map((c) => [c, s.column(c)])),
          frequency: s.meta.frequency,
          stepMs: s.meta.stepMs,
        };
        slot.keys.push(task.key);
        if (slot.keys.length > KEPT_INPUTS)
          slot.worker.postMessage({ type: 'drop', key: slot.keys.shift()! } satisfies TaskRequest);
      }
      slot.worker.postMessage({
        type: 'run',
        id: task.id,
        key: task.key,
        ...(input ? { input } : {}),
        job: task.job,
        group: task.group,
      } satisfies TaskRequest);
    }
  }
}
