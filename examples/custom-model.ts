/**
 * Your own model next to the built-in ones: register a seasonal drift (examples/models/seasonal-drift.mjs) and
 * backtest it with naive, seasonal:5 and drift, on one series and on a panel of five stocks, through the same
 * walk-forward rules (origins, windows, no row at or after an origin) as every built-in model.
 * It imports the package by name, as your code would (build first: npm run build), because the model module does.
 * Run: npx tsx examples/custom-model.ts
 * The same from the command line:
 *   npx stockcast backtest --csv fixtures/sp500-2000.csv --module examples/models/seasonal-drift.mjs \
 *     --models naive,seasonal:5,drift,seasonal-drift:5 --horizon 5 --test-size 250
 */
import { compareModels, listModels, readCsv, readPanelCsv } from 'stockcast';
import './models/seasonal-drift.mjs';

const sp = await readCsv('fixtures/sp500-2000.csv', { symbol: '^GSPC' });
const models = ['naive', 'seasonal:5', 'drift', 'seasonal-drift:5'];
const user = listModels().find((m) => m.name === 'seasonal-drift')!;
console.log(
  `registered: ${user.name} (${user.builtin ? 'built in' : 'user'}; by module ${user.module ? 'yes' : 'no'})`,
);

const series = await compareModels(sp, models, { horizon: 5, testSize: 250, concurrency: 2 });
console.log("\nS&P 500, 5 days ahead, last 250 days (rank, model, RMSE, Theil's U):");
for (const r of series.rows)
  console.log(`${r.rank}  ${r.model.padEnd(16)} ${r.metrics.rmse.toFixed(2).padStart(8)}  ${r.theilU.toFixed(3)}`);

const stocks = await readPanelCsv('fixtures/stocks.csv');
const panel = await compareModels(stocks, models, { testSize: 12 });
console.log(`\n${stocks.size} stocks, 1 month ahead, last 12 months, pooled (rank, model, RMSE, Theil's U):`);
for (const r of panel)
  console.log(
    `${r.rank}  ${r.result.model.padEnd(16)} ${r.result.metrics.rmse.toFixed(2).padStart(8)}  ${r.result.theilU.toFixed(3)}`,
  );
