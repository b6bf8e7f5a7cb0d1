import { describe, expect, it } from 'vitest';
import { Series } from '../../../src/index.js';
import { inputsFor, recurrentModels } from '../../../src/models/recurrent/recurrent-models.js';
import type { ModelEnvironment, ModelTask } from '../../../src/models/contract.js';

describe('recurrent models on volatility targets', () => {
  it('forecasts are floored at the smallest positive target value of the training rows', async () => {
    // A target falling steadily to 0.3: an LSTM on scaled levels extrapolates the fall below 0 by step 5.
    const n = 200;
    const v = Array.from({ length: n }, (_, i) => 0.3 + 30 * (1 - i / (n - 1)));
    const data = Series.create({ timestamps: v.map((_, i) => Date.UTC(2020, 0, 1) + i * 86_400_000), columns: { v } });
    const options = {
      lookback: 10,
      units: 8,
      epochs: 40,
      learningRate: 0.02,
      scaler: 'standard',
      windowNorm: 'none',
      validation: 0,
      seed: 1,
    };
    const window = { origin: n, trainStart: 0, refit: true };
    const run = async (targetKind: ModelTask['targetKind']) => {
      const task = { target: 'v', horizon: 5, targetKind } as ModelTask;
      const model = recurrentModels.lstm.series!(options as never, task, { threads: 1 } as ModelEnvironment);
      await model.fit!(data, window);
      const f = await model.forecast(data, [window]);
      model.dispose?.();
      return Array.from(f.values[0]);
    };
    const price = await run('price');
    const volatility = await run('volatility');
    expect(Math.min(...price)).toBeLessThan(0);
    expect(volatility.every((x) => x >= 0.3)).toBe(true);
    volatility.forEach((x, h) => expect(x).toBe(Math.max(0.3, price[h])));
  });

  it('one rule for the inputs of every target kind the user chose none for: standardized unless a price', () => {
    const task = (targetKind: ModelTask['targetKind']) => ({ target: 'y', horizon: 1, targetKind }) as ModelTask;
    const standardized = { windowNorm: 'none', scaler: 'standard' };
    for (const kind of ['return', 'volatility', 'variance'] as const) {
      expect(inputsFor({}, task(kind)), kind).toEqual(standardized);
      // An option the user gives wins: a scaler keeps its kind, a window normalization keeps everything.
      expect(inputsFor({ scaler: 'robust' }, task(kind))).toEqual({ windowNorm: 'none' });
      expect(inputsFor({ windowNorm: 'last' }, task(kind))).toEqual({});
    }
    expect(inputsFor({}, task('price'))).toEqual({});
  });
});
