/** Loading saved forecasters: validates the directory, then rebuilds options, scaler, signature and engine. */
import { PersistenceError } from '../../errors.js';
import { scalerFromJSON, type ScalerState } from '../../prep/scalers.js';
import { createEngine } from '../engines/engine-factory.js';
import { RecurrentForecaster } from './forecaster.js';
import type { DataSignature } from './forecast.js';
import { ForecasterOptionsSchema } from './forecaster-options.js';
import { readModel, type ModelBytes } from '../persistence/persistence.js';

/**
 * Loads a forecaster saved with {@link RecurrentForecaster.save} (a directory, Node.js) or
 * {@link RecurrentForecaster.toBytes} (bytes or a Blob, anywhere); it predicts identically on the same kernels.
 * A model saved in Node.js loads in a browser and the other way round.
 *
 * @param source - the model directory, or the model's bytes (`ArrayBuffer`, `Uint8Array` or `Blob`)
 * @param options - `engine` to run it on (default: the saved choice)
 * @returns the fitted forecaster
 * @throws {@link PersistenceError} naming the missing or corrupt file
 * @example
 * ```ts
 * import { loadForecaster, readCsv } from 'stockcast';
 * const model = await loadForecaster('models/ncsoft');
 * console.log(await model.predict(await readCsv('fixtures/ncsoft-weekly.csv')));
 * ```
 */
export async function loadForecaster(
  source: string | ModelBytes,
  options: { engine?: 'auto' | 'tfjs' | 'fused' | 'webgpu' } = {},
): Promise<RecurrentForecaster> {
  const saved = await readModel(source, 'forecaster');
  const file = typeof source === 'string' ? `${source}/model.json` : 'model bytes/model.json';
  const model = new RecurrentForecaster(savedOptions(file, saved.payload.options, options.engine));
  const spec = model.spec;
  if (JSON.stringify(spec) !== JSON.stringify(saved.spec))
    throw new PersistenceError(
      file,
      `the saved spec ${JSON.stringify(saved.spec)} does not match the saved options (${JSON.stringify(spec)})`,
    );
  try {
    model.scaler = saved.payload.scaler ? scalerFromJSON(saved.payload.scaler as ScalerState) : undefined;
  } catch (e) {
    throw new PersistenceError(file, `invalid scaler state: ${(e as Error).message}`, { cause: e });
  }
  model.signature = (saved.payload.signature as DataSignature | null) ?? undefined;
  const interval = saved.payload.interval as { widths: number[]; coverage: number } | null | undefined;
  if (interval) model.predictionInterval = savedInterval(file, interval, spec.outputSize);
  const shifts = saved.payload.quantileShifts as number[][] | null | undefined;
  if (shifts)
    model.quantileShifts = savedShifts(file, shifts, model.options.horizon, model.options.quantiles?.length ?? 0);
  const o = model.options;
  const { loss, optimizer, learningRate, dropout, batchSize } = o;
  const config = { loss, optimizer, learningRate, dropout, batchSize };
  const quantiles = o.quantiles ? { quantiles: o.quantiles } : {};
  model.engine = await createEngine(o.engine, spec, saved.weights, { ...config, ...quantiles });
  return model;
}

/** The saved options, parsed again with the engine the caller asks for. */
function savedOptions(file: string, options: unknown, engine: 'auto' | 'tfjs' | 'fused' | 'webgpu' | undefined) {
  // Saved options never carry the coverage: the calibrated widths are saved beside them (format 1 had `interval`).
  const { interval: _, coverage: __, ...stored } = options as Record<string, unknown>;
  const parsed = ForecasterOptionsSchema.safeParse({
    ...stored,
    ...(engine ? { engine } : {}),
  });
  if (!parsed.success)
    throw new PersistenceError(
      file,
      `invalid saved options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

/** The calibrated prediction interval: one finite width per output. */
function savedInterval(
  file: string,
  interval: { widths: number[]; coverage: number },
  outputs: number,
): { widths: Float64Array; coverage: number } {
  if (
    !Array.isArray(interval.widths) ||
    interval.widths.length !== outputs ||
    !interval.widths.every(Number.isFinite)
  ) {
    throw new PersistenceError(file, `invalid interval: expected ${outputs} finite widths`);
  }
  return { widths: Float64Array.from(interval.widths), coverage: interval.coverage };
}

/** The CQR quantile shifts: a row of one finite number per quantile level for each step of the horizon. */
function savedShifts(file: string, shifts: number[][], horizon: number, K: number): Float64Array[] {
  if (
    !Array.isArray(shifts) ||
    shifts.length !== horizon ||
    !shifts.every((s) => Array.isArray(s) && s.length === K && s.every(Number.isFinite))
  ) {
    throw new PersistenceError(file, `invalid quantileShifts: expected ${horizon} rows of ${K} finite numbers`);
  }
  return shifts.map((s) => Float64Array.from(s));
}
