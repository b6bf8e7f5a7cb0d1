import { describe, expect, it } from 'vitest';
import {
  createForecaster,
  createGlobalForecaster,
  ForecasterOptionsSchema,
  GlobalForecasterOptionsSchema,
} from '../../../src/index.js';
import { ForecasterFields } from '../../../src/models/recurrent/forecaster-options.js';
import { GlobalForecasterFields } from '../../../src/models/recurrent/global-forecaster-options.js';
import { recurrentFields } from '../../../src/models/recurrent/recurrent-options.js';

const shared = Object.keys(recurrentFields) as Array<keyof typeof recurrentFields>;

describe('one schema for the fields every recurrent forecaster shares', () => {
  it('both forecasters hold the very same field objects (a field added once appears in both)', () => {
    expect(shared.length).toBeGreaterThanOrEqual(25);
    for (const key of shared) {
      expect(GlobalForecasterFields.shape[key], key).toBe(recurrentFields[key]);
      // The one-series forecaster also takes a later Series as validation data: its own field, the same default.
      if (key !== 'validation') expect(ForecasterFields.shape[key], key).toBe(recurrentFields[key]);
    }
    expect(ForecasterFields.shape.validation.parse(undefined)).toBe(recurrentFields.validation.parse(undefined));
  });

  it('each adds only its own fields', () => {
    const own = (shape: object) =>
      Object.keys(shape)
        .filter((k) => !(k in recurrentFields))
        .sort();
    expect(own(ForecasterFields.shape)).toEqual(['interval']);
    expect(own(GlobalForecasterFields.shape)).toEqual([
      'calendar',
      'calendarFeatures',
      'knownColumns',
      'statics',
      'symbolEmbedding',
    ]);
  });

  it('the same defaults after parsing, and the same rules with the same messages', () => {
    const one = ForecasterOptionsSchema.parse({});
    const global = GlobalForecasterOptionsSchema.parse({});
    for (const key of shared) expect(global[key], key).toEqual(one[key]);
    const refused = [
      [{ coverage: 0.9, validation: 0 }, 'coverage needs validation data to calibrate on'],
      [{ quantiles: [0.9, 0.1] }, 'quantile levels must increase'],
      [{ calibration: 0.2 }, 'calibration calibrates quantiles: give quantiles too'],
      [{ quantiles: [0.1, 0.9], coverage: 0.8 }, 'use quantiles (e.g. [0.05, 0.5, 0.95]) or coverage, not both'],
      [{ scaler: 'minmax', windowNorm: 'last' }, "windowNorm 'last' divides by each window's last value"],
    ] as const;
    for (const [options, message] of refused) {
      expect(() => createForecaster(options as never), message).toThrow(message);
      expect(() => createGlobalForecaster(options as never), message).toThrow(message);
    }
    expect(() => createGlobalForecaster({ windowNorm: 'zscore' })).toThrow(
      "global forecasters take windowNorm 'last' or 'none'",
    );
    expect(createForecaster({ windowNorm: 'zscore' }).options.windowNorm).toBe('zscore');
  });
});
