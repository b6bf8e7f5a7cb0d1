/**
 * Many tickers at once: backtest one global LSTM, trained across the five stocks of vega-datasets' stocks.csv
 * (monthly, GOOG listing in 2004) with the month as a future-known covariate, against per-symbol baselines.
 * Origins are dates; each symbol is forecast from its own rows before each origin. Prints the pooled ranking and
 * a per-symbol table, writes panel-report.html, then forecasts the next three months of every symbol.
 * Run: npx tsx examples/panel-backtest.ts   (STOCKCAST_FAST=1 shrinks it to a smoke test)
 */
import {
  comparePanelModels,
  createGlobalForecaster,
  panelBacktestChart,
  readPanelCsv,
  writeReport,
} from '../src/index.js';

const fast = process.env.STOCKCAST_FAST === '1';
const stocks = await readPanelCsv('fixtures/stocks.csv');
console.log(
  `${stocks.size} symbols, ${stocks.rowCount} monthly rows: ${stocks.symbols.map((s) => `${s} ${stocks.get(s).length}`).join(', ')}`,
);

const forecaster = {
  lookback: 12,
  units: 16,
  epochs: fast ? 2 : 40,
  batchSize: 16,
  seed: 7,
  calendarFeatures: ['month' as const],
};
const models = ['naive', 'drift', 'mean', { name: 'global lstm', forecaster: {} }];
const compared = {
  target: 'price',
  horizon: 1,
  testSize: 12,
  refit: 'once' as const,
  forecaster,
  rankBy: 'mase' as const,
};
const { rows, findings, tests } = await comparePanelModels(stocks, models, compared);

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '-');
console.log('\nrank  model         MASE    RMSE    Theil U  (pooled over every symbol, 12 monthly origins)');
for (const r of rows)
  console.log(
    `${r.rank}     ${r.result.model.padEnd(12)}  ${fmt(r.result.metrics.mase).padStart(6)}  ${fmt(r.result.metrics.rmse).padStart(6)}  ${fmt(r.result.theilU).padStart(6)}`,
  );
// Each model against naive by a Diebold-Mariano test pooled over the symbols, and the search over all of them.
console.log(findings.join('\n'));
if (tests.spa) {
  console.log(
    `Hansen's SPA p-value ${tests.spa.pValue.toFixed(3)}: does any model beat naive (MASE) after the search?`,
  );
}
console.log('\nper symbol (MASE):');
console.log(`symbol  ${rows.map((r) => r.result.model.padStart(12)).join('')}`);
for (const symbol of stocks.symbols)
  console.log(
    `${symbol.padEnd(6)}  ${rows.map((r) => fmt(r.result.bySymbol[symbol]?.metrics.mase ?? Number.NaN).padStart(12)).join('')}`,
  );

await writeReport('panel-report.html', {
  title: 'Panel backtest: vega-datasets stocks',
  subtitle: `one global LSTM (month as a covariate) against per-symbol baselines; best by pooled MASE: ${rows[0].result.model}`,
  findings,
  charts: [await panelBacktestChart(rows.map((r) => r.result))],
  tables: [
    {
      title: 'Pooled',
      columns: ['rank', 'model', 'MASE', 'RMSE', "Theil's U"],
      rows: rows.map((r) => [r.rank, r.result.model, r.result.metrics.mase, r.result.metrics.rmse, r.result.theilU]),
    },
    {
      title: 'Per symbol',
      columns: ['symbol', 'model', 'MASE', 'RMSE', "Theil's U"],
      rows: rows.flatMap((r) =>
        Object.entries(r.result.bySymbol).map(([s, m]) => [
          s,
          r.result.model,
          m.metrics.mase,
          m.metrics.rmse,
          m.theilU,
        ]),
      ),
    },
  ],
  details: { forecaster },
});
console.log('\nreport written to panel-report.html');

const model = await createGlobalForecaster({ ...forecaster, target: 'price', horizon: 3 }).fit(stocks);
const next = await model.predict(stocks);
model.dispose();
console.log('\nnext three months:');
for (const [symbol, f] of Object.entries(next))
  console.log(
    `  ${symbol.padEnd(5)} ${Array.from(f.timestamps, (t, i) => `${new Date(t).toISOString().slice(0, 7)} ${f.values[i].toFixed(2)}`).join('   ')}`,
  );
