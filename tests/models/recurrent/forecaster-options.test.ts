import { describe, expect, it } from 'vitest';
import { compareModels, createForecaster, ValidationError } from '../../../src/index.js';
import { randomWalk } from '../../helpers/synthetic.js';

describe('forecaster defaults', () => {
  it('work on scale-free inputs: a strong trend far outside the training range stays near naive (levels did not)', async () => {
    // 1.5% a day for 600 days: the test span lies far above every training value.
    const s = randomWalk(600, { seed: 11, drift: 0.015, vol: 0.01 });
    const options = { target: 'close', testSize: 100, refit: 'once' as const, concurrency: 1 as const };
    const defaults = await compareModels(s, ['naive', { name: 'lstm', forecaster: { cell: 'lstm' } }], options);
    const levels = await compareModels(
      s,
      ['naive', { name: 'lstm', forecaster: { cell: 'lstm', scaler: 'minmax', windowNorm: 'none' } }],
      options,
    );
    const u = (c: typeof defaults) => c.rows.find((r) => r.model === 'lstm')!.theilU;
    expect(u(defaults)).toBeLessThan(1.1);
    expect(u(levels)).toBeGreaterThan(3);
  });

  it("refuses windowNorm 'last' with a fitted scaler, which can map a value to the exact 0 it divides by", () => {
    expect(() => createForecaster({ windowNorm: 'last', scaler: 'minmax' })).toThrow(ValidationError);
    expect(() => createForecaster({ windowNorm: 'last', scaler: 'minmax' })).toThrow(
      /windowNorm: .*use scaler: 'none' with it/,
    );
    expect(createForecaster({ windowNorm: 'last', scaler: 'none' }).options.windowNorm).toBe('last');
  });
});
