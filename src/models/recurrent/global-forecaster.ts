/** The global forecaster: one recurrent network trained on windows drawn lazily from every symbol of a panel, with a scaler per symbol. */
import { platform } from '../../platform/platform.js';
import { z } from 'zod';
import { DataError, NotFittedError } from '../../errors.js';
import { calendarByName } from '../../data/calendar/calendar-nyse.js';
import type { ExchangeCalendar } from '../../data/calendar/calendar.js';
import { futureTimestamps } from '../../data/frequency.js';
import type { Panel } from '../../data/panel.js';
import type { Series } from '../../data/series.js';
import { resolveTarget } from '../../data/target.js';
import { calendarFeatures, type CalendarFeature } from '../../prep/calendar-features.js';
import { staticCodec, type StaticCodec } from '../../prep/statics.js';
import { gatherPanelWindows, panelWindowBatches, panelWindowIndex, panelWindowLayout, type PanelWindowShape, type PanelWindowSource } from '../../prep/panel-windows.js';
import { createScaler, type Scaler } from '../../prep/scalers.js';
import { createRng } from '../../util/random.js';
import { parseOptions } from '../../validate.js';
import { vocabulary as v } from '../../vocabulary.js';
import type { RecurrentEngine } from '../engines/engine.js';
import { modelToBytes, writeModelDir, type SavedModel } from '../persistence/persistence.js';
import { createEngine } from '../engines/engine-factory.js';
import { pointFromQuantiles } from './forecaster-quantiles.js';
import { rawToQuantiles } from '../probabilistic/quantile-head.js';
import type { Forecast } from './forecast.js';
import type { AdjustedOption, HistoryEntry } from './training.js';
import { adjustedOptions, windowNormFor } from './forecaster-options.js';
import { initWeights, type RecurrentSpec } from '../engines/weights.js';

/** Windows gathered per engine call: bounds memory to SUPER_BATCH x steps x inputs floats, whatever the panel's size. */
const SUPER_BATCH = 4096;

/** The global forecaster's option fields, without the rules that tie them together. @internal */
export const GlobalForecasterFields = z
  .object({
    /** Recurrent cell (default `lstm`). */
    cell: v.cell.withDefault(),
    /** Hidden units per layer (default 32). */
    units: v.units.withDefault(),
    /** Stacked layers (default 1). */
    layers: v.layers.withDefault(),
    /** Dropout between stacked layers (default 0). */
    dropout: v.dropout.withDefault(),
    /** Past rows per window (default 30). */
    lookback: v.lookback.withDefault(),
    /** Future values predicted at once (default 1). */
    horizon: v.horizon.withDefault(),
    /** Target column (default: the close column, else the only column). */
    target: v.target.optional(),
    /** Past covariates: input columns (default: the target alone). */
    features: v.features.optional(),
    /** A scaler fitted per symbol on that symbol's training rows (`minmax`, `standard`, `robust`; default `none`). */
    scaler: v.scaler.withDefault(),
    /**
     * Per-window normalization (default `last`): each window relative to its own last value, so one network
     * serves symbols of any price level and extrapolates past the training range; `none` with a `scaler` works on
     * scaled levels, and is what a given `scaler` brings when `windowNorm` is not given (recorded in
     * `training.adjusted`). (`zscore` is not offered for global models.)
     */
    windowNorm: v.windowNorm.optional(),
    /** Future-known calendar covariates, read for every forecast step (default none). */
    calendarFeatures: v.calendarFeatures.optional(),
    /** The exchange calendar for calendar features and future dates: a name (`nyse`) or an ExchangeCalendar (default: business days). */
    calendar: v.calendar.optional(),
    /** Columns known ahead, read for every forecast step as given; `predict` needs their next values (default none). */
    knownColumns: v.knownColumns.optional(),
    /** Quantile levels forecast at once, with the pinball loss (outputs never cross; not calibrated). */
    quantiles: v.quantiles.optional(),
    /** Static covariates per symbol (every symbol the same length; default none). */
    statics: v.statics.optional(),
    /** Learn an input vector per training symbol (default false); unseen symbols then cannot be predicted. */
    symbolEmbedding: v.symbolEmbedding.withDefault(),
    /** Training epochs (default 50). */
    epochs: v.epochs.withDefault(),
    /**
     * Accepted for one word across forecasters (default `all`): a global forecaster holds out no validation rows,
     * so it always trains on every row given and there is nothing to refit.
     */
    finalFit: v.finalFit.withDefault(),
    /** Mini-batch size (default 32). */
    batchSize: v.batchSize.withDefault(),
    /** Learning rate (default 0.001). */
    learningRate: v.learningRate.withDefault(),
    /** Optimizer (default `adam`). */
    optimizer: v.optimizer.withDefault(),
    /** Seed for initialization and the shuffle across symbols (default 42). */
    seed: v.seed.withDefault(),
    /** Threads for one training run (default `auto`). */
    threads: v.threads.withDefault(),
    /** Engine (default `auto`). */
    engine: v.engine.withDefault(),
    /** Stops training between epochs. */
    signal: v.signal.optional(),
  })
  .strict();

/** Options of {@link createGlobalForecaster}. */
export const GlobalForecasterOptionsSchema = GlobalForecasterFields.transform(({ windowNorm, ...o }) => ({
  ...o,
  /** Per-window normalization: the one given, else `last`, or `none` when a `scaler` was given. */
  windowNorm: windowNormFor(o.scaler, windowNorm),
}))
  .refine((o) => o.windowNorm !== 'zscore', { message: "global forecasters take windowNorm 'last' or 'none'", path: ['windowNorm'] })
  .refine((o) => !(o.windowNorm === 'last' && o.scaler !== 'none'), {
    message: "windowNorm 'last' divides by each window's last value, which a fitted scaler can map to exactly 0: use scaler: 'none' with it",
    path: ['windowNorm'],
  });

/** Options of {@link createGlobalForecaster}, as accepted. */
export type GlobalForecasterOptions = z.input<typeof GlobalForecasterOptionsSchema>;
type Resolved = z.output<typeof GlobalForecasterOptionsSchema>;

/**
 * One recurrent network for many symbols (Darts' global models, NeuralForecast's `unique_id` panels): `fit`
 * draws windows lazily from every symbol, shuffled across symbols each epoch, after scaling each symbol with a
 * scaler fitted on that symbol's rows only; `predict` forecasts every symbol. Future-known calendar covariates
 * are read for each forecast step (see {@link panelWindowLayout}); static covariates and the optional symbol
 * embedding at every step. Create it with {@link createGlobalForecaster}.
 *
 * @example
 * ```ts
 * import { createGlobalForecaster, readPanelCsv } from 'stockcast';
 * const stocks = await readPanelCsv('fixtures/stocks.csv');
 * const model = await createGlobalForecaster({ lookback: 12, epochs: 5, calendarFeatures: ['month'] }).fit(stocks);
 * const forecasts = await model.predict(stocks); // { MSFT: Forecast, AMZN: Forecast, ... }
 * model.dispose();
 * ```
 */
export class GlobalForecaster {
  /** The validated options. */
  readonly options: Resolved;
  /** Loss per epoch of the last `fit`. */
  history: HistoryEntry[] = [];
  /** What training set up besides the losses: options set because of others the user gave. */
  training: {
    /** Options set because of others the user gave (e.g. `windowNorm: 'none'` with a `scaler`). */
    adjusted?: AdjustedOption[];
  } = {};
  #engine: RecurrentEngine | undefined;
  #scalers = new Map<string, Scaler>();
  #symbols: string[] = [];
  #staticCodec: StaticCodec | undefined;
  #target: string | undefined;
  #calendar: ExchangeCalendar | undefined;

  /** @internal */
  constructor(options: Resolved) {
    this.options = options;
    this.#calendar = typeof options.calendar === 'string' ? calendarByName(options.calendar) : (options.calendar as ExchangeCalendar | undefined);
  }

  /** The symbols the model was trained on. */
  get symbols(): string[] {
    return [...this.#symbols];
  }

  /** The target column, once fitted. */
  get target(): string {
    if (this.#target === undefined) throw new NotFittedError('GlobalForecaster', 'target');
    return this.#target;
  }

  private get features(): string[] {
    return this.options.features ?? [this.target];
  }

  /** How static covariates become numbers: numeric positions as given, category positions one-hot. */
  private get staticCodec(): StaticCodec | undefined {
    return (this.#staticCodec ??= this.options.statics ? staticCodec(this.options.statics) : undefined);
  }

  private shape(): PanelWindowShape {
    const o = this.options;
    const statics = (this.staticCodec?.width ?? 0) + (o.symbolEmbedding ? this.#symbols.length : 0);
    return { lookback: o.lookback, horizon: o.horizon, past: this.features.length, known: (o.calendarFeatures?.length ?? 0) + (o.knownColumns?.length ?? 0), statics, windowNorm: o.windowNorm === 'last' ? 'last' : 'none' };
  }

  /** The network's shape. */
  get spec(): RecurrentSpec {
    const o = this.options;
    return { cell: o.cell, inputSize: panelWindowLayout(this.shape()).inputSize, units: o.units, layers: o.layers, outputSize: o.horizon * (o.quantiles?.length ?? 1) };
  }

  private staticsOf(symbol: string): Float32Array | undefined {
    const o = this.options;
    const given = o.statics ? o.statics[symbol] : undefined;
    if (o.statics && !given) throw new DataError(`no static covariates for symbol "${symbol}": statics has ${Object.keys(o.statics).map((s) => `"${s}"`).join(', ')}`);
    const codec = this.staticCodec;
    const width = codec?.width ?? 0;
    const embed = o.symbolEmbedding ? this.#symbols.length : 0;
    if (width + embed === 0) return undefined;
    const out = new Float32Array(width + embed);
    if (given) out.set(codec!.encode(given));
    if (embed) {
      const k = this.#symbols.indexOf(symbol);
      if (k < 0) throw new DataError(`symbol "${symbol}" was not seen in training, and the model uses a per-symbol embedding`, {}, { hint: 'train with symbolEmbedding: false to forecast new symbols from their own history' });
      out[width + k] = 1;
    }
    return out;
  }

  /** One symbol's scaled inputs; known covariates cover `extra` future timestamps too. */
  private source(series: Series, scaler: Scaler | undefined, future: Float64Array, knownAhead?: Record<string, ArrayLike<number>>): PanelWindowSource {
    const cols = [...new Set([...this.features, this.target])];
    const used = series.select(cols);
    const scaled = scaler ? scaler.transform(used) : used;
    const o = this.options;
    const calendar = o.calendarFeatures?.length
      ? (() => {
          const ts = Float64Array.from([...series.timestampsRef(), ...future]);
          const f = calendarFeatures(ts, { features: o.calendarFeatures as CalendarFeature[], calendar: this.#calendar });
          return (o.calendarFeatures as CalendarFeature[]).map((name) => f.get(name)!);
        })()
      : [];
    // User columns known ahead: the history's values, then the next `future.length` values the caller gave.
    const user = (o.knownColumns ?? []).map((c) => Float64Array.from([...series.columnRef(c), ...Array.from(knownAhead?.[c] ?? []).slice(0, future.length)]));
    const known = calendar.length + user.length > 0 ? [...calendar, ...user] : undefined;
    const statics = this.staticsOf(series.meta.symbol ?? '');
    return {
      past: this.features.map((c) => Float32Array.from(scaled.columnRef(c))),
      target: Float32Array.from(scaled.columnRef(this.target)),
      ...(known ? { known } : {}),
      ...(statics ? { statics } : {}),
    };
  }

  /**
   * Trains one network on every symbol's windows. Each symbol's scaler is fitted on that symbol's rows only;
   * windows are drawn lazily in shuffled order across symbols, a bounded number at a time.
   *
   * @param panel - training history (every row is a training row)
   * @returns this forecaster, trained
   * @throws {@link DataError} when no symbol has `lookback + horizon` rows, or a column is missing
   */
  async fit(panel: Panel): Promise<this> {
    const o = this.options;
    this.#target = resolveTarget(panel.columns, o.target);
    for (const c of [...this.features, ...(o.knownColumns ?? [])]) if (!panel.columns.includes(c)) throw new DataError(`fit(): the panel lacks ${this.features.includes(c) ? 'feature' : 'known column'} "${c}"; it has ${panel.columns.join(', ')}`);
    this.#symbols = panel.symbols;
    this.#scalers = new Map();
    const cols = [...new Set([...this.features, this.target])];
    const sources: PanelWindowSource[] = [];
    for (const [symbol, series] of panel) {
      const scaler = o.scaler === 'none' ? undefined : createScaler(o.scaler).fit(series.select(cols));
      if (scaler) this.#scalers.set(symbol, scaler);
      sources.push(this.source(series, scaler, new Float64Array(0)));
    }
    const shape = this.shape();
    // Training windows must not forecast past the data: their known covariates exist only up to the last row.
    const index = panelWindowIndex(sources.map((s) => s.target.length), shape);
    this.#engine?.dispose();
    const init = initWeights(this.spec, o.seed);
    // As for one series: with relative windows a zero head forecasts no change, the naive forecast, until trained.
    if (o.windowNorm === 'last') {
      init['fc.weight'].fill(0);
      init['fc.bias'].fill(0);
    }
    this.#engine = await createEngine(o.engine, this.spec, init, {
      loss: 'mse',
      optimizer: o.optimizer,
      learningRate: o.learningRate,
      dropout: o.dropout,
      batchSize: o.batchSize,
      ...(o.threads !== 'auto' ? { threads: o.threads } : {}),
      ...(o.quantiles ? { quantiles: o.quantiles } : {}),
    });
    const rng = createRng(o.seed);
    const order = Int32Array.from({ length: index.count }, (_, i) => i);
    this.history = [];
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      await platform().nextTurn();
      if (o.signal?.aborted) break;
      rng.shuffle(order);
      let total = 0;
      for (const batch of panelWindowBatches(sources, shape, index, { batchSize: SUPER_BATCH, order })) {
        const loss = await this.#engine.trainEpoch({ x: batch.x, y: batch.y, count: batch.count, steps: batch.steps }, o.batchSize, createRng(rng.fork()));
        total += loss * batch.count;
      }
      this.history.push({ epoch, loss: total / index.count });
    }
    return this;
  }

  /**
   * Forecasts the next `horizon` values of every symbol after its own last row. A symbol not seen in training
   * is scaled by a scaler fitted on the history given (unless the model uses a symbol embedding).
   *
   * @param panel - recent history of the symbols to forecast (each at least `lookback` rows)
   * @param options - `known`: with `knownColumns`, each symbol's next `horizon` values of each known column
   *   (`{ AAPL: { earnings: [0, 1, 0] } }`)
   * @returns one forecast per symbol, in the target's units, with future dates from the calendar
   * @throws {@link NotFittedError} before `fit`
   * @throws {@link DataError} for a symbol with fewer than `lookback` rows, or an unseen symbol under `symbolEmbedding`
   */
  async predict(panel: Panel, options: { known?: Record<string, Record<string, ArrayLike<number>>> } = {}): Promise<Record<string, Forecast>> {
    if (!this.#engine) throw new NotFittedError('GlobalForecaster', 'predict');
    const o = this.options;
    for (const symbol of o.knownColumns ? panel.symbols : []) {
      for (const c of o.knownColumns!) {
        const given = options.known?.[symbol]?.[c];
        if (!given || given.length < o.horizon) throw new DataError(`predict(): known column "${c}" of symbol "${symbol}" needs its next ${o.horizon} values in options.known.${symbol}.${c}: received ${given ? given.length : 'none'}`);
        for (let i = 0; i < o.horizon; i++) if (!Number.isFinite(given[i])) throw new DataError(`predict(): options.known.${symbol}.${c}[${i}] is not a finite number: received ${given[i]}`);
      }
    }
    const cols = [...new Set([...this.features, this.target])];
    const sources: PanelWindowSource[] = [];
    const scalers: Array<Scaler | undefined> = [];
    const futures: Float64Array[] = [];
    for (const [symbol, series] of panel) {
      if (series.length < o.lookback) throw new DataError(`symbol "${symbol}" has ${series.length} rows, fewer than lookback = ${o.lookback}`, {}, { hint: 'leave it out, or use a shorter lookback' });
      const scaler = o.scaler === 'none' ? undefined : (this.#scalers.get(symbol) ?? createScaler(o.scaler).fit(series.select(cols)));
      const future = futureTimestamps(series.lastTimestamp, { ...series.frequencyInfo, steps: o.horizon, calendar: this.#calendar });
      sources.push(this.source(series, scaler, future, options.known?.[symbol]));
      scalers.push(scaler);
      futures.push(future);
    }
    const batch = gatherPanelWindows(sources, this.shape(), { symbol: sources.map((_, i) => i), row: sources.map((s) => s.target.length) });
    const raw = await this.#engine.predict(batch.x, batch.count, batch.steps);
    const out: Record<string, Forecast> = {};
    const K = o.quantiles?.length ?? 1;
    panel.symbols.forEach((symbol, i) => {
      // The head's outputs in the window's relative units (quantiles: made non-crossing first), then each symbol's
      // anchor and scaler inverses, both increasing maps, so quantiles keep their order.
      const head = raw.subarray(i * o.horizon * K, (i + 1) * o.horizon * K);
      const relative = o.quantiles ? rawToQuantiles(head, K) : head;
      const anchored = Float64Array.from(relative, (p) => (batch.anchor ? (p + 1) * batch.anchor[i] : p));
      const units = scalers[i] ? scalers[i]!.inverseTransformColumn(anchored, this.target) : anchored;
      const series = panel.get(symbol);
      const base = { target: this.target, origin: series.lastTimestamp, timestamps: futures[i] };
      out[symbol] = o.quantiles ? { ...base, values: pointFromQuantiles(units, o.quantiles), quantiles: { levels: [...o.quantiles], values: units, calibrated: false } } : { ...base, values: units };
    });
    return out;
  }

  /** The fitted state persistence needs. @internal */
  state(): { engine: RecurrentEngine | undefined; scalers: Map<string, Scaler>; symbols: string[]; target: string | undefined; calendar: ExchangeCalendar | undefined } {
    return { engine: this.#engine, scalers: this.#scalers, symbols: this.#symbols, target: this.#target, calendar: this.#calendar };
  }

  /** Puts back a saved state. @internal */
  restore(state: { engine: RecurrentEngine; scalers: Map<string, Scaler>; symbols: string[]; target: string; calendar: ExchangeCalendar | undefined }): void {
    this.#engine = state.engine;
    this.#scalers = state.scalers;
    this.#symbols = state.symbols;
    this.#target = state.target;
    this.#calendar = state.calendar;
  }

  /**
   * Saves the fitted model to a directory (atomically): weights, options, the per-symbol scalers, the training
   * symbols, the calendar definition and the covariate definitions. Load it with {@link loadGlobalForecaster}.
   *
   * @param dir - the model directory
   * @throws {@link NotFittedError} before `fit`
   * @throws {@link PersistenceError} when the directory cannot be written (or in a browser: use toBytes)
   */
  async save(dir: string): Promise<void> {
    await writeModelDir(dir, this.saved('save'));
  }

  /**
   * The fitted model as bytes: a tar archive of the files {@link GlobalForecaster.save} writes. Load them with
   * {@link loadGlobalForecaster}, in Node.js or in a browser.
   *
   * @returns the archive's bytes
   * @throws {@link NotFittedError} before `fit`
   */
  async toBytes(): Promise<Uint8Array> {
    return modelToBytes(this.saved('toBytes'));
  }

  private saved(method: string): SavedModel {
    if (!this.#engine) throw new NotFittedError('GlobalForecaster', method);
    const { signal: _, calendar: __, ...options } = this.options;
    return {
      kind: 'global-forecaster',
      spec: this.spec,
      weights: this.#engine.getWeights(),
      payload: {
        options: { ...options, target: this.target },
        symbols: this.#symbols,
        scalers: Object.fromEntries([...this.#scalers].map(([symbol, scaler]) => [symbol, scaler.toJSON()])),
        calendar: this.#calendar ? this.#calendar.toJSON() : null,
      },
    };
  }

  /** Frees the network; fit again before use. */
  dispose(): void {
    this.#engine?.dispose();
    this.#engine = undefined;
  }
}

/**
 * Creates an unfitted global forecaster.
 *
 * @param options - see {@link GlobalForecasterOptionsSchema}
 * @returns the forecaster
 * @throws {@link ValidationError} naming each invalid option
 * @throws {@link DataError} for an unknown calendar name
 * @example
 * ```ts
 * import { createGlobalForecaster } from 'stockcast';
 * const model = createGlobalForecaster({ cell: 'gru', lookback: 60, calendar: 'nyse', calendarFeatures: ['dayOfWeek', 'beforeHoliday'] });
 * ```
 */
export function createGlobalForecaster(options: GlobalForecasterOptions = {}): GlobalForecaster {
  const resolved = parseOptions(GlobalForecasterOptionsSchema, options, 'global forecaster options');
  const model = new GlobalForecaster(resolved);
  const adjusted = adjustedOptions(options, resolved);
  if (adjusted.length > 0) model.training.adjusted = adjusted;
  return model;
}
