/** Windows over a panel, drawn lazily: an index of (symbol, target row) pairs, and batches gathered on demand with past, future-known and static inputs. */
import { DataError } from '../errors.js';

/** One symbol's (already scaled) data as the windows read it. All row-indexed arrays share the symbol's rows. */
export interface PanelWindowSource {
  /** Past covariates (the target included when it is an input): one array per feature, one value per row. */
  past: ReadonlyArray<ArrayLike<number>>;
  /** The target, one value per row. */
  target: ArrayLike<number>;
  /**
   * Future-known covariates (calendar features, user columns known ahead): one array per feature. Row r must
   * exist for every row a window reads and every step it forecasts, so for a forecast past the data's end these
   * arrays run `horizon` rows longer than the target.
   */
  known?: ReadonlyArray<ArrayLike<number>>;
  /** Static covariates of the symbol (numbers, one-hot categories, a symbol embedding's one-hot). */
  statics?: ArrayLike<number>;
}

/** The shape of every window: lookback L, horizon H, and how many of each kind of input. */
export interface PanelWindowShape {
  /** L: past rows read. */
  lookback: number;
  /** H: future target values predicted. */
  horizon: number;
  /** Past covariates per row. */
  past: number;
  /** Future-known covariates per row. */
  known: number;
  /** Static covariates per symbol. */
  statics: number;
  /**
   * `last` makes each window's past covariates and targets relative to the window's own last value
   * (x / x_last - 1), so one network serves symbols of any price level; `none` (default) leaves them as given.
   */
  windowNorm?: 'none' | 'last';
}

/** Steps per window and inputs per step, as the engine sees them. */
export interface PanelWindowLayout {
  /** Steps per window: lookback, plus horizon when there are future-known covariates. */
  steps: number;
  /** Inputs per step. */
  inputSize: number;
}

/**
 * How a window is laid out for the recurrent network: `lookback` past steps, then (when there are future-known
 * covariates) `horizon` forecast steps. Each step's input is [past covariates, known covariates, statics,
 * isForecastStep]; on a forecast step the past covariates are 0 (unknown) and the known covariates are those of
 * the step forecast, so the network reads each forecast step's calendar before its head predicts all H values.
 * @param shape - the window shape
 * @returns steps per window and inputs per step
 */
export function panelWindowLayout(shape: PanelWindowShape): PanelWindowLayout {
  const decoder = shape.known > 0;
  return {
    steps: shape.lookback + (decoder ? shape.horizon : 0),
    inputSize: shape.past + shape.known + shape.statics + (decoder ? 1 : 0),
  };
}

/** Which windows exist: window i reads symbol `symbol[i]`'s rows [row[i] - L, row[i]) and predicts [row[i], row[i] + H). */
export interface PanelWindowIndex {
  /** Symbol number (index into the panel's symbols) of each window. */
  symbol: Int32Array;
  /** First target row of each window. */
  row: Int32Array;
  /** Number of windows. */
  count: number;
}

/**
 * Lists every window of a panel without building any: for each symbol, every first-target row t with
 * L <= t and t + H <= end (stepping by `step` from `start`). Costs 8 bytes per window, so 500 symbols x 5,000
 * rows is 20 MB of index, not the 3 GB the windows themselves would take.
 *
 * @param lengths - rows of each symbol
 * @param options - lookback, horizon, step (default 1), per-symbol `starts` (smallest t) and `ends` (targets before
 *   this row), and `allowEmpty`
 * @returns the index, with the count of each symbol (`perSymbol`: 0 for a symbol too short for one window)
 * @throws {@link DataError} when no symbol has a complete window (unless `allowEmpty`)
 * @example
 * ```ts
 * import { panelWindowIndex } from 'stockcast';
 * panelWindowIndex([5, 3], { lookback: 2, horizon: 1 }).count; // 3 + 1
 * ```
 */
export function panelWindowIndex(
  lengths: ArrayLike<number>,
  options: {
    lookback: number;
    horizon: number;
    step?: number;
    starts?: ArrayLike<number>;
    ends?: ArrayLike<number>;
    /** Return an empty index instead of throwing when no symbol has a window (held-out spans may have none). */
    allowEmpty?: boolean;
  },
): PanelWindowIndex & PanelWindowCounts {
  const { lookback: L, horizon: H, step = 1 } = options;
  if (!Number.isInteger(L) || L < 1 || !Number.isInteger(H) || H < 1 || !Number.isInteger(step) || step < 1) {
    throw new DataError(`lookback, horizon and step must be positive integers: received ${L}, ${H}, ${step}`);
  }
  const perSymbol = new Int32Array(lengths.length);
  const firsts = new Int32Array(lengths.length);
  let total = 0;
  for (let s = 0; s < lengths.length; s++) {
    const first = Math.max(L, options.starts?.[s] ?? L);
    const last = Math.min(lengths[s], options.ends?.[s] ?? lengths[s]) - H;
    firsts[s] = first;
    perSymbol[s] = last >= first ? Math.floor((last - first) / step) + 1 : 0;
    total += perSymbol[s];
  }
  if (total === 0 && !options.allowEmpty) {
    const hint = 'use a shorter lookback or horizon, or more data';
    const message = `no symbol has a complete window: lookback ${L} + horizon ${H} needs ${L + H} rows`;
    throw new DataError(message, {}, { hint });
  }
  const symbol = new Int32Array(total);
  const row = new Int32Array(total);
  let w = 0;
  for (let s = 0; s < lengths.length; s++) {
    for (let k = 0; k < perSymbol[s]; k++, w++) {
      symbol[w] = s;
      row[w] = firsts[s] + k * step;
    }
  }
  return { symbol, row, count: total, perSymbol };
}

/** How many windows each symbol has. */
export interface PanelWindowCounts {
  /** Windows per symbol number (0 for symbols too short for one). */
  perSymbol: Int32Array;
}

/** A batch of panel windows, ready for an engine. */
export interface PanelWindowBatch {
  /** Inputs, [count, steps, inputSize] row-major. */
  x: Float32Array;
  /** Targets, [count, horizon] row-major (NaN past a symbol's last row). */
  y: Float32Array;
  /** Windows in the batch. */
  count: number;
  /** Steps per window. */
  steps: number;
  /** Inputs per step. */
  inputSize: number;
  /** Symbol number of each window. */
  symbol: Int32Array;
  /** First target row of each window. */
  row: Int32Array;
  /** With `windowNorm: 'last'`: each window's last target input, to map predictions back ((p + 1) x anchor). */
  anchor?: Float64Array;
}

/**
 * Builds the windows `windows[from..to)` of an index (or of a permutation of it, `order`): the only place panel
 * windows are materialized, one batch at a time.
 *
 * @param sources - each symbol's data, by symbol number
 * @param shape - the window shape
 * @param picks - symbol number and first target row of each window to build
 * @returns the batch
 * @throws {@link DataError} when a window would read a row a source does not have
 */
export function gatherPanelWindows(
  sources: ReadonlyArray<PanelWindowSource>,
  shape: PanelWindowShape,
  picks: { symbol: ArrayLike<number>; row: ArrayLike<number> },
): PanelWindowBatch {
  const count = picks.symbol.length;
  const H = shape.horizon;
  const { steps, inputSize: I } = panelWindowLayout(shape);
  const x = new Float32Array(count * steps * I);
  const y = new Float32Array(count * H);
  const relative = shape.windowNorm === 'last';
  const anchor = relative ? new Float64Array(count) : undefined;
  const lasts = new Float64Array(shape.past);
  for (let w = 0; w < count; w++) {
    const src = sources[picks.symbol[w]];
    const t = picks.row[w];
    checkWindowSource(src, shape, picks, w);
    let scale = 1;
    if (relative) {
      scale = windowScale(src, lasts, picks, w);
      anchor![w] = scale;
    }
    writeWindowInputs(x, w * steps * I, src, shape, t, relative ? lasts : undefined);
    const n = src.target.length;
    for (let h = 0; h < H; h++)
      y[w * H + h] = t + h < n ? (relative ? src.target[t + h] / scale - 1 : src.target[t + h]) : Number.NaN;
  }
  return {
    x,
    y,
    count,
    steps,
    inputSize: I,
    symbol: Int32Array.from(picks.symbol),
    row: Int32Array.from(picks.row),
    ...(anchor ? { anchor } : {}),
  };
}

/** The symbol number and first target row of each window to build. */
type WindowPicks = { symbol: ArrayLike<number>; row: ArrayLike<number> };

/** Refuses window `w` when its source lacks the rows or covariates it reads. */
function checkWindowSource(src: PanelWindowSource, shape: PanelWindowShape, picks: WindowPicks, w: number): void {
  const { lookback: L, horizon: H } = shape;
  const symbol = picks.symbol[w];
  const t = picks.row[w];
  const n = src.target.length;
  if (t < L || t > n)
    throw new DataError(`window ${w} of symbol ${symbol}: target row ${t} needs ${L} rows before it within ${n}`);
  if (
    src.past.length !== shape.past ||
    (src.known?.length ?? 0) !== shape.known ||
    (src.statics?.length ?? 0) !== shape.statics
  ) {
    throw new DataError(
      `symbol ${symbol}: expected ${shape.past} past, ${shape.known} known and ${shape.statics} static covariates`,
    );
  }
  if (shape.known > 0 && src.known!.some((k) => k.length < t + H)) {
    throw new DataError(
      `symbol ${symbol}: the future-known covariates cover rows up to ${Math.min(...src.known!.map((k) => k.length)) - 1}, but window ${w} forecasts rows up to ${t + H - 1}`,
      {},
      { hint: 'extend the known covariates over the forecast horizon' },
    );
  }
}

/**
 * With `windowNorm: 'last'`: fills `lasts` with each past covariate's last input row and returns the target's, the
 * divisors of the window's inputs and targets.
 */
function windowScale(src: PanelWindowSource, lasts: Float64Array, picks: WindowPicks, w: number): number {
  const symbol = picks.symbol[w];
  const t = picks.row[w];
  for (let f = 0; f < lasts.length; f++) lasts[f] = src.past[f][t - 1];
  const scale = src.target[t - 1];
  if (scale === 0 || lasts.some((v) => v === 0)) {
    throw new DataError(
      `window ${w} of symbol ${symbol} (target row ${t}) ends at 0, so "last" normalization would divide by zero`,
      {},
      { hint: "use windowNorm: 'none' with a scaler for columns that reach 0" },
    );
  }
  return scale;
}

/**
 * Writes one window's input steps into `x` from offset `o`: past covariates (relative to `lasts` when given), known
 * covariates, statics, and with a decoder the future steps' flag.
 */
function writeWindowInputs(
  x: Float32Array,
  o: number,
  src: PanelWindowSource,
  shape: PanelWindowShape,
  t: number,
  lasts: Float64Array | undefined,
): void {
  const decoder = shape.known > 0;
  for (let r = t - shape.lookback; r < t + (decoder ? shape.horizon : 0); r++) {
    const future = r >= t;
    for (let f = 0; f < shape.past; f++) x[o++] = future ? 0 : lasts ? src.past[f][r] / lasts[f] - 1 : src.past[f][r];
    for (let f = 0; f < shape.known; f++) x[o++] = src.known![f][r];
    for (let f = 0; f < shape.statics; f++) x[o++] = src.statics![f];
    if (decoder) x[o++] = future ? 1 : 0;
  }
}

/**
 * Yields an index's windows in batches of at most `batchSize`, in `order` (a permutation of the window numbers,
 * for example shuffled across symbols each epoch) or index order. At most one batch is in memory at a time.
 *
 * @param sources - each symbol's data, by symbol number
 * @param shape - the window shape
 * @param index - the windows, from {@link panelWindowIndex}
 * @param options - `batchSize` (windows per batch) and an optional `order`
 * @returns an iterator of batches
 * @example
 * ```ts
 * import { panelWindowBatches, panelWindowIndex } from 'stockcast';
 * const sources = [{ past: [Float32Array.of(1, 2, 3, 4)], target: Float32Array.of(1, 2, 3, 4) }];
 * const shape = { lookback: 2, horizon: 1, past: 1, known: 0, statics: 0 };
 * for (const b of panelWindowBatches(sources, shape, panelWindowIndex([4], shape), { batchSize: 1 })) console.log(b.y); // [3], then [4]
 * ```
 */
export function* panelWindowBatches(
  sources: ReadonlyArray<PanelWindowSource>,
  shape: PanelWindowShape,
  index: PanelWindowIndex,
  options: { batchSize: number; order?: ArrayLike<number> },
): Generator<PanelWindowBatch, void, undefined> {
  const { batchSize, order } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new DataError(`batchSize must be a positive integer: received ${batchSize}`);
  if (order && order.length !== index.count)
    throw new DataError(`order lists ${order.length} windows, the index has ${index.count}`);
  for (let from = 0; from < index.count; from += batchSize) {
    const to = Math.min(index.count, from + batchSize);
    const symbol = new Int32Array(to - from);
    const row = new Int32Array(to - from);
    for (let k = from; k < to; k++) {
      const w = order ? order[k] : k;
      symbol[k - from] = index.symbol[w];
      row[k - from] = index.row[w];
    }
    yield gatherPanelWindows(sources, shape, { symbol, row });
  }
}
