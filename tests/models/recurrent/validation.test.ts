import { describe, expect, it } from 'vitest';
import { createForecaster, dieboldMariano, verdict } from '../../../src/index.js';
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

  it('warns only when the model loses to naive by the Diebold-Mariano test (p < 0.05), not on a larger RMSE alone', () => {
    // Few noisy windows: the model's RMSE is 20% above naive's, but that is within luck, so no warning.
    const few = validationCheck(Float64Array.from([10, 11, 12, 13]), [2, 3], [13.2, 14.2], 1);
    expect(few.theilU).toBeCloseTo(1.2, 10);
    expect(few.dieboldMariano).toBeUndefined(); // equal loss differentials: no test, no verdict
    expect(few.warning).toBeUndefined();
    const noisy = randomWalk(60, { seed: 3, drift: 0, vol: 0.01 }).columnRef('close');
    const origins = Array.from({ length: 50 }, (_, i) => i + 10);
    const slightly = validationCheck(
      noisy,
      origins,
      origins.map((t, i) => noisy[t - 1] + (i % 2 ? 0.3 : -0.3)),
      1,
    );
    // A 6% smaller RMSE that the test cannot tell from luck: a tie, no verdict either way.
    expect(slightly.theilU).toBeLessThan(0.95);
    expect(slightly.dieboldMariano!.pValue).toBeGreaterThan(0.05);
    expect(verdict(slightly.dieboldMariano)).toBe('ties');
    expect(slightly.warning).toBeUndefined();
    // Far off at every window: the test rejects equal accuracy and the warning says so, with the p-value.
    const far = validationCheck(
      noisy,
      origins,
      origins.map((t) => noisy[t - 1] + 3),
      1,
    );
    expect(far.dieboldMariano!.pValue).toBeLessThan(0.05);
    expect(far.warning).toMatch(/loses to the naive forecast .*Theil's U \d+\.\d\d, Diebold-Mariano p-value/);
    // At horizon 1 with windows one row apart, the test is R's dm.test on the two error series.
    const e1 = origins.map((t, i) => noisy[t] - (noisy[t - 1] + (i % 2 ? 0.3 : -0.3)));
    const e2 = origins.map((t) => noisy[t] - noisy[t - 1]);
    expect(slightly.dieboldMariano!.statistic).toBeCloseTo(dieboldMariano(e1, e2).statistic, 12);
    expect(slightly.dieboldMariano!.pValue).toBeCloseTo(dieboldMariano(e1, e2).pValue, 12);
    expect(validationCheck(Float64Array.from([10, 10, 10, 10]), [2], [10], 1).theilU).toBeNaN();
  });

  it('a forecaster fitted with validation data carries the check; a model that loses says so', async () => {
    const s = randomWalk(400, { seed: 5, drift: 0.002, vol: 0.01 });
    const poor = await createForecaster({
      scaler: 'minmax',
      windowNorm: 'none',
      lookback: 10,
      epochs: 2,
      learningRate: 0.0005,
      validation: 0.25,
      earlyStopping: false,
      seed: 1,
    }).fit(s);
    const check = poor.training!.validation!;
    expect(check.windows).toBe(100);
    expect(check.theilU).toBeGreaterThan(1.05);
    expect(check.dieboldMariano!.pValue).toBeLessThan(0.05);
    expect(check.warning).toMatch(/loses to the naive forecast/);
    poor.dispose();
    const none = await createForecaster({ lookback: 10, epochs: 2, validation: 0 }).fit(s);
    expect(none.training!.validation).toBeUndefined();
    none.dispose();
  });
});
