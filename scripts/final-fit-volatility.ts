/**
 * The final fit on the volatility example's LSTM (issue 22, item 3): the example's backtest (S&P 500 rv:5, horizon 5,
 * the last 1000 days, refit every 20 origins) with the forecaster's default validation (0.2, early stopping), once
 * keeping the model trained on the training rows (`finalFit: 'training'`, as before 0.2.0) and once retrained on
 * every row of the window (`finalFit: 'all'`). Run: npx tsx scripts/final-fit-volatility.ts   (prints JSON)
 */
import { addLogVolume, compareModels, readCsv } from '../src/index.js';

const sp = addLogVolume(await readCsv('fixtures/sp500-2000.csv'));
const forecaster = { lookback: 30, units: 32, epochs: 20, features: ['rv5', 'logVolume'], scaler: 'standard', seed: 7 };
const out: Record<string, unknown> = {};
const c = await compareModels(
  sp,
  [
    'naive',
    { name: 'lstm (training)', forecaster: { ...forecaster, finalFit: 'training' } },
    { name: 'lstm (all)', forecaster: { ...forecaster, finalFit: 'all' } },
  ],
  { targetTransform: 'rv:5', horizon: 5, testSize: 1000, refit: 20, concurrency: 2 },
);
for (const r of c.rows) {
  const res = c.results[r.model];
  out[r.model] = {
    mae: r.metrics.mae,
    rmse: r.metrics.rmse,
    theilU: r.theilU,
    theilUStep5: res.perStep[4].rmse / c.results.naive.perStep[4].rmse,
  };
}
console.log(JSON.stringify(out, null, 1));
