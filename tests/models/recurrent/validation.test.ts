import { describe, expect, it } from 'vitest';
import { createForecaster } from '../../../src/index.js';
import { validationCheck } from '../../../src/models/recurrent/validation.js';
import { randomWalk } from '../../helpers/synthetic.js';

describe('the validation check: the model next to the naive forecast', () => {
  it('computes both RMSEs on the same points, by hand', () => {
    const actual = Float64Array.from([10, 11, 12, 11, 13]);
    // Origins 2 and 3, horizon 2: targets (12, 11) and (11, 13); naive repeats actual[1] = 11 and actual[2] = 12.
    const check = validationCheck(actual, [2, 3], [12, 12, 11, 12], 2);
    expect(check.windows).toBe(2);
    expect(check.rmse).toBeCloseTo(Math.sqrt((0 + 1 + 0 + 1) / 4), 12);
    expect(check.naiveRmse).toBeCloseTo(Math.sqrt((1 + 0 + 1 + 1) / 4), 12);
    expect(check.theilU).toBeCloseTo(check.rmse / check.naiveRmse, 12);
    expect(check.warning).toBeUndefined();
  });

  it('warns only when the model is worse than naive by more than 5%', () => {
    const actual = Float64Array.from([10, 10, 10, 10]);
    const near = validationCheck(Float64Array.from([10, 11, 12, 13]), [2, 3], [13.02, 14.02], 1);
    expect(near.theilU).toBeLessThan(1.05);
    expect(near.warning).toBeUndefined();
    const worse = validationCheck(Float64Array.from([10, 11, 12, 13]), [2, 3], [13.2, 14.2], 1);
    expect(worse.theilU).toBeCloseTo(1.2, 10);
    expect(worse.warning).toMatch(/worse than the naive forecast .*Theil's U 1\.20/);
    expect(validationCheck(actual, [2], [10], 1).theilU).toBeNaN();
  });

  it('a forecaster fitted with validation data carries the check; a model that loses says so', async () => {
    const s = randomWalk(400, { seed: 5, drift: 0.002, vol: 0.01 });
    const poor = await createForecaster({ scaler: 'minmax', windowNorm: 'none', lookback: 10, epochs: 2, learningRate: 0.0005, validation: 0.25, earlyStopping: false, seed: 1 }).fit(s);
    const check = poor.training!.validation!;
    expect(check.windows).toBe(100);
    expect(check.theilU).toBeGreaterThan(1.05);
    expect(check.warning).toMatch(/worse than the naive forecast/);
    poor.dispose();
    const none = await createForecaster({ lookback: 10, epochs: 2, validation: 0 }).fit(s);
    expect(none.training!.validation).toBeUndefined();
    none.dispose();
  });
});
