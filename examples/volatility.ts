/**
 * Forecasting volatility: 5-day realized volatility of the S&P 500 (close-to-close, annualized %), forecast 1..5
 * trading days ahead by an LSTM and by the baselines a risk desk would use: naive (the last value), EWMA
 * (RiskMetrics), HAR-RV (Corsi) and GARCH(1,1). Walk-forward over the last four years with refits, a ranked
 * table, Theil's U against naive overall and at step 5 (the next five days' volatility, all unseen), and an HTML report.
 * Run: npx tsx examples/volatility.ts   (STOCKCAST_FAST=1 shrinks it to a smoke test)
 */
import { addLogVolume, backtestChart, compareModels, readCsv, writeReport } from '../src/index.js';

const fast = process.env.STOCKCAST_FAST === '1';
const sp = addLogVolume(await readCsv('fixtures/sp500-2000.csv', { symbol: '^GSPC' }));
const H = 5;
const testSize = fast ? 60 : 1000; // four years of trading days, the 2020 crash included
const refit = fast ? 6 : 20; // every 20 origins = every 100 trading days
console.log(`S&P 500: 5-day realized volatility, forecast ${H} days ahead from ${testSize / H} origins over the last ${testSize} days (refit every ${refit * H} days)`);

const comparison = await compareModels(sp, ['naive', 'ewma', 'har', 'garch', 'garch-t', 'lstm'], {
  targetTransform: 'rv:5',
  horizon: H,
  testSize,
  refit,
  concurrency: 2,
  // The LSTM reads the volatility and the log volume of the last 30 days; a fixed 20 epochs (no early-stopping
  // validation span), as measured in docs/volatility-and-risk.md.
  forecaster: { lookback: 30, units: 32, epochs: fast ? 2 : 20, features: ['rv5', 'logVolume'], scaler: 'standard', windowNorm: 'none', validation: 0, earlyStopping: false, seed: 7 },
});

const naiveAt = (h: number) => comparison.results.naive.perStep[h].rmse;
const rows = comparison.rows.map((r) => {
  const res = comparison.results[r.model];
  return { rank: r.rank, model: r.model, mae: r.metrics.mae, rmse: r.metrics.rmse, theilU: r.theilU, theilU5: res.perStep[H - 1].rmse / naiveAt(H - 1) };
});
console.log('\nrank  model     MAE     RMSE    Theil U  U at step 5');
for (const r of rows) console.log(`${String(r.rank).padEnd(6)}${r.model.padEnd(10)}${r.mae.toFixed(3).padStart(6)}  ${r.rmse.toFixed(3).padStart(6)}  ${r.theilU.toFixed(3).padStart(7)}  ${r.theilU5.toFixed(3).padStart(11)}`);

const lstm = rows.find((r) => r.model === 'lstm')!;
const best = rows[0];
const bestBaseline = rows.find((r) => r.model !== 'lstm')!;
console.log(
  `\nresult: ${best.model} ranks first by RMSE (Theil U ${best.theilU.toFixed(3)}); the LSTM has Theil U ${lstm.theilU.toFixed(3)} overall and ${lstm.theilU5.toFixed(3)} at step 5, ` +
    `${lstm.rmse < bestBaseline.rmse ? 'ahead of' : 'behind'} the best baseline (${bestBaseline.model}, RMSE ${bestBaseline.rmse.toFixed(3)} vs ${lstm.rmse.toFixed(3)}).`,
);

const report = fast ? 'test-artifacts/volatility-report.html' : 'volatility-report.html';
await writeReport(report, {
  title: 'S&P 500: forecasting 5-day realized volatility',
  subtitle: `${testSize / H} origins, horizon ${H}, refit every ${refit} origins; target rv:5 (annualized %)`,
  charts: [await backtestChart(Object.values(comparison.results))],
  tables: [{ title: 'Ranked by RMSE', columns: ['rank', 'model', 'MAE', 'RMSE', "Theil's U", 'U at step 5'], rows: rows.map((r) => [r.rank, r.model, r.mae, r.rmse, r.theilU, r.theilU5]) }],
  details: { options: { targetTransform: 'rv:5', horizon: H, testSize, refit }, data: { rows: sp.length, first: sp.dates()[0].toISOString(), last: sp.dates()[sp.length - 1].toISOString() } },
});
console.log(`report written to ${report}`);
