/**
 * The jobs stockcast sends over a queue: plain data with a schema version, checked with zod by the worker that
 * receives them. One kind exists: a fold group (fit a fresh model on the rows before an origin, forecast its
 * origins), which is what backtest folds, sweep trials and per-symbol fits are made of.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { QueueError, ValidationError } from '../errors.js';
import type { ModelJob } from '../models/contract.js';
import { resolveModel } from '../models/resolve.js';
import { vocabulary as v } from '../vocabulary.js';

/** The version of the job format; a worker refuses jobs of any other version. @internal */
export const JOB_SCHEMA = 3;

/** This package's version, recorded in every job so a refusal can name both sides. @internal */
export const STOCKCAST_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected the SHA-256 hex digest of the input data');

/** One origin of a fold group. @internal */
export const FoldPlanSchema = z
  .object({ origin: z.number().int().min(1), trainStart: z.number().int().min(0), refit: z.boolean() })
  .strict()
  .refine((f) => f.trainStart < f.origin, { message: 'trainStart must come before the origin' });

/** A fold-group job as it travels: what to train on and where to forecast. @internal */
export const FoldJobSchema = z
  .object({
    schema: z.literal(JOB_SCHEMA),
    stockcast: z.string().max(64),
    kind: z.literal('fold-group'),
    /** The input data, by content hash (stored once in Redis, cached by workers). */
    data: sha256,
    /** The model: its canonical spec (a name the worker has registered) and its options (plain data). */
    model: z.object({ spec: z.string().min(1).max(200), options: z.record(z.string(), z.unknown()) }).strict(),
    /** What to forecast. */
    task: z
      .object({
        target: z.string().min(1).max(1000),
        horizon: v.horizon.schema,
        quantiles: v.quantiles.schema.optional(),
        targetKind: z.enum(['price', 'return', 'volatility', 'variance']),
      })
      .strict(),
    /** Threads one fit may use. */
    threads: z.number().int().min(1).max(1024),
    /** The group's origins; the first refits. */
    group: z.array(FoldPlanSchema).min(1).max(1_000_000),
    /** A global model's refit group on a panel (the input is the panel as one series; origins are its dates' rows). */
    panel: z.object({ trainLength: v.trainLength.schema.optional() }).strict().optional(),
  })
  .strict();

/** A fold-group job. @internal */
export type FoldJob = z.output<typeof FoldJobSchema>;

/** What a fold-group job returns: per origin, H forecasts (and any extra values the fold runner gives; NaN travels as null), the training time and who did it. @internal */
export const FoldResultSchema = z
  .object({ forecasts: z.array(z.array(z.number().or(z.null()))), ms: z.number().min(0), worker: z.string().max(300) })
  .strict();

/** A fold-group job's result. @internal */
export type FoldResult = z.output<typeof FoldResultSchema>;

/** Builds a job. @internal */
export function foldJob(
  data: string,
  job: ModelJob,
  group: ReadonlyArray<{ origin: number; trainStart: number; refit: boolean }>,
): FoldJob {
  const { target, horizon, quantiles, targetKind } = job.task;
  return {
    schema: JOB_SCHEMA,
    stockcast: STOCKCAST_VERSION,
    kind: 'fold-group',
    data,
    model: { spec: job.spec, options: { ...job.options } },
    task: { target, horizon, targetKind, ...(quantiles ? { quantiles: [...quantiles] } : {}) },
    threads: typeof job.threads === 'number' ? job.threads : 1,
    group: group.map(({ origin, trainStart, refit }) => ({ origin, trainStart, refit })),
    ...(job.panel
      ? { panel: { ...(job.panel.trainLength !== undefined ? { trainLength: job.panel.trainLength } : {}) } }
      : {}),
  };
}

/** JSON with object keys sorted, so equal jobs hash equally. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The job's id within one run: the run's id and the hash of the job's content. Equal work gets one job (a
 * duplicate trial is computed once); a retried or resubmitted job keeps its id, so it has one result.
 * @internal
 */
export function jobId(run: string, job: FoldJob): string {
  return `${run}-${createHash('sha256').update(canonical(job)).digest('hex').slice(0, 40)}`;
}

/**
 * Checks a received job: first its version (a clear refusal naming both versions), then its shape and its
 * model, so a malformed job fails with the path of what is wrong.
 * @throws {@link QueueError} for a job of another schema or stockcast version
 * @throws {@link ValidationError} for a malformed job, a model this worker has not registered, or invalid model options
 * @internal
 */
export async function checkJob(raw: unknown, address: string): Promise<{ job: FoldJob; model: ModelJob }> {
  const record = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  if (record.schema !== JOB_SCHEMA) {
    const theirs = typeof record.stockcast === 'string' ? `stockcast ${record.stockcast.slice(0, 64)}, ` : '';
    throw new QueueError(
      `refused a job of schema ${JSON.stringify(record.schema ?? null)} (${theirs}from the submitter): this worker runs stockcast ${STOCKCAST_VERSION} with job schema ${JOB_SCHEMA}`,
      address,
      { hint: 'run the same stockcast version on the submitting machine and on every worker' },
    );
  }
  // Same schema, another release: the kernels or defaults may differ, so the numbers could; refused too.
  if (typeof record.stockcast === 'string' && record.stockcast !== STOCKCAST_VERSION) {
    throw new QueueError(
      `refused a job from stockcast ${record.stockcast.slice(0, 64)} (job schema ${JOB_SCHEMA}): this worker runs stockcast ${STOCKCAST_VERSION}, and results are only identical within one version`,
      address,
      {
        hint: 'run the same stockcast version on the submitting machine and on every worker',
      },
    );
  }
  const parsed = FoldJobSchema.safeParse(raw);
  if (!parsed.success) throw ValidationError.fromZod('job', parsed.error);
  if (typeof parsed.data.model.options.validation === 'object')
    throw new ValidationError('job model options', [
      { path: 'validation', message: 'a job carries validation as a fraction only' },
    ]);
  // The model must be registered here (built in, or by a module the worker was started with), and its options
  // must pass its schema: a job names a model, never code to load.
  const { model, task, threads, panel } = parsed.data;
  await resolveModel({ model: model.spec, options: model.options }, panel ? { panel: true } : {});
  return {
    job: parsed.data,
    model: { spec: model.spec, options: model.options, task, threads, ...(panel ? { panel } : {}) },
  };
}
