/**
 * The main job, offline (`npm run demo`): backtest an LSTM against the baselines on the bundled S&P 500 file
 * over its last two years of trading days (refit every quarter, a sliding training window), print the ranked
 * table with each model's Diebold-Mariano test against the naive forecast (a verdict only when p < 0.05), the Reality
 * Check and SPA test over all of them, a strategy simulation with its deflated Sharpe ratio and random-signal
 * percentile; then the 5-day realized volatility one day ahead, where the plain `lstm` is the recurrent volatility
 * model (GARCH's forecast corrected by recurrent networks) against EWMA, HAR and GARCH on QLIKE; write
 * demo-report.html with charts, folds and tables, then forecast the next 5 trading days with a 90% interval.
 * Run: npm run demo   (STOCKCAST_FAST=1 shrinks it to a smoke test)
 */
import {
  backtestChart,
  compareModels,
  createForecaster,
  equityChart,
  forecastChart,
  randomBaselineChart,
  readCsv,
  simulateStrategy,
  strategyTrials,
  verdict,
  writeReport,
} from '../src/index.js';

const fast = process.env.STOCKCAST_FAST === '1';
const started = performance.now();
const sp = await readCsv('fixtures/sp500-2000.csv', { symbol: '^GSPC' });
const testSize = fast ? 40 : 504; // two years of trading days
// The forecaster's defaults: each window relative to its own last close, the epoch chosen on validation data.
const recurrent = fast ? { epochs: 2 } : {};
console.log(
  `S&P 500: ${sp.length} trading days to ${sp.dates()[sp.length - 1].toISOString().slice(0, 10)}; backtesting the last ${testSize}`,
);

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

// Each model against the benchmark (naive on prices): Diebold-Mariano on squared error; "beats" or "loses to" only
// when its p-value is below 0.05, "ties" otherwise.
console.log('\nrank  model    MAE      RMSE     MAPE%   MASE    dir%   Theil U  DM p    verdict');
for (const r of comparison.rows) {
  const m = r.metrics;
  const p = r.dieboldMariano ? r.dieboldMariano.pValue.toFixed(3) : '';
  const cells = [
    m.mae.toFixed(2).padStart(7),
    m.rmse.toFixed(2).padStart(8),
    m.mape.toFixed(3).padStart(7),
    m.mase.toFixed(3).padStart(6),
    (Number.isNaN(m.directionalAccuracy) ? 'n/a' : m.directionalAccuracy.toFixed(1)).padStart(6),
    r.theilU.toFixed(3).padStart(8),
  ].join(' ');
  console.log(`${String(r.rank).padEnd(5)} ${r.model.padEnd(8)} ${cells}  ${p.padEnd(6)}  ${r.verdict ?? 'benchmark'}`);
}
console.log(comparison.findings.join('\n'));
const { spa, realityCheck } = comparison.tests;
const searched = `after the search over ${comparison.rows.length - 1} models (${comparison.tests.metric} loss)`;
const testsLine =
  spa && realityCheck
    ? `${searched}: Hansen's SPA p-value ${spa.pValue.toFixed(3)}, ` +
      `White's Reality Check p-value ${realityCheck.pValue.toFixed(3)} (best: ${spa.best})`
    : `${searched}: ${comparison.tests.note}`;
console.log(testsLine);

// The LSTM's strategy, with its Sharpe ratio's uncertainty: the deflated Sharpe ratio allows for the four models'
// strategies it could have been chosen among; the percentile ranks it among random signals of the same exposure.
const lstm = comparison.results.lstm;
const rule = { strategy: 'long-flat' as const, costBps: 5 };
const { trials, trialSharpeVariance } = strategyTrials(Object.values(comparison.results), sp.meta.frequency, rule);
const sim = simulateStrategy(lstm, sp.meta.frequency, { ...rule, trials, trialSharpeVariance });
const s = sim.strategy;
const dsr =
  s.deflatedSharpe !== undefined
    ? `DSR ${s.deflatedSharpe.toFixed(2)} over ${trials} strategies`
    : (s.deflatedSharpeNote ?? 'no DSR');
const random = s.randomSignals;
const luck = random ? `, percentile ${random.percentile.toFixed(1)} among ${random.count} random signals` : '';
const uncertainty = `s.e. ${s.sharpeStandardError.toFixed(2)}, PSR ${s.probabilisticSharpe.toFixed(2)}, ${dsr}${luck}`;
console.log(
  `\nLSTM long/flat simulation (5 bps costs; not advice): total ${(100 * s.totalReturn).toFixed(1)}%, ` +
    `Sharpe ${s.sharpe.toFixed(2)} (${uncertainty}), max drawdown ${(100 * s.maxDrawdown).toFixed(1)}%; ` +
    `buy and hold ${(100 * sim.buyAndHold.totalReturn).toFixed(1)}%`,
);

// Volatility: on a volatility target the plain `lstm` takes the volatility defaults (docs/models.md), tested
// against GARCH on QLIKE; the verdict says whatever the test says.
const vol = await compareModels(sp, ['ewma', 'har', 'garch', 'lstm'], {
  targetTransform: 'rv:5',
  horizon: 1,
  testSize,
  refit: fast ? 20 : 63,
  concurrency: 2,
  benchmark: 'garch',
  testLoss: 'qlike',
  rankBy: 'qlike',
  forecaster: recurrent,
});
console.log(
  '\nvolatility (rv:5, one day ahead): rank  model   QLIKE    RMSE   DM p (QLIKE, vs garch)  verdict (squared error)',
);
const volRows = vol.rows.map((r) => {
  const q = (r.metrics as unknown as { qlike: number }).qlike;
  const p = r.dieboldMariano ? r.dieboldMariano.pValue.toFixed(3) : '';
  return [r.rank, r.model, q.toFixed(4), r.metrics.rmse.toFixed(3), p, r.verdict ?? 'benchmark'] as const;
});
for (const [rank, m, q, rmse, p, v] of volRows)
  console.log(`  ${rank}  ${m.padEnd(6)} ${q.padStart(7)} ${rmse.padStart(7)}  ${p.padEnd(6)}  ${v}`);

// Forecast the next 5 trading days with a model trained on the last 1000 days, with a 90% interval.
const model = createForecaster({ ...recurrent, cell: 'lstm', horizon: 5, target: 'close', coverage: 0.9 });
await model.fit(sp.slice(-1000));
const forecast = await model.predict(sp);
const check = model.training!.validation!;
const test = check.dieboldMariano;
const versus = test
  ? `${verdict(test)} naive, Diebold-Mariano p-value ${test.pValue.toFixed(3)}`
  : 'no Diebold-Mariano test: the losses never differ';
const rmses = `RMSE ${check.rmse.toFixed(2)} vs naive ${check.naiveRmse.toFixed(2)}`;
console.log(`\nvalidation: ${rmses} (Theil's U ${check.theilU.toFixed(3)}; ${versus})`);
if (check.warning) console.log(`warning: ${check.warning}`);
console.log('\nnext 5 trading days:');
forecast.timestamps.forEach((t, i) =>
  console.log(`  ${new Date(t).toISOString().slice(0, 10)}  ${forecast.values[i].toFixed(2)}`),
);
model.dispose();

const order = ['naive', 'drift', 'ma:20', 'lstm'];
const metricsTable = {
  title: 'Metrics; Diebold-Mariano against naive (squared error)',
  columns: ['rank', 'model', 'MAE', 'RMSE', 'MAPE %', 'sMAPE %', 'MASE', 'direction %', "Theil's U", 'DM p', 'verdict'],
  rows: comparison.rows.map((r) => {
    const m = r.metrics;
    const test = [r.dieboldMariano?.pValue ?? '', r.verdict ?? 'benchmark'];
    return [r.rank, r.model, m.mae, m.rmse, m.mape, m.smape, m.mase, m.directionalAccuracy, r.theilU, ...test];
  }),
};
const hold = sim.buyAndHold;
const strategyTable = {
  title: 'LSTM strategy (long-flat, 5 bps; not advice)',
  columns: ['', 'total return', 'Sharpe', 'Sharpe s.e.', 'PSR', 'DSR', 'random pct', 'max drawdown'],
  rows: [
    ['strategy', s.totalReturn, s.sharpe, s.sharpeStandardError, s.probabilisticSharpe, s.deflatedSharpe ?? ''].concat([
      random?.percentile ?? '',
      s.maxDrawdown,
    ]),
    ['buy and hold', hold.totalReturn, hold.sharpe, hold.sharpeStandardError, hold.probabilisticSharpe, '', ''].concat([
      hold.maxDrawdown,
    ]),
  ],
};
await writeReport('demo-report.html', {
  title: 'stockcast demo: S&P 500 walk-forward backtest',
  subtitle: `Last ${testSize} trading days, one-step-ahead forecasts, LSTM (default options) refit every ${fast ? 20 : 63} origins on a sliding 1000-day window.`,
  findings: [...comparison.findings, testsLine, ...vol.findings],
  ...(check.warning ? { warning: `5-day forecast: ${check.warning}` } : {}),
  charts: [
    await backtestChart(order.map((m) => comparison.results[m])),
    await equityChart(sim, 'lstm'),
    ...(random ? [await randomBaselineChart(random, { title: `LSTM strategy: ${luck.slice(2)}` })] : []),
    await forecastChart(sp, forecast, { historyPoints: 120 }),
    await backtestChart(['garch', 'lstm'].map((m) => vol.results[m])),
  ],
  tables: [
    metricsTable,
    {
      title: 'Volatility (rv:5, one day ahead): Diebold-Mariano on QLIKE against garch',
      columns: ['rank', 'model', 'QLIKE', 'RMSE', 'DM p', 'verdict (squared error)'],
      rows: volRows.map((r) => [...r]),
    },
    strategyTable,
    {
      title: 'LSTM folds with a refit',
      columns: ['fold', 'train start', 'train end', 'origin'],
      rows: lstm.folds
        .filter((f) => f.refit)
        .map((f) => [
          f.index + 1,
          new Date(f.trainStart).toISOString().slice(0, 10),
          new Date(f.trainEnd).toISOString().slice(0, 10),
          new Date(f.originTimestamp).toISOString().slice(0, 10),
        ]),
    },
    {
      title: 'Next 5 trading days (LSTM)',
      columns: ['date', 'close'],
      rows: Array.from(forecast.values, (v, i) => [new Date(forecast.timestamps[i]).toISOString().slice(0, 10), v]),
    },
  ],
  details: {
    recurrent,
    backtest: { horizon: 1, testSize, window: 'sliding', trainLength: 1000, refit: fast ? 20 : 63 },
    data: { source: sp.meta.source, rows: sp.length, frequency: sp.meta.frequency },
  },
});
console.log(
  `\nreport written to ${process.cwd()}/demo-report.html (${((performance.now() - started) / 1000).toFixed(0)} s)`,
);
