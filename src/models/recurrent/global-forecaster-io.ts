/** Loading saved global forecasters: checks options, spec, per-symbol scalers, symbols, calendar and covariates before rebuilding the engine. */
import { PersistenceError } from '../../errors.js';
import { ExchangeCalendar, type CalendarSpec } from '../../data/calendar/calendar.js';
import { scalerFromJSON, type Scaler, type ScalerState } from '../../prep/scalers.js';
import { createEngine } from '../engines/engine-factory.js';
import { GlobalForecaster } from './global-forecaster.js';
import { GlobalForecasterOptionsSchema } from './global-forecaster-options.js';
import type { GlobalCalibration } from './global-calibration.js';
import { readModel, type ModelBytes } from '../persistence/persistence.js';

/**
 * Loads a global forecaster saved with {@link GlobalForecaster.save} or {@link GlobalForecaster.toBytes}; it
 * predicts identically on the same engine.
 *
 * @param source - the model directory, or the model's bytes (`ArrayBuffer`, `Uint8Array` or `Blob`)
 * @param options - `engine` to run it on (default: the saved choice)
 * @returns the fitted forecaster
 * @throws {@link PersistenceError} naming the file and what is wrong: missing files, invalid options, a spec that
 *   does not match them, a missing or invalid scaler of a training symbol, an invalid calendar or static covariates
 * @example
 * ```ts
 * import { loadGlobalForecaster, readPanelCsv } from 'stockcast';
 * const model = await loadGlobalForecaster('models/global');
 * console.log(await model.predict(await readPanelCsv('fixtures/stocks.csv')));
 * ```
 */
export async function loadGlobalForecaster(
  source: string | ModelBytes,
  options: { engine?: 'auto' | 'tfjs' | 'fused' | 'webgpu' } = {},
): Promise<GlobalForecaster> {
  const saved = await readModel(source, 'global-forecaster');
  const file = typeof source === 'string' ? `${source}/model.json` : 'model bytes/model.json';
  const payload = saved.payload as {
    options?: unknown;
    symbols?: unknown;
    scalers?: unknown;
    calendar?: unknown;
    quantileShifts?: unknown;
    intervalWidths?: unknown;
  };
  const calendar = savedCalendar(file, payload.calendar);
  const o = savedOptions(file, payload.options, calendar, options.engine);
  const symbols = savedSymbols(file, payload.symbols, o.statics);
  const scalers = o.scaler !== 'none' ? savedScalers(file, payload.scalers, symbols) : new Map<string, Scaler>();
  const calibration = savedCalibration(file, payload, o.horizon, o.quantiles?.length);
  const model = new GlobalForecaster(o);
  model.restore({ engine: undefined, scalers, symbols, target: o.target!, calendar, calibration });
  if (JSON.stringify(model.spec) !== JSON.stringify(saved.spec))
    throw new PersistenceError(
      file,
      `the saved spec ${JSON.stringify(saved.spec)} does not match the saved options and covariates (${JSON.stringify(model.spec)})`,
    );
  const { loss, optimizer, learningRate, dropout, batchSize } = o;
  const config = { loss, optimizer, learningRate, dropout, batchSize };
  const quantiles = o.quantiles ? { quantiles: o.quantiles } : {};
  const engine = await createEngine(o.engine, saved.spec, saved.weights, { ...config, ...quantiles });
  model.restore({ engine, scalers, symbols, target: o.target!, calendar, calibration });
  return model;
}

/** The saved exchange calendar, if any. */
function savedCalendar(file: string, spec: unknown): ExchangeCalendar | undefined {
  if (spec === null || spec === undefined) return undefined;
  try {
    return ExchangeCalendar.create(spec as CalendarSpec);
  } catch (e) {
    throw new PersistenceError(file, `invalid calendar: ${(e as Error).message}`, { cause: e });
  }
}

/** The saved options, parsed again with the calendar restored and the engine the caller asks for. */
function savedOptions(
  file: string,
  stored: unknown,
  calendar: ExchangeCalendar | undefined,
  engine: 'auto' | 'tfjs' | 'fused' | 'webgpu' | undefined,
) {
  const parsed = GlobalForecasterOptionsSchema.safeParse({
    ...(stored as object),
    ...(calendar ? { calendar } : {}),
    ...(engine ? { engine } : {}),
  });
  if (!parsed.success)
    throw new PersistenceError(
      file,
      `invalid saved options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

/** The training symbols, each with its static covariates when the model has them. */
function savedSymbols(file: string, symbols: unknown, statics: Record<string, unknown> | undefined): string[] {
  if (!Array.isArray(symbols) || symbols.length === 0 || !symbols.every((s) => typeof s === 'string'))
    throw new PersistenceError(file, 'invalid symbols: expected the list of training symbols');
  if (statics) {
    const missing = symbols.filter((s) => !statics[s]);
    if (missing.length > 0)
      throw new PersistenceError(file, `static covariates are missing for training symbols ${missing.join(', ')}`);
  }
  return symbols as string[];
}

/** Each training symbol's scaler, rebuilt from its saved state. */
function savedScalers(file: string, saved: unknown, symbols: string[]): Map<string, Scaler> {
  const scalers = new Map<string, Scaler>();
  const states = (saved ?? {}) as Record<string, ScalerState>;
  for (const symbol of symbols) {
    if (!states[symbol]) throw new PersistenceError(file, `no scaler for training symbol "${symbol}"`);
    try {
      scalers.set(symbol, scalerFromJSON(states[symbol]));
    } catch (e) {
      throw new PersistenceError(file, `invalid scaler of "${symbol}": ${(e as Error).message}`, { cause: e });
    }
  }
  return scalers;
}

/** The saved CQR shifts and interval widths (absent in models saved before they existed), checked against the shape. */
function savedCalibration(
  file: string,
  payload: { quantileShifts?: unknown; intervalWidths?: unknown },
  horizon: number,
  levels: number | undefined,
): GlobalCalibration {
  const numbers = (a: unknown, n: number) =>
    Array.isArray(a) && a.length === n && a.every((x) => typeof x === 'number' && Number.isFinite(x));
  const out: GlobalCalibration = {};
  if (payload.quantileShifts !== null && payload.quantileShifts !== undefined) {
    const q = payload.quantileShifts;
    if (!levels || !Array.isArray(q) || q.length !== horizon || !q.every((p) => numbers(p, levels))) {
      throw new PersistenceError(file, `invalid quantileShifts: expected ${horizon} lists of ${levels ?? 0} numbers`);
    }
    out.shifts = q.map((p) => Float64Array.from(p as number[]));
  }
  if (payload.intervalWidths !== null && payload.intervalWidths !== undefined) {
    if (!numbers(payload.intervalWidths, horizon)) {
      throw new PersistenceError(file, `invalid intervalWidths: expected ${horizon} numbers`);
    }
    out.widths = Float64Array.from(payload.intervalWidths as number[]);
  }
  return out;
}
