/**
 * Measures the econometric baselines on realized-volatility targets of the bundled S&P 500 file (issue 22, item 1):
 * per target and model, the mean error (bias, annualized points), RMSE, the naive forecast's RMSE and Theil's U,
 * horizon 5, the last 20% of the rows, GARCH refitted every 20 origins. Also on simulated intraday paths with a
 * known variance (a quarter overnight), the variance ratio mean(forecast^2) / mean(target^2).
 * Run: npx tsx scripts/range-baselines.ts   (prints JSON; docs/volatility-and-risk.md quotes it)
 */
import { readCsv, walkForward } from '../src/index.js';
import { simulateOhlcDays } from '../tests/helpers/ohlc-days.js';

const targets = ['rv:5', 'parkinson:5', 'gk:5', 'yz:5'];
const models = ['ewma', 'garch', 'garch-t', 'har'];
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

async function measure(series: Parameters<typeof walkForward>[0], target: string, model: string) {
  const r = await walkForward(series, model, { targetTransform: target, horizon: 5, refit: 20 });
  let e = 0;
  let sq = 0;
  let naive = 0;
  let p2 = 0;
  let a2 = 0;
  for (const p of r.points) {
    e += p.predicted - p.actual;
    sq += (p.predicted - p.actual) ** 2;
    naive += (p.lastKnown - p.actual) ** 2;
    p2 += p.predicted ** 2;
    a2 += p.actual ** 2;
  }
  const n = r.points.length;
  return {
    bias: round(e / n),
    rmse: round(Math.sqrt(sq / n)),
    naiveRmse: round(Math.sqrt(naive / n)),
    theilU: round(Math.sqrt(sq / naive)),
    varianceRatio: round(p2 / a2),
    negative: r.points.filter((p) => p.predicted <= 0).length,
  };
}

const sp = await readCsv('fixtures/sp500-2000.csv');
const out: Record<string, Record<string, Record<string, unknown>>> = { sp500: {}, simulated: {} };
for (const target of targets) {
  out.sp500[target] = {};
  for (const model of models) out.sp500[target][model] = await measure(sp, target, model);
}
const { series } = simulateOhlcDays(2500, { seed: 11 });
for (const target of targets) {
  out.simulated[target] = {};
  for (const model of ['ewma', 'garch']) out.simulated[target][model] = await measure(series, target, model);
}
console.log(JSON.stringify(out, null, 1));
