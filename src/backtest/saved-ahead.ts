/**
 * The volatility model `forecastAhead` fitted, saved as a model directory (or bytes) and loaded again to forecast
 * new data without training: the networks are kept, the base (HAR, GARCH, EWMA, ...) is refitted on the data it is
 * given, as at every forecast of the hybrid.
 */
import { z } from 'zod';
import { futureTimestamps } from '../data/frequency.js';
import { Panel } from '../data/panel.js';
import type { Series } from '../data/series.js';
import { resolveTarget } from '../data/target.js';
import { PersistenceError, ValidationError } from '../errors.js';
import type { ModelTask, PanelModel, SeriesModel, TargetKind } from '../models/contract.js';
import { modelToBytes, readModel, writeModelDir, type ModelBytes } from '../models/persistence/persistence.js';
import { joinMembers, splitMembers, type SavedModel } from '../models/persistence/model-format.js';
import { VolatilityHybrid, type HybridState, type HybridTraining } from '../models/recurrent/hybrid.js';
import { hybridPanelModel, hybridSeriesModel, type HybridModel } from '../models/recurrent/hybrid-model.js';
import { resolveModel } from '../models/resolve.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';
import { stepMean } from './metrics.js';
import { deriveTargets } from './panel-walk-forward.js';
import { deriveTarget, TargetFields } from './walk-forward.js';

/** What a saved volatility model records of how it was fitted, beside the hybrid's state. @internal */
export interface SavedAhead {
  /** The model's display name when fitted (`lstm`, `lstm+har`, ...). */
  model: string;
  /** `series` (one series) or `panel` (a global model over the symbols). */
  scope: 'series' | 'panel';
  /** The target fields the fit was given (the target column, its transform and kind, ...), as given. */
  target: Record<string, unknown>;
  /** The column forecast (`rv5` for `targetTransform: 'rv:5'`). */
  derivedTarget: string;
}

/** Whether a fitted model is a hybrid that can be saved. @internal */
export function savable(m: SeriesModel | PanelModel): m is HybridModel<SeriesModel> | HybridModel<PanelModel> {
  return typeof (m as { fitted?: unknown }).fitted === 'function';
}

/** The model directory's contents of a fitted hybrid. */
function savedModel(hybrid: VolatilityHybrid, how: SavedAhead): SavedModel {
  const { state, members } = hybrid.saved();
  return {
    kind: 'volatility-model',
    spec: hybrid.spec,
    weights: joinMembers(members),
    payload: { ...how, hybrid: state, members: members.length },
  };
}

/**
 * Writes a fitted hybrid as a model directory (crash-safe, as every model directory).
 * @internal
 */
export async function saveAhead(dir: string, hybrid: VolatilityHybrid, how: SavedAhead): Promise<void> {
  await writeModelDir(dir, savedModel(hybrid, how));
}

/** Options of {@link VolatilityModel.forecast}. */
export const SavedForecastOptionsSchema = z
  .object({
    /** Threads the base's fit may use (default `auto`). */
    threads: v.threads.withDefault(),
    /** Also forecast the mean of the next `horizon` values (`mean`). Default false. */
    horizonMean: v.horizonMean.withDefault(),
  })
  .strict();

/** Options of {@link VolatilityModel.forecast}, as accepted. */
export type SavedForecastOptions = z.input<typeof SavedForecastOptionsSchema>;

/** One series' forecast past its last row. */
export interface SeriesAhead {
  /** The last row's timestamp: the model read every row up to it, and none after (there are none). */
  lastTimestamp: number;
  /** The H forecast dates (trading days for daily data: Monday to Friday). */
  timestamps: number[];
  /** H point forecasts, in the target's units (a volatility or variance target's are positive). */
  values: number[];
  /** With `horizonMean`: the forecast of the mean of the next H values, the mean of `values`. */
  mean?: number;
  /** What the fit did, when the model reports it (a recurrent model's `training`; a hybrid's chosen base). */
  training?: unknown;
}

/** The H dates after a series' last row. @internal */
export function datesAfter(series: Series, steps: number): number[] {
  return Array.from(futureTimestamps(series.lastTimestamp, { ...series.frequencyInfo, steps }));
}

/** With `horizonMean`, a forecast with the mean of its H values. @internal */
export function withMean(ahead: SeriesAhead, horizonMean: boolean): SeriesAhead {
  if (!horizonMean) return ahead;
  return { ...ahead, mean: stepMean(ahead.values) };
}

/** A volatility model loaded by {@link loadVolatilityModel}: it forecasts new data without training. */
export interface VolatilityModel {
  /** The model's display name when it was fitted. */
  model: string;
  /** What the target is. */
  targetKind: TargetKind;
  /** H: steps forecast. */
  horizon: number;
  /** The target column forecast (a derived one, such as `rv5`, with a target transform). */
  target: string;
  /** The base the fit chose, refitted on the data at every forecast. */
  base: string;
  /** `series` or `panel`: what it was fitted on, and what it forecasts. */
  scope: 'series' | 'panel';
  /** What the fit did (as `forecastAhead` reported it). */
  training: HybridTraining;
  /**
   * Forecasts the H steps after the last row of `input` (each symbol's, on a panel) with the saved networks, the
   * base refitted on `input`'s rows: the same numbers as `forecastAhead` gave when `input` is the data it was fitted
   * on.
   */
  forecast(input: Series, options?: SavedForecastOptions): Promise<SeriesAhead>;
  /** A panel: each symbol's forecast past its own last row. */
  forecast(input: Panel, options?: SavedForecastOptions): Promise<Record<string, SeriesAhead>>;
  /** The model as bytes (a tar archive of the model directory; load with {@link loadVolatilityModel}). */
  toBytes(): Promise<Uint8Array>;
  /** Frees the networks. */
  dispose(): void;
}

const SavedAheadSchema = z.object({
  model: z.string(),
  scope: z.enum(['series', 'panel']),
  target: z.record(z.string(), z.unknown()),
  derivedTarget: z.string(),
  hybrid: z.object({ kind: z.literal('stockcast-hybrid'), version: z.literal(1), base: z.string() }).passthrough(),
  members: z.number().int().min(0),
});

const TargetOptionsSchema = z.object(TargetFields).strict();

/**
 * Loads a volatility model saved by `forecastAhead(..., { save })` (a directory, Node.js) or its bytes.
 *
 * @param source - the model directory, or its bytes (`ArrayBuffer`, `Uint8Array` or `Blob`)
 * @returns the model, ready to forecast
 * @throws {@link PersistenceError} naming the missing or corrupt file, or a directory that holds another kind of model
 * @throws {@link ValidationError} when the saved base is a model this process has not registered
 * @example
 * ```ts
 * import { forecastAhead, loadVolatilityModel, readCsv } from 'stockcast';
 * const sp = await readCsv('fixtures/sp500-2000.csv');
 * await forecastAhead(sp.slice(0, 4000), 'lstm', { targetTransform: 'rv:5', horizon: 5, save: 'models/rv5' });
 * const model = await loadVolatilityModel('models/rv5');
 * console.log(await model.forecast(sp)); // the next 5 days after the last row, without training
 * ```
 */
export async function loadVolatilityModel(source: string | ModelBytes): Promise<VolatilityModel> {
  const { hybrid, how } = await readSaved(source);
  const base = await resolveModel(hybrid.base);
  const target = parseOptions(TargetOptionsSchema, how.target, 'saved target options');
  const forecast = async (input: Series | Panel, options: SavedForecastOptions = {}) => {
    const o = parseOptions(SavedForecastOptionsSchema, options, 'forecast options');
    checkScope(input, how.scope);
    const task = (t: string, derived: ModelTask['derived']): ModelTask => ({
      target: t,
      horizon: hybrid.horizon,
      targetKind: hybrid.kind,
      ...(derived ? { derived } : {}),
    });
    const ahead = (s: Series, values: ArrayLike<number>): SeriesAhead =>
      withMean(
        { lastTimestamp: s.lastTimestamp, timestamps: datesAfter(s, hybrid.horizon), values: Array.from(values) },
        o.horizonMean,
      );
    if (input instanceof Panel) {
      const d = deriveTargets(input, resolveTarget(input.columns, target.target), target);
      const first = [...d.contexts.values()][0];
      const env = {
        threads: o.threads,
        symbolTask: (s: string) => task(d.target, d.contexts.get(s)),
        restored: hybrid,
      };
      const out = await hybridPanelModel({}, task(d.target, first), [base], [], env).forecast(d.panel);
      return Object.fromEntries(Object.entries(out).map(([s, f]) => [s, ahead(d.panel.get(s), f.values)]));
    }
    const d = deriveTarget(input, resolveTarget(input.columns, target.target), target);
    const m = hybridSeriesModel({}, task(d.target, d.derived), [base], [], o.threads, hybrid);
    const window = { origin: d.series.length, trainStart: 0, refit: true };
    return ahead(d.series, (await m.forecast(d.series, [window])).values[0]);
  };
  return {
    model: how.model,
    target: how.derivedTarget,
    targetKind: hybrid.kind,
    horizon: hybrid.horizon,
    base: hybrid.base,
    scope: how.scope,
    training: hybrid.training!,
    forecast: forecast as VolatilityModel['forecast'],
    toBytes: () => modelToBytes(savedModel(hybrid, how)),
    dispose: () => hybrid.dispose(),
  };
}

/** Reads, validates and restores a saved volatility model. */
async function readSaved(source: string | ModelBytes): Promise<{ hybrid: VolatilityHybrid; how: SavedAhead }> {
  const saved = await readModel(source, 'volatility-model');
  const file = typeof source === 'string' ? `${source}/model.json` : 'model bytes/model.json';
  const parsed = SavedAheadSchema.safeParse(saved.payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PersistenceError(file, `not a valid volatility model: payload.${issue.path.join('.')}: ${issue.message}`);
  }
  const p = parsed.data;
  const members = splitMembers(saved.weights, p.members);
  let hybrid: VolatilityHybrid;
  try {
    hybrid = await VolatilityHybrid.restore(p.hybrid as unknown as Omit<HybridState, 'weights'>, members);
  } catch (e) {
    throw new PersistenceError(file, `invalid hybrid state: ${(e as Error).message}`, { cause: e });
  }
  if (JSON.stringify(hybrid.spec) !== JSON.stringify(saved.spec)) {
    hybrid.dispose();
    throw new PersistenceError(file, `the saved spec ${JSON.stringify(saved.spec)} does not match the saved options`);
  }
  return { hybrid, how: { model: p.model, scope: p.scope, target: p.target, derivedTarget: p.derivedTarget } };
}

/** A model fitted on a panel forecasts panels, one fitted on a series forecasts series. */
function checkScope(input: Series | Panel, scope: SavedAhead['scope']): void {
  if (input instanceof Panel === (scope === 'panel')) return;
  const message =
    scope === 'panel'
      ? 'this model was fitted on a panel (one global model): give it a panel'
      : 'this model was fitted on one series: give it a series (fit a panel with forecastAhead on a panel)';
  throw new ValidationError('forecast input', [{ path: '', message }]);
}
