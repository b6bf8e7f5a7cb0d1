/** danfojs interop: Series <-> DataFrame. danfojs-node is an optional peer, loaded only when these are called. */
import { z } from 'zod';
import { BackendError, DataError } from '../../errors.js';
import { parseOptions } from '../../validate.js';
import { assembleSeries, DuplicatePolicySchema, MissingPolicySchema } from '../assemble.js';
import { detectDateFormat, compileDateFormat } from '../dates.js';
import type { Series } from '../series.js';

/** The parts of a danfojs DataFrame that stockcast reads; any danfojs-node or danfojs DataFrame fits. */
export interface DataFrameLike {
  /** Column names. */
  columns: string[];
  /** Row labels. */
  index: ReadonlyArray<unknown>;
  /** One column's values. */
  column(name: string): {
    /** The values, one per row. */
    values: ReadonlyArray<unknown>;
  };
}

/** Options of {@link fromDataFrame}. */
export const FromDataFrameOptionsSchema = z
  .object({
    /** The date column; default: a column named date/timestamp/time/datetime, else the index. */
    dateColumn: z.string().min(1).optional(),
    /** Value columns to keep (default: all but the date column). */
    columns: z.array(z.string().min(1)).min(1).optional(),
    /** Missing values (null, undefined, NaN): `error` (default), `drop`, `ffill` or `interpolate`. */
    missing: MissingPolicySchema.default('error'),
    /** Repeated dates: `error` (default), `first` or `last`. */
    duplicates: DuplicatePolicySchema.default('error'),
    /** Symbol stored in the Series' metadata. */
    symbol: z.string().min(1).optional(),
  })
  .strict();

/** Options of {@link fromDataFrame}, as accepted. */
export type FromDataFrameOptions = z.input<typeof FromDataFrameOptionsSchema>;

/** The one part of danfojs-node stockcast calls: the DataFrame constructor. @internal */
export interface DanfoModule {
  DataFrame: new (data: Record<string, unknown[]>, options: { dtypes: string[] }) => unknown;
}

/** Loads danfojs-node, or fails with a BackendError that says how to install it. @internal */
export async function loadDanfo(): Promise<DanfoModule> {
  try {
    // A variable specifier keeps danfojs' types out of stockcast's published declarations.
    const name = 'danfojs-node';
    return (await import(name)) as DanfoModule;
  } catch (e) {
    throw new BackendError('danfojs-node is not installed', {
      cause: e,
      hint: 'npm install danfojs-node (an optional peer dependency)',
    });
  }
}

/**
 * Converts a Series to a danfojs-node DataFrame: a `date` column of Date objects, then one float column per
 * series column. Values are kept exactly (volumes above 2^31 included); numeric columns are typed `float32` so
 * danfojs never packs them into overflowing int32 tensors.
 *
 * The result is typed {@link DataFrameLike} so stockcast's types never require danfojs; pass danfojs' own type
 * to get its full API: `toDataFrame<DataFrame>(series)` with `import type { DataFrame } from 'danfojs-node'`.
 *
 * @param series - the series to convert
 * @returns a danfojs-node DataFrame
 * @throws {@link BackendError} when danfojs-node is not installed
 * @example
 * ```ts
 * import type { DataFrame } from 'danfojs-node';
 * import { readCsv, toDataFrame } from 'stockcast';
 * const df = await toDataFrame<DataFrame>(await readCsv('fixtures/ncsoft-weekly.csv'));
 * df.print();
 * ```
 */
export async function toDataFrame<T = DataFrameLike>(series: Series): Promise<T> {
  const danfo = await loadDanfo();
  const data: Record<string, unknown[]> = { date: series.dates() };
  for (const name of series.columns) data[name] = Array.from(series.columnRef(name));
  return new danfo.DataFrame(data, { dtypes: ['datetime', ...series.columns.map(() => 'float32')] }) as unknown as T;
}

function toEpochs(values: ReadonlyArray<unknown>, where: string): Float64Array {
  const strings = values.filter((v): v is string => typeof v === 'string').slice(0, 1000);
  const detected = strings.length > 0 ? detectDateFormat(strings) : undefined;
  const parse = detected && 'format' in detected ? compileDateFormat(detected.format) : undefined;
  return Float64Array.from(values, (v, i) => {
    const t =
      v instanceof Date
        ? v.getTime()
        : typeof v === 'number'
          ? v
          : typeof v === 'string' && parse
            ? parse(v.trim())
            : Number.NaN;
    if (!Number.isFinite(t))
      throw new DataError(
        `row ${i} of ${where}: expected a Date, epoch ms or date string, received ${JSON.stringify(v)}`,
      );
    return t;
  });
}

/**
 * Builds a Series from a danfojs DataFrame (or anything shaped like one).
 *
 * @param df - the DataFrame
 * @param options - see {@link FromDataFrameOptionsSchema}
 * @returns the Series, sorted ascending, with an ingestion report
 * @throws {@link DataError} naming the row and column of a non-numeric value, an unreadable date, or a missing column
 * @throws {@link ValidationError} for invalid options
 * @example
 * ```ts
 * import { fromDataFrame, toDataFrame, readCsv } from 'stockcast';
 * const s = await readCsv('fixtures/ncsoft-weekly.csv');
 * const back = fromDataFrame(await toDataFrame(s)); // same rows as s
 * ```
 */
export function fromDataFrame(df: DataFrameLike, options: FromDataFrameOptions = {}): Series {
  const opts = parseOptions(FromDataFrameOptionsSchema, options, 'DataFrame options');
  const { timestamps, columns } = readFrame(df, opts, []);
  return assembleSeries(
    { timestamps, columns, locate: () => ({}) },
    { missing: opts.missing, duplicates: opts.duplicates },
    { source: 'dataframe', ...(opts.symbol ? { symbol: opts.symbol } : {}) },
  );
}

/**
 * The date and value columns of a DataFrame as typed arrays (missing values as NaN), leaving out `exclude`.
 * @internal
 */
export function readFrame(
  df: DataFrameLike,
  opts: { dateColumn?: string | undefined; columns?: string[] | undefined; missing: string },
  exclude: readonly string[],
): { timestamps: Float64Array; columns: Map<string, Float64Array> } {
  const names = [...df.columns];
  const list = names.map((c) => `"${c}"`).join(', ');
  const dateColumn =
    opts.dateColumn ?? names.find((c) => ['date', 'timestamp', 'time', 'datetime'].includes(c.toLowerCase()));
  if (opts.dateColumn && !names.includes(opts.dateColumn))
    throw new DataError(`no date column "${opts.dateColumn}": the DataFrame has ${list}`);
  const timestamps = dateColumn
    ? toEpochs(df.column(dateColumn).values, `column "${dateColumn}"`)
    : toEpochs(df.index, 'the index');
  const wanted = opts.columns ?? names.filter((c) => c !== dateColumn && !exclude.includes(c));
  if (wanted.length === 0) throw new DataError(`no value columns besides the date column: the DataFrame has ${list}`);
  const columns = new Map<string, Float64Array>();
  for (const name of wanted) {
    if (!names.includes(name) || name === dateColumn || exclude.includes(name))
      throw new DataError(`no value column "${name}": the DataFrame has ${list}`);
    const values = df.column(name).values;
    columns.set(
      name,
      Float64Array.from(values, (v, i) => {
        if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
          if (opts.missing === 'error')
            throw new DataError(
              `row ${i} column "${name}": missing value`,
              {},
              { hint: "pass missing: 'drop', 'ffill' or 'interpolate'" },
            );
          return Number.NaN;
        }
        if (typeof v !== 'number' || !Number.isFinite(v))
          throw new DataError(`row ${i} column "${name}": expected a finite number, received ${JSON.stringify(v)}`);
        return v;
      }),
    );
  }
  return { timestamps, columns };
}
