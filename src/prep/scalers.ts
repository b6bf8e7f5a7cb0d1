/** Per-column scalers (min-max, standard, robust) as one affine map x' = (x - center) / scale + shift, with exact inverses and JSON state. */
import { z } from 'zod';
import { DataError, NotFittedError } from '../errors.js';
import { Series } from '../data/series.js';
import { parseOptions } from '../validate.js';

/** The scaler kinds. */
export type ScalerKind = 'minmax' | 'standard' | 'robust';

/** A scaler's fitted state, as plain JSON. */
export interface ScalerState {
  /** Which scaler. */
  kind: ScalerKind;
  /** Column names (for Series) or `"0"`, `"1"`, ... (for matrices). */
  columns: string[];
  /** Per-column center subtracted first. */
  center: number[];
  /** Per-column divisor (never 0). */
  scale: number[];
  /** Per-column value added last. */
  shift: number[];
  /** Min-max only: the output range. */
  featureRange?: [number, number];
}

/** Input accepted by `fit` and `transform`: a Series, or a matrix of rows (`number[][]`, one array per row). */
export type ScalerInput = Series | ReadonlyArray<ReadonlyArray<number>>;

const StateSchema = z.object({
  kind: z.enum(['minmax', 'standard', 'robust']),
  columns: z.array(z.string()),
  center: z.array(z.number()),
  scale: z.array(z.number().refine((v) => v !== 0 && Number.isFinite(v), 'scale must be finite and non-zero')),
  shift: z.array(z.number()),
  featureRange: z.tuple([z.number(), z.number()]).optional(),
});

function columnsOf(data: ScalerInput): { names: string[]; values: Float64Array[] } {
  if (data instanceof Series) return { names: data.columns, values: data.columns.map((c) => data.columnRef(c)) };
  const width = data[0]?.length ?? 0;
  data.forEach((row, i) => {
    if (row.length !== width) throw new DataError(`matrix row ${i} has ${row.length} values, row 0 has ${width}`);
  });
  return {
    names: Array.from({ length: width }, (_, j) => String(j)),
    values: Array.from({ length: width }, (_, j) => Float64Array.from(data, (row) => row[j])),
  };
}

function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Common machinery of the scalers. Constant columns (zero range, deviation or IQR) get scale 1, so they map to
 * `shift` (the range's lower bound for min-max, 0 otherwise) instead of NaN or Infinity, as scikit-learn does.
 */
abstract class ColumnScaler {
  protected state: ScalerState | undefined;
  protected abstract readonly kind: ScalerKind;

  protected abstract stats(values: Float64Array): { center: number; scale: number; shift: number };

  /**
   * Learns per-column statistics. Fit on training data only.
   * @param data - a Series or a matrix of rows
   * @returns this scaler
   * @throws {@link DataError} when the data is empty or a matrix is ragged
   */
  fit(data: ScalerInput): this {
    const { names, values } = columnsOf(data);
    if (names.length === 0 || values[0].length === 0)
      throw new DataError(`${this.constructor.name}.fit() needs at least one row and one column`);
    const stats = values.map((v) => this.stats(v));
    this.state = {
      kind: this.kind,
      columns: names,
      center: stats.map((s) => s.center),
      scale: stats.map((s) => (s.scale === 0 || !Number.isFinite(s.scale) ? 1 : s.scale)),
      shift: stats.map((s) => s.shift),
      ...this.extraState(),
    };
    return this;
  }

  protected extraState(): Partial<ScalerState> {
    return {};
  }

  /** Installs a validated state (used by {@link scalerFromJSON}). @internal */
  restore(state: ScalerState): this {
    this.state = structuredClone(state);
    return this;
  }

  /** Whether `fit` has run. */
  get fitted(): boolean {
    return this.state !== undefined;
  }

  /** The fitted column names. */
  get columns(): string[] {
    return [...this.require('columns').columns];
  }

  private require(method: string): ScalerState {
    if (!this.state) throw new NotFittedError(this.constructor.name, method);
    return this.state;
  }

  private indexOf(column: string | number, method: string): number {
    const s = this.require(method);
    const j = typeof column === 'number' ? column : s.columns.indexOf(column);
    if (j < 0 || j >= s.columns.length)
      throw new DataError(
        `${this.constructor.name} was fitted on columns ${s.columns.join(', ')}: no column ${JSON.stringify(column)}`,
      );
    return j;
  }

  /**
   * Scales one column's values.
   * @param values - the values
   * @param column - the column name or index it was fitted as
   * @returns the scaled values (a new array)
   * @throws {@link NotFittedError} before `fit`
   */
  transformColumn(values: ArrayLike<number>, column: string | number): Float64Array {
    const j = this.indexOf(column, 'transformColumn');
    const { center, scale, shift } = this.state!;
    return Float64Array.from(values, (v) => (v - center[j]) / scale[j] + shift[j]);
  }

  /**
   * Maps scaled values of one column back to original units, e.g. forecasts of the target.
   * @param values - scaled values
   * @param column - the column name or index
   * @returns values in original units (a new array)
   * @throws {@link NotFittedError} before `fit`
   */
  inverseTransformColumn(values: ArrayLike<number>, column: string | number): Float64Array {
    const j = this.indexOf(column, 'inverseTransformColumn');
    const { center, scale, shift } = this.state!;
    return Float64Array.from(values, (v) => (v - shift[j]) * scale[j] + center[j]);
  }

  /**
   * Scales every fitted column of a Series (other columns pass through) or a matrix.
   * @param data - a Series or a matrix of rows
   * @returns the scaled copy, of the same kind
   * @throws {@link NotFittedError} before `fit`
   */
  transform<T extends ScalerInput>(data: T): T {
    return this.apply(data, 'transform', (v, c) => this.transformColumn(v, c));
  }

  /**
   * The inverse of {@link ColumnScaler.transform}.
   * @param data - a scaled Series or matrix
   * @returns the copy in original units
   * @throws {@link NotFittedError} before `fit`
   */
  inverseTransform<T extends ScalerInput>(data: T): T {
    return this.apply(data, 'inverseTransform', (v, c) => this.inverseTransformColumn(v, c));
  }

  private apply<T extends ScalerInput>(
    data: T,
    method: string,
    f: (v: ArrayLike<number>, c: string | number) => Float64Array,
  ): T {
    const s = this.require(method);
    if (data instanceof Series) {
      let out: Series = data;
      for (const c of s.columns) if (data.has(c)) out = out.withColumn(c, f(data.columnRef(c), c));
      return out as T;
    }
    const { values } = columnsOf(data);
    if (values.length !== s.columns.length)
      throw new DataError(`expected ${s.columns.length} columns, received ${values.length}`);
    const scaled = values.map((v, j) => f(v, j));
    return (data as ReadonlyArray<ReadonlyArray<number>>).map((_, i) => scaled.map((col) => col[i])) as unknown as T;
  }

  /**
   * The fitted state as plain JSON.
   * @returns a copy of the state
   * @throws {@link NotFittedError} before `fit`
   */
  toJSON(): ScalerState {
    return structuredClone(this.require('toJSON'));
  }
}

/**
 * Scales each column to a range (default [0, 1]) by its min and max.
 * @example
 * ```ts
 * import { MinMaxScaler } from 'stockcast';
 * const s = new MinMaxScaler().fit([[1], [3]]);
 * s.transform([[2]]); // [[0.5]]
 * ```
 */
export class MinMaxScaler extends ColumnScaler {
  protected readonly kind = 'minmax';
  /** The output range [low, high]. */
  readonly featureRange: [number, number];

  /**
   * @param options - `featureRange`, default [0, 1]
   * @throws {@link ValidationError} when the range is not increasing
   */
  constructor(options: { featureRange?: [number, number] } = {}) {
    super();
    const o = parseOptions(
      z
        .object({
          featureRange: z
            .tuple([z.number(), z.number()])
            .refine(([a, b]) => a < b, 'expected [low, high] with low < high')
            .default([0, 1]),
        })
        .strict(),
      options,
      'MinMaxScaler options',
    );
    this.featureRange = o.featureRange;
  }

  protected stats(v: Float64Array) {
    let min = Infinity;
    let max = -Infinity;
    for (const x of v) {
      if (x < min) min = x;
      if (x > max) max = x;
    }
    const [a, b] = this.featureRange;
    return { center: min, scale: (max - min) / (b - a), shift: a };
  }

  protected override extraState(): Partial<ScalerState> {
    return { featureRange: [...this.featureRange] };
  }
}

/**
 * Centers each column on its mean and divides by its (population) standard deviation.
 * @example
 * ```ts
 * import { StandardScaler } from 'stockcast';
 * new StandardScaler().fit([[1], [3]]).transform([[3]]); // [[1]]
 * ```
 */
export class StandardScaler extends ColumnScaler {
  protected readonly kind = 'standard';
  protected stats(v: Float64Array) {
    let mean = 0;
    for (const x of v) mean += x;
    mean /= v.length;
    let ss = 0;
    for (const x of v) ss += (x - mean) ** 2;
    return { center: mean, scale: Math.sqrt(ss / v.length), shift: 0 };
  }
}

/**
 * Centers each column on its median and divides by its interquartile range (robust to outliers).
 * @example
 * ```ts
 * import { RobustScaler } from 'stockcast';
 * new RobustScaler().fit([[1], [2], [3], [4], [100]]).transform([[3]]); // [[0]]
 * ```
 */
export class RobustScaler extends ColumnScaler {
  protected readonly kind = 'robust';
  protected stats(v: Float64Array) {
    const sorted = Float64Array.from(v).sort();
    return { center: quantile(sorted, 0.5), scale: quantile(sorted, 0.75) - quantile(sorted, 0.25), shift: 0 };
  }
}

/** Any of the three scalers. */
export type Scaler = MinMaxScaler | StandardScaler | RobustScaler;

/**
 * Creates an unfitted scaler by kind.
 * @param kind - `minmax`, `standard` or `robust`
 * @returns the scaler
 * @example
 * ```ts
 * import { createScaler } from 'stockcast';
 * const scaler = createScaler('standard');
 * ```
 */
export function createScaler(kind: ScalerKind): Scaler {
  return kind === 'minmax' ? new MinMaxScaler() : kind === 'standard' ? new StandardScaler() : new RobustScaler();
}

/**
 * Restores a fitted scaler from {@link ColumnScaler.toJSON} output; transforms are bit-identical.
 * @param state - the JSON state
 * @returns the fitted scaler
 * @throws {@link ValidationError} when the state is malformed
 * @example
 * ```ts
 * import { MinMaxScaler, scalerFromJSON } from 'stockcast';
 * const copy = scalerFromJSON(new MinMaxScaler().fit([[1], [2]]).toJSON());
 * ```
 */
export function scalerFromJSON(state: ScalerState): Scaler {
  const s = parseOptions(StateSchema, state, 'scaler state');
  const k = s.columns.length;
  if (s.center.length !== k || s.scale.length !== k || s.shift.length !== k) {
    throw new DataError(
      `scaler state has ${k} columns but ${s.center.length}/${s.scale.length}/${s.shift.length} center/scale/shift values`,
    );
  }
  const scaler =
    s.kind === 'minmax'
      ? new MinMaxScaler(s.featureRange ? { featureRange: s.featureRange } : {})
      : createScaler(s.kind);
  return scaler.restore(s as ScalerState);
}
