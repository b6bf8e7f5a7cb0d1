/** Bench: walk-forward with an LSTM refit at every origin, serial vs two worker threads (results must be identical). */
import { readCsv, walkForward } from '../src/index.js';

/** Times the same backtest with concurrency 1 and 2. */
export async function benchBacktest(): Promise<{
  folds: number;
  serialSec: number;
  parallelSec: number;
  speedup: number;
  identical: boolean;
}> {
  const sp = (await readCsv('fixtures/sp500-2000.csv')).select(['close']).slice(-1600);
  // 24 refits of an LSTM(64) on 1000-row windows: enough work per fold that worker start-up is amortized.
  const options = {
    horizon: 5,
    step: 5,
    testSize: 120,
    window: 'sliding' as const,
    trainLength: 1000,
    forecaster: { lookback: 30, units: 64, epochs: 8, seed: 1 },
  };
  let t0 = performance.now();
  const serial = await walkForward(sp, 'lstm', options);
  const serialSec = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const parallel = await walkForward(sp, 'lstm', { ...options, concurrency: 2 });
  const parallelSec = (performance.now() - t0) / 1000;
  const identical =
    JSON.stringify(serial.folds.map((f) => f.predicted)) === JSON.stringify(parallel.folds.map((f) => f.predicted));
  return { folds: serial.folds.length, serialSec, parallelSec, speedup: serialSec / parallelSec, identical };
}
