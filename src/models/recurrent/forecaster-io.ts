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
  // Saved options never carry the coverage: the calibrated widths are saved beside them (format 1 had `interval`).
  const { interval: _, coverage: __, ...stored } = saved.payload.options as Record<string, unknown>;
  const parsed = ForecasterOptionsSchema.safeParse({
    ...stored,
    ...(options.engine ? { engine: options.engine } : {}),
  });
  if (!parsed.success)
    throw new PersistenceError(
      file,
      `invalid saved options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const model = new RecurrentForecaster(parsed.data);
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
  if (interval) {
    if (
      !Array.isArray(interval.widths) ||
      interval.widths.length !== spec.outputSize ||
      !interval.widths.every(Number.isFinite)
    ) {
      throw new PersistenceError(file, `invalid interval: expected ${spec.outputSize} finite widths`);
    }
    model.predictionInterval = { widths: Float64Array.from(interval.widths), coverage: interval.coverage };
  }
  const shifts = saved.payload.quantileShifts as number[][] | null | undefined;
  if (shifts) {
    const K = model.options.quantiles?.length ?? 0;
    if (
      !Array.isArray(shifts) ||
      shifts.length !== model.options.horizon ||
      !shifts.every((s) => Array.isArray(s) && s.length === K && s.every(Number.isFinite))
    ) {
      throw new PersistenceError(
        file,
        `invalid quantileShifts: expected ${model.options.horizon} rows of ${K} finite numbers`,
      );
    }
    model.quantileShifts = shifts.map((s) => Float64Array.from(s));
  }
  const o = model.options;
  const { loss, optimizer, learningRate, dropout, batchSize } = o;
  const config = { loss, optimizer, learningRate, dropout, batchSize };
  const quantiles = o.quantiles ? { quantiles: o.quantiles } : {};
  model.engine = await createEngine(o.engine, spec, saved.weights, { ...config, ...quantiles });
  return model;
}
