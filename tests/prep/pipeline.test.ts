import { describe, expect, it } from 'vitest';
import { prepareWindows, readCsv, Series } from '../../src/index.js';

describe('prepareWindows: no leakage by construction', () => {
  it('the scaler fitted on the training part is unchanged when everything after it becomes 1e9', async () => {
    const sp = (await readCsv('fixtures/sp500-2000.csv')).select(['close', 'volume']);
    const options = {
      split: { train: 0.7, validation: 0.15 },
      window: { lookback: 20, target: 'close', features: ['close', 'volume'] },
      scaler: 'standard' as const,
    };
    const honest = prepareWindows(sp, options);
    const trainEnd = honest.ranges.train.end;
    const poisoned = Series.create({
      timestamps: sp.timestamps,
      columns: Object.fromEntries(sp.columns.map((c) => [c, sp.column(c).map((v, i) => (i >= trainEnd ? 1e9 : v))])),
    });
    const p = prepareWindows(poisoned, options);
    expect(p.scaler!.toJSON()).toEqual(honest.scaler!.toJSON());
    expect(Array.from(p.train.x)).toEqual(Array.from(honest.train.x));
    expect(Array.from(p.train.y)).toEqual(Array.from(honest.train.y));
  });

  it('no training target lies in validation or test; their inputs may read the rows before', async () => {
    const sp = await readCsv('fixtures/sp500-2000.csv');
    const p = prepareWindows(sp, {
      split: { train: 0.8, validation: 0.1 },
      window: { lookback: 30, horizon: 5, target: 'close' },
    });
    const { train, validation, test } = p.ranges;
    const lastTrainTarget = p.train.targetIndex[p.train.count - 1] + 4;
    expect(lastTrainTarget).toBeLessThan(train.end);
    expect(p.validation!.targetIndex[0]).toBe(validation!.start);
    expect(p.validation!.targetIndex[p.validation!.count - 1] + 4).toBeLessThan(validation!.end);
    expect(p.test!.targetIndex[0]).toBe(test!.start);
    // The first validation window reads the 30 training rows before it.
    expect(p.validation!.targetIndex[0] - 30).toBeLessThan(train.end);
    expect(p.train.xShape).toEqual([train.end - 30 - 4, 30, 1]);
  });

  it("scaler 'none' leaves values as they are", async () => {
    const s = await readCsv('fixtures/ncsoft-weekly.csv');
    const p = prepareWindows(s, {
      split: { train: 18 },
      window: { lookback: 5, target: 'stock_price' },
      scaler: 'none',
    });
    expect(p.scaler).toBeUndefined();
    expect(p.train.x[0]).toBe(932000);
  });
});
