/**
 * The main job, offline (`npm run demo`): backtest an LSTM against the baselines on the bundled S&P 500 file
 * over its last two years of trading days (refit every quarter, a sliding training window), print the ranked
 * table, write demo-report.html with charts, folds and a strategy simulation, then forecast the next 5 trading days.
 * Run: npm run demo   (STOCKCAST_FAST=1 shrinks it to a smoke test)
 */
import {
  backtestChart,
  compareModels,
  createForecaster,
  equityChart,
  forecastChart,
  readCsv,
  simulateStrategy,
  writeReport,
} from '../src/index.js';

const fast = process.env.STOCKCAST_FAST === '1';
const started = performance.now();
const sp = await readCsv('fixtures/sp500-2000.csv', { symbol: '^GSPC' });
const testSize = fast ? 40 : 504; // two years of trading days
// The forecaster's defaults: each window relative to its own last close, the epoch chosen on validation data.
const recurrent = fast ? { epochs: 2 } : {};
console.log(`S&P 500: ${sp.length} trading days to ${sp.dates()[sp.length - 1].toISOString().slice(0, 10)}; backtesting the last ${testSize}`);

let lastModel = '';
const comparison = await compareModels(sp, ['naive', 'drift', 'ma:20', 'lstm'], {
  target: 'close',
  horizon: 1,
  testSize,
  window: 'sliding',
  trainLength: 1000,
  refit: fast ? 20 : 63, // a quarter of trading days
  concurrency: 2,
  forecaster: recurrent,
  onFold: ({ model, fold, folds }) => {
    if (model !== lastModel || fold === folds) {
      if (model !== lastModel) lastModel = model;
      if (fold === folds) console.log(`  ${model}: ${folds} origins done`);
    }
  },
});

console.log('\nrank  model    MAE      RMSE     MAPE%   MASE    dir%   Theil U');
for (const r of comparison.rows) {
  const m = r.metrics;
  console.log(`${String(r.rank).padEnd(5)} ${r.model.padEnd(8)} ${m.mae.toFixed(2).padStart(7)} ${m.rmse.toFixed(2).padStart(8)} ${m.mape.toFixed(3).padStart(7)} ${m.mase.toFixed(3).padStart(6)} ${(Number.isNaN(m.directionalAccuracy) ? 'n/a' : m.directionalAccuracy.toFixed(1)).padStart(6)} ${r.theilU.toFixed(3).padStart(8)}`);
}
console.log(comparison.findings.join('\n'));

const lstm = comparison.results.lstm;
const sim = simulateStrategy(lstm, sp.meta.frequency, { strategy: 'long-flat', costBps: 5 });
console.log(`\nLSTM long/flat simulation (5 bps costs; not advice): total ${(100 * sim.strategy.totalReturn).toFixed(1)}%, Sharpe ${sim.strategy.sharpe.toFixed(2)}, max drawdown ${(100 * sim.strategy.maxDrawdown).toFixed(1)}%; buy and hold ${(100 * sim.buyAndHold.totalReturn).toFixed(1)}%`);

// Forecast the next 5 trading days with a model trained on the last 1000 days.
const model = createForecaster({ ...recurrent, cell: 'lstm', horizon: 5, target: 'close' });
await model.fit(sp.slice(-1000));
const forecast = await model.predict(sp);
const check = model.training!.validation!;
console.log(`\nvalidation: RMSE ${check.rmse.toFixed(2)} vs naive ${check.naiveRmse.toFixed(2)} (Theil's U ${check.theilU.toFixed(3)})${check.warning ? `\nwarning: ${check.warning}` : ''}`);
console.log('\nnext 5 trading days:');
forecast.timestamps.forEach((t, i) => console.log(`  ${new Date(t).toISOString().slice(0, 10)}  ${forecast.values[i].toFixed(2)}`));
model.dispose();

const order = ['naive', 'drift', 'ma:20', 'lstm'];
await writeReport('demo-report.html', {
  title: 'stockcast demo: S&P 500 walk-forward backtest',
  subtitle: `Last ${testSize} trading days, one-step-ahead forecasts, LSTM (default options) refit every ${fast ? 20 : 63} origins on a sliding 1000-day window.`,
  findings: comparison.findings,
  ...(check.warning ? { warning: `5-day forecast: ${check.warning}` } : {}),
  charts: [await backtestChart(order.map((m) => comparison.results[m])), await equityChart(sim, 'lstm'), await forecastChart(sp, forecast, { historyPoints: 120 })],
  tables: [
    { title: 'Metrics', columns: ['rank', 'model', 'MAE', 'RMSE', 'MAPE %', 'sMAPE %', 'MASE', 'direction %', "Theil's U"], rows: comparison.rows.map((r) => [r.rank, r.model, r.metrics.mae, r.metrics.rmse, r.metrics.mape, r.metrics.smape, r.metrics.mase, r.metrics.directionalAccuracy, r.theilU]) },
    { title: 'LSTM folds with a refit', columns: ['fold', 'train start', 'train end', 'origin'], rows: lstm.folds.filter((f) => f.refit).map((f) => [f.index + 1, new Date(f.trainStart).toISOString().slice(0, 10), new Date(f.trainEnd).toISOString().slice(0, 10), new Date(f.originTimestamp).toISOString().slice(0, 10)]) },
    { title: 'Next 5 trading days (LSTM)', columns: ['date', 'close'], rows: Array.from(forecast.values, (v, i) => [new Date(forecast.timestamps[i]).toISOString().slice(0, 10), v]) },
  ],
  details: { recurrent, backtest: { horizon: 1, testSize, window: 'sliding', trainLength: 1000, refit: fast ? 20 : 63 }, data: { source: sp.meta.source, rows: sp.length, frequency: sp.meta.frequency } },
});
console.log(`\nreport written to ${process.cwd()}/demo-report.html (${((performance.now() - started) / 1000).toFixed(0)} s)`);
