/** The global forecaster: one recurrent network trained on windows drawn lazily from every symbol of a panel. */
import { DataError, NotFittedError } from '../../errors.js';
import { calendarByName } from '../../data/calendar/calendar-nyse.js';
import type { ExchangeCalendar } from '../../data/calendar/calendar.js';
import type { Panel } from '../../data/panel.js';
import { resolveTarget } from '../../data/target.js';
import { staticCodec, type StaticCodec } from '../../prep/statics.js';
import { panelWindowLayout, type PanelWindowShape, type PanelWindowSource } from '../../prep/panel-windows.js';
import type { Scaler } from '../../prep/scalers.js';
import { parseOptions } from '../../validate.js';
import type { RecurrentEngine } from '../engines/engine.js';
import { modelToBytes, writeModelDir, type SavedModel } from '../persistence/persistence.js';
import type { RecurrentSpec } from '../engines/weights.js';
import type { Forecast } from './forecast.js';
import { trainEngine, type AdjustedOption, type HistoryEntry, type TrainResult } from './training.js';
import { adjustedOptions } from './recurrent-options.js';
import { freshEngine, loopOptions } from './fresh-engine.js';
import { GlobalForecasterOptionsSchema } from './global-forecaster-options.js';
import type { GlobalForecasterOptions, ResolvedGlobalForecasterOptions } from './global-forecaster-options.js';
import { featuresOf, fitScalers, inputShape, inputSource, predictionInputs } from './global-inputs.js';
import type { GlobalInputs } from './global-inputs.js';
import { panelEpochs, panelOutputs, panelSpans, windowsBetween, type PanelSpans } from './global-windows.js';
import { calibrateGlobal, cqrShifts, globalForecasts, type GlobalCalibration } from './global-calibration.js';
import { globalPayload, type GlobalState } from './global-forecaster-state.js';
import { targetSpread } from './loss-scale.js';

/**
 * One recurrent network for many symbols (Darts' global models, NeuralForecast's `unique_id` panels): `fit`
 * draws windows lazily from every symbol, shuffled across symbols each epoch, after scaling each symbol with a
 * scaler fitted on that symbol's training rows only; `predict` forecasts every symbol. As the one-series
 * forecaster, it holds out the last dates for validation (early stopping, with the untrained start as a
 * candidate; the check against naive), retrains on them (`finalFit`), and calibrates quantiles (`calibration`)
 * or intervals (`coverage`), pooled across symbols. Future-known calendar covariates are read for each forecast
 * step (see {@link panelWindowLayout}); static covariates and the optional symbol embedding at every step.
 * Create it with {@link createGlobalForecaster}.
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
  readonly options: ResolvedGlobalForecasterOptions;
  /**
   * What the last `fit` did, with the same keys as the one-series forecaster's: `history`, `bestEpoch`, `run`,
   * `validation` (the check against naive, pooled over symbols), `finalFit`, `adjusted`. Before `fit`, only
   * `adjusted` (options set because of others the user gave).
   */
  training: Partial<TrainResult> = {};
  #engine: RecurrentEngine | undefined;
  #scalers = new Map<string, Scaler>();
  #symbols: string[] = [];
  #staticCodec: StaticCodec | undefined;
  #target: string | undefined;
  #calendar: ExchangeCalendar | undefined;
  #calibration: GlobalCalibration = {};

  /** @internal */
  constructor(options: ResolvedGlobalForecasterOptions, adjusted: AdjustedOption[] = []) {
    this.options = options;
    const calendar = options.calendar;
    this.#calendar =
      typeof calendar === 'string' ? calendarByName(calendar) : (calendar as ExchangeCalendar | undefined);
    if (adjusted.length > 0) this.training = { adjusted };
  }

  /** Loss per epoch of the last `fit` (the same as `training.history`). */
  get history(): HistoryEntry[] {
    return this.training.history ?? [];
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

  private get inputs(): GlobalInputs {
    const o = this.options;
    this.#staticCodec ??= o.statics ? staticCodec(o.statics) : undefined;
    const { target } = this;
    return { options: o, target, symbols: this.#symbols, calendar: this.#calendar, codec: this.#staticCodec };
  }

  private shape(): PanelWindowShape {
    return inputShape(this.inputs);
  }

  /** The network's shape. */
  get spec(): RecurrentSpec {
    const o = this.options;
    const outputSize = o.horizon * (o.quantiles?.length ?? 1);
    const inputSize = panelWindowLayout(this.shape()).inputSize;
    return { cell: o.cell, inputSize, units: o.units, layers: o.layers, outputSize };
  }

  /** Each symbol's scaler fitted on its first `rows` rows, and its inputs. */
  private prepare(panel: Panel, rows: ArrayLike<number>, fallback: ArrayLike<number>): PanelWindowSource[] {
    this.#scalers = fitScalers(this.inputs, panel, rows, fallback);
    const none = new Float64Array(0);
    return panel.symbols.map((symbol) => inputSource(this.inputs, panel.get(symbol), this.#scalers.get(symbol), none));
  }

  /**
   * Trains one network on every symbol's windows. The last `validation` fraction of the union of dates (before the
   * last `calibration` fraction, with quantiles) is held out: its windows select the epoch (the untrained start
   * included) and check the model against naive; then, with `finalFit: 'all'`, a fresh network trains on every
   * row but the calibration rows for the chosen epochs. Each symbol's scaler is fitted on its training rows only;
   * windows are drawn lazily in shuffled order across symbols, a bounded number at a time.
   *
   * @param panel - training history
   * @returns this forecaster, trained
   * @throws {@link DataError} when no symbol has `lookback + horizon` training rows, or a column is missing
   */
  async fit(panel: Panel): Promise<this> {
    const o = this.options;
    this.#target = resolveTarget(panel.columns, o.target);
    for (const c of [...featuresOf(this.inputs), ...(o.knownColumns ?? [])]) {
      const kind = featuresOf(this.inputs).includes(c) ? 'feature' : 'known column';
      if (panel.columns.includes(c)) continue;
      throw new DataError(`fit(): the panel lacks ${kind} "${c}"; it has ${panel.columns.join(', ')}`);
    }
    this.#symbols = panel.symbols;
    this.#calibration = {};
    const spans = panelSpans(panel, o);
    const sources = this.prepare(panel, spans.trainEnd, spans.fitEnd);
    const shape = this.shape();
    const train = windowsBetween(spans, shape, undefined, spans.trainEnd);
    if (!train) throw this.tooShort(spans);
    const selection = spans.validation ? windowsBetween(spans, shape, spans.trainEnd, spans.selectionEnd) : undefined;
    this.#engine?.dispose();
    this.#engine = await freshEngine(this.spec, o);
    const spreads = this.spreads(panel);
    const validation = selection && panelEpochs(sources, shape, selection, spreads);
    const epochs = panelEpochs(sources, shape, train, spreads);
    const result = await trainEngine(this.#engine, epochs, validation, loopOptions(o));
    this.training = { ...result, ...(this.training.adjusted ? { adjusted: this.training.adjusted } : {}) };
    const scalers = this.scalerList(panel);
    const input = { panel, sources, shape, spans, options: o, target: this.target, scalers };
    const calibrated = await calibrateGlobal(this.#engine, input);
    this.#calibration = calibrated.calibration;
    if (calibrated.validation) this.training.validation = calibrated.validation;
    if (o.finalFit === 'all' && spans.validation && result.bestEpoch > 0 && !o.signal?.aborted) {
      await this.finalFit(panel, spans, result.bestEpoch);
    }
    return this;
  }

  /** Loss `qlike`: each symbol's scaler spread (by symbol number), which the loss undoes. */
  private spreads(panel: Panel): number[] | undefined {
    if (this.options.loss !== 'qlike') return undefined;
    return panel.symbols.map((symbol) => targetSpread(this.#scalers.get(symbol), this.target));
  }

  private tooShort(spans: PanelSpans): DataError {
    const o = this.options;
    const need = o.lookback + o.horizon;
    const heldOut = spans.validation || o.calibration !== undefined;
    const hint = heldOut
      ? 'use a shorter lookback, more data, or validation: 0 (CLI: --validation 0)'
      : 'use a shorter lookback, or more data';
    const shares = `validation ${o.validation}${o.calibration ? `, calibration ${o.calibration}` : ''}`;
    const needs = `lookback ${o.lookback} + horizon ${o.horizon} needs ${need} rows before the held-out dates`;
    return new DataError(`no symbol has a complete training window: ${needs} (${shares})`, {}, { hint });
  }

  /**
   * `finalFit: 'all'`: each symbol's scaler and a fresh network from the seed, trained on every row before the
   * calibration dates for the epochs validation chose. The check against naive and the interval widths (measured on
   * validation dates, which it trains on) stay those of the model before it; the quantiles are calibrated again on
   * the calibration dates, which it never saw.
   */
  private async finalFit(panel: Panel, spans: PanelSpans, epochs: number): Promise<void> {
    const sources = this.prepare(panel, spans.fitEnd, spans.lengths);
    const shape = this.shape();
    const all = windowsBetween(spans, shape, undefined, spans.fitEnd);
    if (!all) return;
    const engine = await freshEngine(this.spec, this.options);
    try {
      const source = panelEpochs(sources, shape, all, this.spreads(panel));
      await trainEngine(engine, source, undefined, loopOptions(this.options, epochs));
    } catch (e) {
      engine.dispose();
      throw e;
    }
    this.#engine?.dispose();
    this.#engine = engine;
    this.training.finalFit = { rows: spans.fitEnd.reduce((a, b) => a + b, 0), epochs };
    const { options: o } = this;
    if (o.quantiles && o.calibration !== undefined) {
      this.#calibration.shifts = await cqrShifts(engine, { sources, shape, spans, options: o }, o.quantiles);
    }
  }

  private scalerList(panel: Panel): Array<Scaler | undefined> {
    return panel.symbols.map((s) => this.#scalers.get(s));
  }

  /**
   * Forecasts the next `horizon` values of every symbol after its own last row. A symbol not seen in training
   * is scaled by a scaler fitted on the history given (unless the model uses a symbol embedding).
   *
   * @param panel - recent history of the symbols to forecast (each at least `lookback` rows)
   * @param options - `known`: with `knownColumns`, each symbol's next `horizon` values of each known column
   *   (`{ AAPL: { earnings: [0, 1, 0] } }`)
   * @returns one forecast per symbol, in the target's units, with future dates from the calendar; with
   *   `quantiles`, the quantiles (calibrated with `calibration`); with `coverage`, `lower` and `upper`
   * @throws {@link NotFittedError} before `fit`
   * @throws {@link DataError} for a symbol with fewer than `lookback` rows, or an unseen symbol under `symbolEmbedding`
   */
  async predict(
    panel: Panel,
    options: { known?: Record<string, Record<string, ArrayLike<number>>> } = {},
  ): Promise<Record<string, Forecast>> {
    if (!this.#engine) throw new NotFittedError('GlobalForecaster', 'predict');
    const o = this.options;
    const { sources, scalers, futures } = predictionInputs(this.inputs, panel, {
      scalers: this.#scalers,
      ...(options.known ? { known: options.known } : {}),
    });
    const n = sources.length;
    // One window per symbol, ending at its last row.
    const symbols = Int32Array.from({ length: n }, (_, i) => i);
    const index = { symbol: symbols, row: Int32Array.from(sources, (s) => s.target.length), count: n };
    const outputs = await panelOutputs(this.#engine, sources, this.shape(), index);
    const f = globalForecasts(outputs, { options: o, target: this.target, scalers, calibration: this.#calibration });
    const H = o.horizon;
    const K = o.quantiles?.length ?? 0;
    const out: Record<string, Forecast> = {};
    panel.symbols.forEach((symbol, i) => {
      const at = (a: Float64Array, per: number) => a.slice(i * per, (i + 1) * per);
      const origin = panel.get(symbol).lastTimestamp;
      const base = { target: this.target, origin, timestamps: futures[i], values: at(f.values, H) };
      const calibrated = this.#calibration.shifts !== undefined;
      const quantiles = f.quantiles && { levels: [...o.quantiles!], values: at(f.quantiles, H * K), calibrated };
      const interval = f.lower && { lower: at(f.lower, H), upper: at(f.upper!, H), coverage: o.coverage! };
      out[symbol] = { ...base, ...(quantiles ? { quantiles } : {}), ...(interval ?? {}) };
    });
    return out;
  }

  /** The fitted state persistence needs. @internal */
  state(): GlobalState {
    const [engine, scalers, symbols, target] = [this.#engine, this.#scalers, this.#symbols, this.#target];
    return { engine, scalers, symbols, target, calendar: this.#calendar, calibration: this.#calibration };
  }

  /** Puts back a saved state. @internal */
  restore(state: GlobalState): void {
    this.#engine = state.engine;
    this.#scalers = state.scalers;
    this.#symbols = state.symbols;
    this.#target = state.target;
    this.#calendar = state.calendar;
    this.#calibration = state.calibration;
  }

  /**
   * Saves the fitted model to a directory (atomically): weights, options, the per-symbol scalers, the training
   * symbols, the calendar definition, the covariate definitions and the calibration. Load it with
   * {@link loadGlobalForecaster}.
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
    const engine = this.#engine;
    if (!engine) throw new NotFittedError('GlobalForecaster', method);
    return globalPayload({ ...this.state(), engine, target: this.target }, this.options, this.spec);
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
 * const model = createGlobalForecaster({
 *   cell: 'gru',
 *   lookback: 60,
 *   calendar: 'nyse',
 *   calendarFeatures: ['dayOfWeek', 'beforeHoliday'],
 * });
 * ```
 */
export function createGlobalForecaster(options: GlobalForecasterOptions = {}): GlobalForecaster {
  const resolved = parseOptions(GlobalForecasterOptionsSchema, options, 'global forecaster options');
  return new GlobalForecaster(resolved, adjustedOptions(options, resolved));
}
