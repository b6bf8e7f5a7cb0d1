/** The many-to-one recurrent forecaster: windows and scales a Series, trains one RNN/LSTM/GRU stack, predicts in price units. */
import { DataError, NotFittedError } from '../../errors.js';
import { futureTimestamps } from '../../data/frequency.js';
import type { Series } from '../../data/series.js';
import { resolveTarget } from '../../data/target.js';
import { createScaler, type Scaler } from '../../prep/scalers.js';
import { denormalizeTargets, normalizeWindows, type NormalizedWindows } from '../../prep/window-norm.js';
import { makeWindows, windowsAt, type Windows } from '../../prep/windows.js';
import { parseOptions } from '../../validate.js';
import type { EngineData, RecurrentEngine } from '../engines/engine.js';
import { trainEngine, type AdjustedOption, type TrainResult } from './training.js';
import { ForecasterOptionsSchema } from './forecaster-options.js';
import { adjustedOptions } from './recurrent-options.js';
import { freshEngine, heldOutSpans, loopOptions, tooFewTrainingRows } from './fresh-engine.js';
import type { ForecasterOptions, ResolvedForecasterOptions } from './forecaster-options.js';
import { modelToBytes, writeModelDir, type SavedModel } from '../persistence/persistence.js';
import { calibrateQuantiles, pointFromQuantiles, quantilesInTargetUnits } from './forecaster-quantiles.js';
import { checkOnValidation, splitValidation } from './validation.js';
import type { RecurrentSpec } from '../engines/weights.js';
import { targetSpread } from './loss-scale.js';
import type { DataSignature, Forecast, PredictionInterval } from './forecast.js';
import { forecasterPayload, recursiveForecast } from './forecaster-state.js';

/**
 * A many-to-one recurrent forecaster: a window of `lookback` rows of the features in, the next `horizon`
 * target values out. The SimpleRNN cell is the lecture's h_t = tanh(x_t W_xh + h_{t-1} W_hh + b), the head
 * y = W_hy h_T on the last step. Create it with {@link createForecaster}.
 *
 * @example
 * ```ts
 * import { createForecaster, readCsv } from 'stockcast';
 * const sp = await readCsv('fixtures/sp500-2000.csv');
 * const model = await createForecaster({ cell: 'gru', horizon: 5, epochs: 10 }).fit(sp.slice(-1000)); // forecasts `close`
 * const { timestamps, values } = await model.predict(sp);
 * await model.save('models/sp500-gru');
 * model.dispose();
 * ```
 */
export class RecurrentForecaster {
  /** The validated options. */
  readonly options: ResolvedForecasterOptions;
  /** @internal */ engine: RecurrentEngine | undefined;
  /** @internal */ scaler: Scaler | undefined;
  /** What `fit` saw, when fitted. */
  signature: DataSignature | undefined;
  /** The last `fit`'s loss history. */
  training: TrainResult | undefined;
  /** The calibrated prediction interval, when fitted with `coverage`. */
  predictionInterval: PredictionInterval | undefined;
  /** @internal */ resolvedTarget: string | undefined;
  /** @internal */ quantileShifts: Float64Array[] | undefined;
  /** @internal */ adjusted: AdjustedOption[];

  /** @internal */
  constructor(options: ResolvedForecasterOptions, adjusted: AdjustedOption[] = []) {
    this.options = options;
    this.resolvedTarget = options.target;
    this.adjusted = adjusted;
  }

  /** The target column: the `target` option, or the column `fit` chose (close, else the only column). */
  get target(): string {
    if (this.resolvedTarget === undefined)
      throw new NotFittedError('RecurrentForecaster', 'target (no target option was given, so fit chooses it)');
    return this.resolvedTarget;
  }

  /** The input columns. */
  get features(): string[] {
    return this.options.features ?? [this.target];
  }

  /** The network's shape. */
  get spec(): RecurrentSpec {
    const o = this.options;
    return {
      cell: o.cell,
      inputSize: this.features.length,
      units: o.units,
      layers: o.layers,
      outputSize: o.horizon * (o.quantiles?.length ?? 1),
    };
  }

  /** Whether `fit` (or loading) has happened. */
  get fitted(): boolean {
    return this.engine !== undefined;
  }

  private columns(): string[] {
    return [...new Set([...this.features, this.target])];
  }

  private checkColumns(series: Series, method: string): void {
    const missing = this.columns().filter((c) => !series.has(c));
    if (missing.length > 0)
      throw new DataError(
        `${method}(): the series lacks ${missing.map((c) => `"${c}"`).join(', ')}; it has ${series.columns.map((c) => `"${c}"`).join(', ')}`,
      );
  }

  /** Data to predict from must be what the model learned from: its columns (checked above) and its frequency. */
  private checkSignature(series: Series): void {
    const trained = this.signature?.frequency;
    const given = series.meta.frequency;
    if (
      trained === undefined ||
      trained === 'irregular' ||
      given === 'irregular' ||
      series.length < 3 ||
      trained === given
    )
      return;
    throw new DataError(
      `predict(): the model was trained on ${trained} data, this series is ${given}`,
      {},
      { hint: `resample the data to ${trained} bars, or fit a model on ${given} data` },
    );
  }

  private scaled(series: Series): Series {
    const used = series.select(this.columns());
    return this.scaler ? this.scaler.transform(used) : used;
  }

  private data(w: Windows): EngineData {
    const n =
      this.options.windowNorm === 'none' ? w : normalizeWindows(w, { windowNorm: this.options.windowNorm }).windows;
    const spread = this.options.loss === 'qlike' ? targetSpread(this.scaler, this.target) : undefined;
    const qlike = spread === undefined ? {} : { lossScale: new Float32Array(n.count).fill(spread) };
    return { x: n.x, y: n.y, count: n.count, steps: n.lookback, ...qlike };
  }

  /**
   * Trains on the series: fits the scaler on the training rows only (validation rows excluded), windows them,
   * and trains a fresh network initialized from the seed. Calling fit again retrains from scratch.
   *
   * @param series - history with the feature and target columns
   * @returns this forecaster, trained
   * @throws {@link DataError} when columns are missing or the series is too short for one window (both numbers given)
   */
  async fit(series: Series): Promise<this> {
    const o = this.options;
    this.resolvedTarget = resolveTarget(series.columns, o.target);
    this.checkColumns(series, 'fit');
    const { columns, meta, firstTimestamp, lastTimestamp, length: rows } = series;
    this.signature = { columns, frequency: meta.frequency, stepMs: meta.stepMs, firstTimestamp, lastTimestamp, rows };
    // Rows: [training | validation | calibration]; quantile calibration (CQR) is disjoint from the validation span
    // that selects the model.
    const fraction = typeof o.validation === 'number' ? o.validation : 0;
    const { fitEnd: fitRows, trainEnd: trainRows } = heldOutSpans(series.length, { ...o, validation: fraction });
    const short = tooFewTrainingRows(o, series.length, trainRows, fitRows);
    if (short) throw short;
    const train = series.slice(0, trainRows);
    this.scaler = o.scaler === 'none' ? undefined : createScaler(o.scaler).fit(train.select(this.columns()));
    const scaled = this.scaled(series);
    const trainWindows = makeWindows(scaled, { ...this.windowShape(), end: trainRows });
    const held = this.validationSet(series, scaled, trainRows, fitRows);
    // Early stopping selects an epoch on validation windows; a check against naive or conformal widths measured on
    // those same windows would flatter the model. So the earlier half selects, and the windows whose targets all
    // come after it (they selected nothing) check the model and calibrate intervals.
    const valWindows = held?.windows;
    const split = valWindows && o.earlyStopping && valWindows.count >= 2 ? splitValidation(valWindows) : undefined;
    const selection = split?.selection ?? valWindows;
    this.engine?.dispose();
    this.engine = await this.newEngine();
    const validation = selection && this.data(selection);
    this.training = await trainEngine(this.engine, this.data(trainWindows), validation, loopOptions(o));
    if (this.adjusted.length > 0) this.training.adjusted = this.adjusted;
    this.predictionInterval = undefined;
    await this.calibrateQuantiles(series, fitRows);
    if (held) {
      const predict = (origins: ArrayLike<number>) => this.predictAt(held.series, origins);
      const checked = await checkOnValidation(predict, held.series.columnRef(this.target), held.windows, split, o);
      this.training.validation = checked.validation;
      this.predictionInterval = checked.interval;
    }
    const { bestEpoch } = this.training;
    if (o.finalFit === 'all' && held?.series === series && bestEpoch > 0 && !o.signal?.aborted) {
      await this.finalFit(series.slice(0, fitRows), bestEpoch);
      // The final fit never sees the calibration rows: its quantiles are calibrated on them again.
      await this.calibrateQuantiles(series, fitRows);
    }
    return this;
  }

  /** CQR shifts from the quantiles forecast on the calibration windows (targets from row `fitRows` on), if any. */
  private async calibrateQuantiles(series: Series, fitRows: number): Promise<void> {
    const o = this.options;
    this.quantileShifts = undefined;
    if (!o.quantiles || fitRows === series.length) return;
    const origins = makeWindows(this.scaled(series), { ...this.windowShape(), start: fitRows }).targetIndex;
    const q = await this.predictQuantilesAt(series, origins);
    this.quantileShifts = calibrateQuantiles(q, series.columnRef(this.target), origins, o.quantiles, o.horizon);
  }

  private windowShape(): { lookback: number; horizon: number; target: string; features: string[] } {
    const { lookback, horizon } = this.options;
    return { lookback, horizon, target: this.target, features: this.features };
  }

  /** The validation data: the rows between training and calibration, or a separate later Series. */
  private validationSet(
    series: Series,
    scaled: Series,
    trainRows: number,
    fitRows: number,
  ): { series: Series; windows: Windows } | undefined {
    const o = this.options;
    if (typeof o.validation === 'number') {
      if (o.validation === 0) return undefined;
      return { series, windows: makeWindows(scaled, { ...this.windowShape(), start: trainRows, end: fitRows }) };
    }
    this.checkColumns(o.validation, 'fit (validation)');
    return { series: o.validation, windows: makeWindows(this.scaled(o.validation), this.windowShape()) };
  }

  /** A fresh network from the seed (see {@link freshEngine}). */
  private newEngine(): Promise<RecurrentEngine> {
    return freshEngine(this.spec, this.options);
  }

  /**
   * `finalFit: 'all'`: the scaler and a fresh network from the seed, trained on the training and validation rows
   * for the epochs validation chose. Intervals, quantile shifts and the validation check (all in target units)
   * stay those of the model before it.
   */
  private async finalFit(rows: Series, epochs: number): Promise<void> {
    const o = this.options;
    this.scaler = o.scaler === 'none' ? undefined : createScaler(o.scaler).fit(rows.select(this.columns()));
    const windows = makeWindows(this.scaled(rows), this.windowShape());
    const engine = await this.newEngine();
    try {
      await trainEngine(engine, this.data(windows), undefined, loopOptions(o, epochs));
    } catch (e) {
      engine.dispose();
      throw e;
    }
    this.engine?.dispose();
    this.engine = engine;
    this.training!.finalFit = { rows: rows.length, epochs };
  }

  /**
   * Forecasts for several origins in one batched call: for each row index t, the windows ending just before t.
   * Used by backtests; `predict` is the one-origin case.
   *
   * @param series - the data (scaled internally with the fitted scaler)
   * @param origins - row indices t with lookback <= t <= length; the forecast is for rows [t, t+horizon)
   * @returns [origins.length, horizon] forecasts in target units, row-major
   * @throws {@link NotFittedError} before `fit`
   * @throws {@link DataError} when an origin has fewer than `lookback` rows before it
   */
  async predictAt(series: Series, origins: ArrayLike<number>): Promise<Float64Array> {
    if (this.options.quantiles)
      return pointFromQuantiles(await this.predictQuantilesAt(series, origins), this.options.quantiles);
    const { raw, norm } = await this.outputsAt(series, origins);
    const units = norm ? denormalizeTargets(raw, norm) : raw;
    return this.scaler ? this.scaler.inverseTransformColumn(units, this.target) : Float64Array.from(units);
  }

  /** The network's outputs for the windows ending before each origin, with the window normalization they are in. */
  private async outputsAt(
    series: Series,
    origins: ArrayLike<number>,
  ): Promise<{ raw: Float32Array; norm?: NormalizedWindows }> {
    if (!this.engine) throw new NotFittedError('RecurrentForecaster', 'predict');
    this.checkColumns(series, 'predict');
    this.checkSignature(series);
    const { lookback, windowNorm } = this.options;
    const windows = windowsAt(this.scaled(series), origins, this.windowShape());
    const norm = windowNorm === 'none' ? undefined : normalizeWindows(windows, { windowNorm });
    const raw = await this.engine.predict((norm?.windows ?? windows).x, windows.count, lookback);
    return norm ? { raw, norm } : { raw };
  }

  /**
   * Quantile forecasts for several origins in one batched call (forecasters fitted with `quantiles`), calibrated
   * by CQR when fitted with `calibration`.
   *
   * @param series - the data
   * @param origins - row indices t with lookback <= t <= length; the forecast is for rows [t, t+horizon)
   * @returns [origins.length, horizon, levels] row-major, in target units; never decreasing along the levels
   * @throws {@link NotFittedError} before `fit`
   * @throws {@link DataError} without `quantiles`, or when an origin has fewer than `lookback` rows before it
   */
  async predictQuantilesAt(series: Series, origins: ArrayLike<number>): Promise<Float64Array> {
    if (!this.engine) throw new NotFittedError('RecurrentForecaster', 'predict');
    const levels = this.options.quantiles;
    if (!levels)
      throw new DataError(
        'predictQuantilesAt() needs a forecaster fitted with quantiles (e.g. quantiles: [0.05, 0.5, 0.95])',
      );
    const { raw, norm } = await this.outputsAt(series, origins);
    const state = { levels, shifts: this.quantileShifts };
    const scaler = this.scaler ? { scaler: this.scaler } : {};
    const units = { horizon: this.options.horizon, state, target: this.target, ...(norm ? { norm } : {}), ...scaler };
    return quantilesInTargetUnits(raw, units);
  }

  /**
   * Forecasts the next `horizon` values after the series' last row, in the target's units.
   *
   * @param series - recent history (at least `lookback` rows) with the feature columns
   * @returns the forecast with its future timestamps
   * @throws {@link NotFittedError} before `fit`
   * @throws {@link DataError} when the series is shorter than the lookback or lacks a column
   * @example
   * ```ts
   * import { createForecaster, readCsv } from 'stockcast';
   * const s = await readCsv('fixtures/ncsoft-weekly.csv');
   * const model = await createForecaster({ cell: 'rnn', lookback: 5, target: 'stock_price', epochs: 100 }).fit(s);
   * const next = await model.predict(s); // next week's price
   * model.dispose();
   * ```
   */
  async predict(series: Series): Promise<Forecast> {
    if (series.length < this.options.lookback)
      throw new DataError(
        `predict() needs at least lookback = ${this.options.lookback} rows, the series has ${series.length}`,
      );
    const values = await this.predictAt(series, [series.length]);
    const forecast: Forecast = {
      target: this.target,
      origin: series.lastTimestamp,
      timestamps: futureTimestamps(series.lastTimestamp, { ...series.frequencyInfo, steps: this.options.horizon }),
      values,
    };
    if (this.options.quantiles)
      return {
        ...forecast,
        quantiles: {
          levels: [...this.options.quantiles],
          values: await this.predictQuantilesAt(series, [series.length]),
          calibrated: this.quantileShifts !== undefined,
        },
      };
    if (!this.predictionInterval) return forecast;
    const { widths, coverage } = this.predictionInterval;
    return {
      ...forecast,
      lower: values.map((v, h) => v - widths[h]),
      upper: values.map((v, h) => v + widths[h]),
      coverage,
    };
  }

  /**
   * Forecasts `steps` values ahead recursively: each forecast is appended as if observed, then the model
   * predicts again. Only possible when the target is the only feature (other features are unknown in the future).
   *
   * @param series - recent history
   * @param steps - how many future values
   * @returns the forecast
   * @throws {@link DataError} when other features are used, or the series is too short
   * @throws {@link NotFittedError} before `fit`
   */
  async forecast(series: Series, steps: number): Promise<Forecast> {
    return recursiveForecast(this, series, steps);
  }

  /**
   * Saves the fitted forecaster to a directory (created or replaced atomically): topology, weights, scaler state,
   * options and the data signature. Load it with {@link loadForecaster}.
   *
   * @param dir - the model directory
   * @throws {@link NotFittedError} before `fit`
   * @throws {@link PersistenceError} when the directory cannot be written, or in a browser (no file system: use {@link RecurrentForecaster.toBytes})
   */
  async save(dir: string): Promise<void> {
    await writeModelDir(dir, this.saved('save'));
  }

  /**
   * The fitted forecaster as bytes, in the format of a model directory: a tar archive of its `model.json` and
   * weights file (`tar -x` makes a directory {@link loadForecaster} reads). Works in Node.js and in browsers;
   * load the bytes with {@link loadForecaster}, keep them in IndexedDB with `saveToIndexedDB` (browser entry), or
   * offer them as a download with `new Blob([bytes])`.
   *
   * @returns the archive's bytes
   * @throws {@link NotFittedError} before `fit`
   * @throws {@link PersistenceError} where WebCrypto is unavailable (the weights carry a SHA-256)
   * @example
   * ```ts
   * import { createForecaster, loadForecaster, parseCsv } from 'stockcast';
   * const s = parseCsv('date,close\n2024-01-01,1\n2024-01-02,2\n2024-01-03,3\n2024-01-04,4\n2024-01-05,5\n2024-01-06,6\n');
   * const model = await createForecaster({ lookback: 2, units: 4, epochs: 2, validation: 0 }).fit(s);
   * const copy = await loadForecaster(await model.toBytes());
   * console.log((await copy.predict(s)).values); // the same as model.predict(s)
   * ```
   */
  async toBytes(): Promise<Uint8Array> {
    return modelToBytes(this.saved('toBytes'));
  }

  /** What save and toBytes write: topology, weights, scaler, options, signature and calibration. */
  private saved(method: string): SavedModel {
    if (!this.engine) throw new NotFittedError('RecurrentForecaster', method);
    const { engine, spec, options, target, scaler, signature } = this;
    const [interval, shifts] = [this.predictionInterval, this.quantileShifts];
    return forecasterPayload({ engine, spec, options, target, scaler, signature, interval, shifts });
  }

  /** Frees the network's tensors; the forecaster must be fitted or loaded again before use. */
  dispose(): void {
    this.engine?.dispose();
    this.engine = undefined;
  }
}

/**
 * Creates an unfitted many-to-one forecaster.
 *
 * @param options - see {@link ForecasterOptionsSchema}
 * @returns the forecaster
 * @throws {@link ValidationError} naming each invalid option
 * @example
 * ```ts
 * import { createForecaster } from 'stockcast';
 * const lstm = createForecaster({ cell: 'lstm', units: 64, layers: 2, lookback: 30, target: 'close', epochs: 20, seed: 1 });
 * ```
 */
export function createForecaster(options: ForecasterOptions): RecurrentForecaster {
  const resolved = parseOptions(ForecasterOptionsSchema, options, 'forecaster options');
  return new RecurrentForecaster(resolved, adjustedOptions(options, resolved));
}
