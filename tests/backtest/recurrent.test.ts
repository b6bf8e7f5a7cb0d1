import { beforeAll, describe, expect, it } from 'vitest';
import { DataError, readCsv, Series, walkForward } from '../../src/index.js';
import { expectNoLeakedTensors } from '../helpers/tensors.js';

let sp: Series;
beforeAll(async () => {
  sp = (await readCsv('fixtures/sp500-2000.csv')).select(['close']).slice(-160);
});
const fast = { lookback: 8, epochs: 2, units: 4, batchSize: 32, seed: 1 };

describe('walk-forward with recurrent models', () => {
  it('refit every: replacing all data after an origin by 1e9 leaves that forecast unchanged', async () => {
    const options = { horizon: 2, step: 4, testSize: 12, forecaster: fast } as const;
    const honest = await walkForward(sp, 'rnn', options);
    const origin = honest.folds[1].origin;
    const close = sp.column('close').map((v, i) => (i >= origin ? 1e9 : v));
    const poisoned = await walkForward(
      Series.create({ timestamps: sp.timestamps, columns: { close } }),
      'rnn',
      options,
    );
    expect(poisoned.folds[1].predicted).toEqual(honest.folds[1].predicted);
    expect(poisoned.folds[0].predicted).toEqual(honest.folds[0].predicted);
    for (const f of honest.folds) {
      expect(f.refit).toBe(true);
      expect(f.trainEnd).toBeLessThan(f.originTimestamp);
    }
  });

  it('refit once predicts all origins from one model; refit k refits every k origins; no leaked tensors', async () => {
    await expectNoLeakedTensors(async () => {
      const once = await walkForward(sp, 'gru', { testSize: 6, refit: 'once', forecaster: fast });
      expect(once.folds.map((f) => f.refit)).toEqual([true, false, false, false, false, false]);
      const k = await walkForward(sp, 'gru', { testSize: 6, refit: 2, forecaster: fast });
      expect(k.folds.map((f) => f.refit)).toEqual([true, false, true, false, true, false]);
      // The first fold is trained identically in both.
      expect(k.folds[0].predicted).toEqual(once.folds[0].predicted);
      expect(k.folds[1].predicted).toEqual(once.folds[1].predicted);
    });
  });

  it('batched paths (refit once, every k): no forecast at origin t reads a row at or after t (1e9 poison per origin)', async () => {
    for (const refit of ['once', 2] as const) {
      const options = { testSize: 6, refit, forecaster: fast, concurrency: 1 } as const;
      const honest = await walkForward(sp, 'gru', options);
      for (const k of [1, 3, 5]) {
        const origin = honest.folds[k].origin;
        const close = sp.column('close').map((v, i) => (i >= origin ? 1e9 : v));
        const poisoned = await walkForward(
          Series.create({ timestamps: sp.timestamps, columns: { close } }),
          'gru',
          options,
        );
        expect(poisoned.folds[k].predicted, `refit ${refit}, fold ${k}`).toEqual(honest.folds[k].predicted);
      }
    }
  });

  it('worker threads give results identical to the serial run', async () => {
    const options = { testSize: 4, window: 'sliding', trainLength: 100, forecaster: fast } as const;
    const serial = await walkForward(sp, 'lstm', { ...options, concurrency: 1 });
    const ticks: number[] = [];
    const parallel = await walkForward(sp, 'lstm', { ...options, concurrency: 2, onFold: (i) => ticks.push(i.fold) });
    expect(parallel.folds.map((f) => f.predicted)).toEqual(serial.folds.map((f) => f.predicted));
    expect(ticks).toEqual([1, 2, 3, 4]);
  });

  it('a fold that fails in a worker surfaces as the same typed error', async () => {
    const options = { testSize: 4, window: 'sliding', trainLength: 8, forecaster: fast } as const;
    await expect(walkForward(sp, 'rnn', { ...options, concurrency: 1 })).rejects.toThrow(
      /^lookback 8 \+ horizon 1 needs 9 training rows, but the series has 8/,
    );
    const parallel = walkForward(sp, 'rnn', { ...options, concurrency: 2 });
    await expect(parallel).rejects.toBeInstanceOf(DataError);
    // Whichever worker fails first is named.
    await expect(walkForward(sp, 'rnn', { ...options, concurrency: 2 })).rejects.toThrow(
      /^fold group \d of 4: lookback 8 \+ horizon 1 needs 9 training rows, but the series has 8/,
    );
  });

  it('refuses options that cannot cross to a worker thread, naming them, and honours an aborted signal at once', async () => {
    const options = { testSize: 4, forecaster: { ...fast, onEpochEnd: () => undefined }, concurrency: 2 } as const;
    await expect(walkForward(sp, 'rnn', options)).rejects.toThrow(
      /forecaster\.onEpochEnd: a function cannot be sent to a worker thread/,
    );
    const signal = AbortSignal.abort();
    const started = performance.now();
    await expect(
      walkForward(sp, 'rnn', { testSize: 4, forecaster: { ...fast, signal }, concurrency: 2 }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
