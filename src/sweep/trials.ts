/** Trials of a sweep: configurations trained on the validation folds (locally or as queued jobs) and scored by the objective. */
import { computeMetrics, type Metrics } from '../backtest/metrics.js';
import { runFoldTasks, type FoldTask } from '../jobs/run.js';
import type { JobPool } from '../jobs/pool.js';
import type { BacktestResult } from '../backtest/walk-forward.js';
import type { ModelTask, ResolvedModel } from '../models/contract.js';
import type { ModelJob } from '../backtest/folds.js';
import type { QueueOptions } from '../queue/options.js';
import type { JobOutcome, JobProgress } from '../queue/submit.js';
import type { Rung } from './search.js';
import type { Params } from './space.js';
import { spanResult, type Span } from './spans.js';

/** The metric a sweep minimizes (directional accuracy is maximized). */
export type Objective = keyof Omit<Metrics, 'count'>;

/** One configuration tried by a sweep. */
export interface Trial {
  /** Its place in the order the search drew configurations (0-based). */
  index: number;
  /** The values of the space's options. */
  params: Params;
  /** `complete`; `pruned` (successive halving stopped it at a lower rung); `failed` (see `error`). */
  status: 'complete' | 'pruned' | 'failed';
  /** Validation metrics at its last rung, pooled over the validation folds (null when it failed). */
  metrics: Metrics | null;
  /** The objective's value on validation (NaN when it failed). */
  objective: number;
  /** Epochs of its last training. */
  epochs: number;
  /** Successive halving: the last rung it reached (0-based). */
  rung?: number;
  /** Why it failed. */
  error?: string;
  /** Training time of its jobs, summed over folds and rungs (ms; varies from run to run, unlike everything else here). */
  timeMs: number;
  /**
   * At horizon 1 on a series: the per-period Sharpe ratio of its strategy (long-flat, 5 bps) on the validation folds,
   * at its last rung; the trials' Sharpe ratios give the chosen one's deflated Sharpe ratio.
   */
  sharpe?: number;
}

/** Where a sweep stands. */
export interface SweepProgress {
  /** `validation` while the search runs, `test` while the chosen configuration is scored. */
  phase: 'validation' | 'test';
  /** Successive halving: the rung being trained. */
  rung?: {
    /** 0-based. */
    index: number;
    /** How many rungs there are. */
    count: number;
  };
  /** The sweep's trials. */
  trials: {
    /** How many the sweep has. */
    total: number;
    /** How many have their final result. */
    done: number;
    /** How many of those failed. */
    failed: number;
  };
  /** The jobs of the current phase (or rung). */
  jobs: JobProgress;
}

/** How trials run. @internal */
export interface RunContext {
  model: string;
  target: string;
  horizon: number;
  /** The model, its options before the trial's (plain data), and the task. */
  base: {
    model: ResolvedModel;
    spec: string;
    options: Record<string, unknown>;
    task: ModelTask;
    modules: ModelJob['modules'];
  };
  concurrency: number;
  pool?: JobPool | undefined;
  queue?: QueueOptions | undefined;
  signal?: AbortSignal | undefined;
  onJobs?: (p: JobProgress) => void;
}

/** A configuration to train at one budget. @internal */
export interface Candidate {
  index: number;
  params: Params;
  epochs: number;
}

/** A candidate's validation outcome: metrics pooled over every symbol's points. @internal */
export type Scored =
  | { ok: true; metrics: Metrics; results: BacktestResult[]; ms: number }
  | { ok: false; error: string; ms: number };

/** A span of one series: the series' own, or one symbol's of a panel. @internal */
export interface SpanPart {
  symbol?: string | undefined;
  span: Span;
}

/**
 * Metrics pooled over several series' points: errors over every point, MASE as the mean of each point's error
 * scaled by its own series' naive error.
 * @internal
 */
export function pooledMetrics(results: readonly BacktestResult[]): Metrics {
  if (results.length === 1) return results[0].metrics;
  const metrics = computeMetrics(
    results.flatMap((r) => r.points),
    Number.NaN,
    results[0]?.targetKind,
  );
  const count = results.reduce((a, r) => a + r.metrics.count, 0);
  return { ...metrics, mase: results.reduce((a, r) => a + r.metrics.mase * r.metrics.count, 0) / count };
}

/** Sort key of the objective: smaller is better, a NaN or a failure ranks last, ties go to the earlier trial. @internal */
export function rank(objective: Objective, value: number): number {
  if (!Number.isFinite(value)) return Infinity;
  return objective === 'directionalAccuracy' ? -value : value;
}

/**
 * Trains every candidate on every fold group of the span in one run of jobs (so workers stay busy across
 * trials) and scores each.
 * @internal
 */
export async function scoreCandidates(
  candidates: readonly Candidate[],
  parts: readonly SpanPart[],
  ctx: RunContext,
): Promise<Scored[]> {
  const layout = parts.flatMap((part) => part.span.groups.map((group) => ({ part, group })));
  const { model, options, task, modules } = ctx.base;
  const job = (c: Candidate): ModelJob => ({
    spec: ctx.base.spec,
    options: { ...options, ...c.params, ...(model.definition.forecaster ? { epochs: c.epochs } : {}) },
    task,
    threads: 1,
    modules,
  });
  const tasks: FoldTask[] = candidates.flatMap((c) =>
    layout.map(({ part, group }) => ({ series: part.span.series, job: job(c), group })),
  );
  const outcomes: JobOutcome[] = await runFoldTasks(tasks, {
    queue: ctx.queue,
    concurrency: ctx.concurrency,
    pool: ctx.pool,
    signal: ctx.signal,
    onProgress: ctx.onJobs,
  });
  return candidates.map((_, k) => {
    const mine = outcomes.slice(k * layout.length, (k + 1) * layout.length);
    const ms = mine.reduce((a, o) => a + (o.ok ? o.ms : 0), 0);
    const failed = mine.findIndex((o) => !o.ok);
    if (failed >= 0) {
      const symbol = layout[failed].part.symbol;
      return {
        ok: false,
        error: `${symbol !== undefined ? `${symbol}: ` : ''}${(mine[failed] as { error: Error }).error.message}`,
        ms,
      };
    }
    let at = 0;
    const results = parts.map((part) => {
      const values = mine.slice(at, (at += part.span.groups.length)).map((o) => (o as { value: number[][] }).value);
      return spanResult(
        part.span,
        ctx.model,
        { target: ctx.target, horizon: ctx.horizon, targetKind: task.targetKind },
        values,
        ms,
      );
    });
    return { ok: true, metrics: pooledMetrics(results), results, ms };
  });
}

/**
 * Trains the configurations rung by rung (one rung unless halving): after each rung but the last, the best
 * `configurations` of the next rung go on with its epochs and the others are pruned with their metrics.
 * @param context - the run context of a rung, given a reader of the trials' progress
 * @returns every trial with its final status
 * @internal
 */
export async function searchTrials(
  points: readonly Params[],
  rungs: readonly Rung[],
  parts: readonly SpanPart[],
  objective: Objective,
  context: (rung: number, progress: () => SweepProgress['trials']) => RunContext,
  sharpeOf?: (results: readonly BacktestResult[]) => number,
): Promise<Trial[]> {
  const trials: Trial[] = points.map((params, index) => ({
    index,
    params,
    status: 'failed',
    metrics: null,
    objective: Number.NaN,
    epochs: 0,
    timeMs: 0,
  }));
  const finalized = new Set<number>();
  const progress = () => ({
    total: trials.length,
    done: finalized.size,
    failed: [...finalized].filter((i) => trials[i].status === 'failed').length,
  });
  let alive: Candidate[] = points.map((params, index) => ({ index, params, epochs: rungs[0].epochs }));
  for (let r = 0; r < rungs.length; r++) {
    const scored = await scoreCandidates(alive, parts, context(r, progress));
    scored.forEach((s, k) => {
      const t = trials[alive[k].index];
      Object.assign(t, { epochs: alive[k].epochs, timeMs: t.timeMs + s.ms, ...(rungs.length > 1 ? { rung: r } : {}) });
      if (s.ok) {
        Object.assign(t, { status: 'complete', metrics: s.metrics, objective: s.metrics[objective] ?? Number.NaN });
        if (sharpeOf) t.sharpe = sharpeOf(s.results);
      } else Object.assign(t, { status: 'failed', metrics: null, objective: Number.NaN, error: s.error });
    });
    if (r + 1 === rungs.length) break;
    const ranked = alive
      .filter((c) => trials[c.index].status === 'complete')
      .sort(
        (a, b) =>
          rank(objective, trials[a.index].objective) - rank(objective, trials[b.index].objective) || a.index - b.index,
      );
    const next = ranked.slice(0, rungs[r + 1].configurations);
    for (const c of alive) {
      if (next.includes(c)) continue;
      if (trials[c.index].status === 'complete') trials[c.index].status = 'pruned';
      finalized.add(c.index);
    }
    alive = next.map((c) => ({ ...c, epochs: rungs[r + 1].epochs }));
  }
  return trials;
}
