/** Sliding windows for many-to-one and multi-step training: inputs [t-L, t) of the features, targets [t, t+H) of the target. */
import { z } from 'zod';
import { DataError } from '../errors.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';
import type { Series } from '../data/series.js';

/** Options of {@link makeWindows} and {@link windowBatches}. */
export const WindowOptionsSchema = z
  .object({
    /** L: how many past rows each window reads. */
    lookback: z.number().int().positive(),
    /** H: how many future target values each window predicts (1 = many-to-one). */
    horizon: z.number().int().positive().default(1),
    /** The target column. */
    target: z.string().min(1),
    /** Input columns (default: the target alone), e.g. `['num_search', 'stock_price']`. */
    features: z.array(z.string().min(1)).min(1).optional(),
    /** Rows between consecutive windows' target starts (default 1). */
    step: v.step.optional(),
    /** Smallest target start index t (default: lookback, the first possible). */
    start: z.number().int().min(0).optional(),
    /** Targets must lie before this row index: t + H <= end (default: the series length). */
    end: z.number().int().min(0).optional(),
  })
  .strict();

/** Options of {@link makeWindows}, as accepted (before defaults). */
export type WindowOptions = z.input<typeof WindowOptionsSchema>;

/** A set of windows: row-major typed arrays ready for a tensor. */
export interface Windows {
  /** Inputs, shape [count, lookback, features.length], row-major. */
  x: Float32Array;
  /** Targets, shape [count, horizon], row-major. */
  y: Float32Array;
  /** Number of windows. */
  count: number;
  /** L. */
  lookback: number;
  /** H. */
  horizon: number;
  /** Input column names, in feature order. */
  features: string[];
  /** Target column name. */
  target: string;
  /** The row index t of each window's first target. */
  targetIndex: Int32Array;
  /** The timestamp of each window's first target (epoch ms). */
  targetTimestamps: Float64Array;
  /** `x`'s shape. */
  xShape: [number, number, number];
  /** `y`'s shape. */
  yShape: [number, number];
}

interface Plan {
  lookback: number;
  horizon: number;
  target: string;
  features: string[];
  first: number;
  step: number;
  count: number;
}

function plan(series: Series, options: WindowOptions): Plan {
  const o = parseOptions(WindowOptionsSchema, options, 'window options');
  const features = o.features ?? [o.target];
  for (const name of [o.target, ...features]) series.columnRef(name);
  const n = series.length;
  const end = Math.min(o.end ?? n, n);
  const first = Math.max(o.start ?? o.lookback, o.lookback);
  const last = end - o.horizon;
  if (last < first) {
    throw new DataError(
      `no complete window: lookback ${o.lookback} + horizon ${o.horizon} needs ${o.lookback + o.horizon} rows` +
        (o.start !== undefined || o.end !== undefined
          ? ` with targets in rows [${first}, ${end})`
          : `, the series has ${n}`),
      {},
      { hint: 'use a shorter lookback or horizon, or more data' },
    );
  }
  return {
    lookback: o.lookback,
    horizon: o.horizon,
    target: o.target,
    features,
    first,
    step: o.step ?? 1,
    count: Math.floor((last - first) / (o.step ?? 1)) + 1,
  };
}

type Shape = Pick<Plan, 'lookback' | 'horizon' | 'target' | 'features'>;

/** Gathers the windows whose first target rows are `rows`; targets (and timestamps) past the series' end are NaN. */
function gather(series: Series, p: Shape, rows: Int32Array): Windows {
  const count = rows.length;
  const F = p.features.length;
  const L = p.lookback;
  const H = p.horizon;
  const n = series.length;
  const cols = p.features.map((f) => series.columnRef(f));
  const target = series.columnRef(p.target);
  const x = new Float32Array(count * L * F);
  const y = new Float32Array(count * H);
  const targetTimestamps = new Float64Array(count);
  for (let w = 0; w < count; w++) {
    const t = rows[w];
    targetTimestamps[w] = t < n ? series.timestampAt(t) : Number.NaN;
    let o = w * L * F;
    for (let r = t - L; r < t; r++) for (let f = 0; f < F; f++) x[o++] = cols[f][r];
    for (let h = 0; h < H; h++) y[w * H + h] = t + h < n ? target[t + h] : Number.NaN;
  }
  return {
    x,
    y,
    count,
    lookback: L,
    horizon: H,
    features: p.features,
    target: p.target,
    targetIndex: rows,
    targetTimestamps,
    xShape: [count, L, F],
    yShape: [count, H],
  };
}

/** Fills windows [from, to) of a plan. */
function build(series: Series, p: Plan, from: number, to: number): Windows {
  return gather(
    series,
    p,
    Int32Array.from({ length: to - from }, (_, w) => p.first + (from + w) * p.step),
  );
}

/**
 * Cuts a series into supervised windows. Window i reads rows [t-L, t) of the features and predicts rows
 * [t, t+H) of the target, for every target start t with L <= t and t+H <= n (stepping by `step`,
 * limited to [start, end) when given). No input row is at or after its window's first target.
 *
 * @param series - the (already scaled, if wanted) series
 * @param options - see {@link WindowOptionsSchema}
 * @returns all windows, materialized
 * @throws {@link DataError} when no complete window fits (the message gives both numbers), or a column is missing
 * @throws {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { makeWindows, readCsv } from 'stockcast';
 * const s = await readCsv('fixtures/ncsoft-weekly.csv');
 * const w = makeWindows(s, { lookback: 5, target: 'stock_price', features: ['num_search', 'stock_price'] });
 * w.xShape; // [18, 5, 2]
 * ```
 */
export function makeWindows(series: Series, options: WindowOptions): Windows {
  const p = plan(series, options);
  return build(series, p, 0, p.count);
}

/**
 * The number of windows {@link makeWindows} would produce, without building them.
 * @param series - the series
 * @param options - see {@link WindowOptionsSchema}
 * @returns the window count
 * @throws {@link DataError} when no complete window fits
 * @example
 * ```ts
 * import { countWindows, Series } from 'stockcast';
 * countWindows(Series.create({ timestamps: [0, 1, 2, 3], columns: { v: [1, 2, 3, 4] } }), { lookback: 2, target: 'v' }); // 2
 * ```
 */
export function countWindows(series: Series, options: WindowOptions): number {
  return plan(series, options).count;
}

/**
 * Lazily yields the windows of {@link makeWindows} in batches of at most `batchSize`, so a long series
 * (1,000,000 rows with L=60) never needs all windows in memory at once.
 *
 * @param series - the series
 * @param options - window options plus `batchSize` (default 4096)
 * @returns an iterator of window batches, in order
 * @throws {@link DataError} when no complete window fits
 * @throws {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { windowBatches, readCsv } from 'stockcast';
 * const s = await readCsv('fixtures/sp500-2000.csv');
 * for (const batch of windowBatches(s, { lookback: 60, target: 'close', batchSize: 1024 })) console.log(batch.count);
 * ```
 */
export function* windowBatches(
  series: Series,
  options: WindowOptions & { batchSize?: number },
): Generator<Windows, void, undefined> {
  const { batchSize, ...rest } = parseOptions(
    WindowOptionsSchema.extend({ batchSize: z.number().int().positive().default(4096) }),
    options,
    'window options',
  );
  const p = plan(series, rest);
  for (let from = 0; from < p.count; from += batchSize)
    yield build(series, p, from, Math.min(p.count, from + batchSize));
}

/** Options of {@link windowsAt}: the window shape. */
export type WindowShape = Pick<WindowOptions, 'lookback' | 'horizon' | 'target' | 'features'>;

/**
 * The windows whose first target rows are the given origins: window i reads rows [t_i - L, t_i) of the features.
 * An origin may be the series' length (a forecast of the unseen future); targets past the end are NaN.
 * Forecasters use it to predict at many origins in one batch.
 *
 * @param series - the series
 * @param origins - target rows t with lookback <= t <= length
 * @param shape - lookback, horizon, target and features
 * @returns the windows, in the order of the origins
 * @throws {@link DataError} naming the first origin without `lookback` rows before it, or past the end
 * @throws {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { Series, windowsAt } from 'stockcast';
 * const s = Series.create({ timestamps: [0, 1, 2, 3], columns: { v: [1, 2, 3, 4] } });
 * windowsAt(s, [2, 4], { lookback: 2, target: 'v' }).x; // [1, 2, 3, 4]
 * ```
 */
export function windowsAt(series: Series, origins: ArrayLike<number>, shape: WindowShape): Windows {
  const o = parseOptions(WindowOptionsSchema, shape, 'window options');
  const features = o.features ?? [o.target];
  for (const name of [o.target, ...features]) series.columnRef(name);
  const rows = Int32Array.from(origins);
  for (let w = 0; w < origins.length; w++) {
    const t = origins[w];
    if (!Number.isInteger(t) || t < o.lookback || t > series.length) {
      throw new DataError(
        `origin ${w} (row ${t}) needs ${o.lookback} rows before it (lookback) within the series of ${series.length} rows`,
        {},
        { hint: `origins must lie in [${o.lookback}, ${series.length}]` },
      );
    }
  }
  return gather(series, { lookback: o.lookback, horizon: o.horizon, target: o.target, features }, rows);
}
