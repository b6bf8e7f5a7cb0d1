import { describe, expect, it } from 'vitest';
import { readCsv, walkForward } from '../../src/index.js';
import { sharedDevice } from '../../src/backtest/shared-device.js';
import { skipGpu } from '../helpers/webgpu.js';

const gpu = await skipGpu();

describe('groups in flight on one device', () => {
  it('keeps at most the limit running, returns results in order, and starts no group after a failure', async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const out = await sharedDevice([5, 1, 4, 2, 3], 2, async (ms) => {
      started.push(ms);
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, ms * 5));
      running--;
      return ms * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
    expect(started).toEqual([5, 1, 4, 2, 3]);
    const seen: number[] = [];
    await expect(
      sharedDevice([1, 2, 3, 4], 1, async (g) => {
        seen.push(g);
        if (g === 2) throw new Error('fold 2');
        return g;
      }),
    ).rejects.toThrow('fold 2');
    expect(seen).toEqual([1, 2]);
  });
});

describe.skipIf(gpu.skip)(`a walk-forward backtest on the webgpu engine${gpu.title}`, () => {
  it('runs parallel folds on the one device with the forecasts of one fold at a time', async () => {
    const sp = (await readCsv('fixtures/sp500-2000.csv')).slice(-120);
    const options = {
      testSize: 8,
      refit: 1,
      horizon: 2,
      target: 'close',
      forecaster: { units: 6, lookback: 8, epochs: 2, seed: 3, engine: 'webgpu' as const },
    };
    const [one, two] = [
      await walkForward(sp, 'lstm', { ...options, concurrency: 1 }),
      await walkForward(sp, 'lstm', { ...options, concurrency: 2 }),
    ];
    expect(two.folds.map((f) => f.predicted)).toEqual(one.folds.map((f) => f.predicted));
    expect(one.folds.length).toBe(4);
  });
});
