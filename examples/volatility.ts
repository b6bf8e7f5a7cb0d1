/**
 * Forecasting volatility, in two parts. 1. Daily prices: 5-day realized volatility of the S&P 500 (close-to-close,
 * annualized %), forecast 1..5 trading days ahead by the default volatility model (`lstm`), a plain LSTM, and the
 * baselines a risk desk would use: naive (the last value), EWMA (RiskMetrics), HAR-RV (Corsi) and GARCH(1,1);
 * walk-forward over the last four years with refits, a ranked table, Theil's U against naive overall and at step
 * 5, QLIKE with Diebold-Mariano tests against GARCH, and an HTML report. 2. Intraday bars (simulated, seeded: a
 * stochastic-volatility model with jumps, 30-minute bars): the daily realized measures, the HAR family and the
 * default `lstm` against naive and EWMA, ranked by QLIKE, with Diebold-Mariano tests on QLIKE against HAR; then the
 * mean of the next 5 days as the target (`horizonMean`).
 * Run: npx tsx examples/volatility.ts   (STOCKCAST_FAST=1 shrinks it to a smoke test)
 */
import {
  addLogVolume,
  backtestChart,
  compareModels,
  readCsv,
  realizedMeasures,
  Series,
  writeReport,
} from '../src/index.js';

const fast = process.env.STOCKCAST_FAST === '1';
const sp = addLogVolume(await readCsv('fixtures/sp500-2000.csv', { symbol: '^GSPC' }));
const H = 5;
const testSize = fast ? 60 : 1000; // four years of trading days, the 2020 crash included
const refit = fast ? 6 : 20; // every 20 origins = every 100 trading days
console.log(
  `S&P 500: 5-day realized volatility, forecast ${H} days ahead from ${testSize / H} origins over the last ${testSize} days (refit every ${refit * H} days)`,
);

// `lstm` with no option is the default volatility model: a hybrid on the best of GARCH, EWMA and HAR at the
// training origins, whose seed ensemble's correction is kept only where held-out windows support it.
// `lstm-plain` is a plain LSTM reading the volatility and the log volume of the last 30 days (a fixed 20 epochs,
// no validation span): what the SDK ran on a volatility target before the volatility defaults.
const plain = {
  model: 'lstm',
  name: 'lstm-plain',
  options: {
    lookback: 30,
    units: 32,
    epochs: fast ? 2 : 20,
    features: ['rv5', 'logVolume'],
    scaler: 'standard',
    windowNorm: 'none',
    validation: 0,
    earlyStopping: false,
    seed: 7,
  },
};
const comparison = await compareModels(sp, ['naive', 'ewma', 'har', 'garch', 'garch-t', 'lstm', plain], {
  targetTransform: 'rv:5',
  horizon: H,
  testSize,
  refit,
  concurrency: 2,
  testLoss: 'qlike',
});

const naiveAt = (h: number) => comparison.results.naive.perStep[h].rmse;
const rows = comparison.rows.map((r) => {
  const res = comparison.results[r.model];
  return {
    rank: r.rank,
    model: r.model,
    mae: r.metrics.mae,
    rmse: r.metrics.rmse,
    theilU: r.theilU,
    theilU5: res.perStep[H - 1].rmse / naiveAt(H - 1),
    qlike: r.metrics.qlike!,
    p: r.dieboldMariano?.pValue,
  };
});
console.log(
  `\nrank  model       MAE     RMSE    Theil U  U at step 5  QLIKE   DM p vs ${comparison.benchmark} (QLIKE)`,
);
for (const r of rows)
  console.log(
    `${String(r.rank).padEnd(6)}${r.model.padEnd(12)}${r.mae.toFixed(3).padStart(6)}  ${r.rmse.toFixed(3).padStart(6)}  ` +
      `${r.theilU.toFixed(3).padStart(7)}  ${r.theilU5.toFixed(3).padStart(11)}  ${r.qlike.toFixed(4)}  ` +
      `${r.p === undefined ? '-' : r.p.toFixed(3)}`,
  );

const lstm = rows.find((r) => r.model === 'lstm')!;
const best = rows[0];
const bestBaseline = rows.find((r) => !r.model.startsWith('lstm'))!;
console.log(
  `\nresult: ${best.model} ranks first by RMSE (Theil U ${best.theilU.toFixed(3)}); the default lstm has Theil U ${lstm.theilU.toFixed(3)} overall and ${lstm.theilU5.toFixed(3)} at step 5, ` +
    `${lstm.rmse < bestBaseline.rmse ? 'ahead of' : 'behind'} the best baseline (${bestBaseline.model}, RMSE ${bestBaseline.rmse.toFixed(3)} vs ${lstm.rmse.toFixed(3)}).`,
);

const report = fast ? 'test-artifacts/volatility-report.html' : 'volatility-report.html';
await writeReport(report, {
  title: 'S&P 500: forecasting 5-day realized volatility',
  subtitle: `${testSize / H} origins, horizon ${H}, refit every ${refit} origins; target rv:5 (annualized %)`,
  charts: [await backtestChart(Object.values(comparison.results))],
  tables: [
    {
      title: 'Ranked by RMSE',
      columns: ['rank', 'model', 'MAE', 'RMSE', "Theil's U", 'U at step 5', 'QLIKE', 'DM p (QLIKE)'],
      rows: rows.map((r) => [r.rank, r.model, r.mae, r.rmse, r.theilU, r.theilU5, r.qlike, r.p ?? '']),
    },
  ],
  details: {
    options: { targetTransform: 'rv:5', horizon: H, testSize, refit },
    data: { rows: sp.length, first: sp.dates()[0].toISOString(), last: sp.dates()[sp.length - 1].toISOString() },
  },
});
console.log(`report written to ${report}`);

// Part 2: from intraday bars to the HAR family, QLIKE and the Diebold-Mariano test.
/** A seeded uniform generator (mulberry32): the example's paths are the same on every run. */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 30-minute bars of a log price whose log variance mean-reverts (ln s2 an Ornstein-Uhlenbeck process, 1% daily
 * volatility on average) with rare jumps, 24 hours a day as a currency trades; each bar stamped at its end.
 */
function simulateBars(days: number, seed: number): Series {
  const next = uniform(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const steps = 48;
  const dt = 1 / steps;
  const [kappa, theta, eta, jumpRate, jumpSd] = [0.3, Math.log(1e-4), 0.6, 0.2, 0.01];
  const start = Date.UTC(2024, 0, 1);
  const timestamps: number[] = [];
  const close: number[] = [];
  let [lv, lp] = [theta, Math.log(100)];
  for (let k = 0; k < days * steps; k++) {
    lp += Math.sqrt(Math.exp(lv) * dt) * normal() + (next() < jumpRate * dt ? jumpSd * normal() : 0);
    lv += kappa * (theta - lv) * dt + eta * Math.sqrt(dt) * normal();
    timestamps.push(start + ((k + 1) * 86_400_000) / steps);
    close.push(Math.exp(lp));
  }
  return Series.create({ timestamps, columns: { close }, meta: { symbol: 'SIM' } });
}

const bars = simulateBars(fast ? 300 : 1000, 42);
// Daily rv (the day's variance of decimal log returns), bv, jump, rsPos, rsNeg, rq: 24-hour days from 00:00 UTC.
const measures = realizedMeasures(bars, { stamp: 'end' });
const rvTest = fast ? 60 : 400;
console.log(
  `\nsimulated intraday bars: ${bars.length} bars, ${measures.length} days of realized measures; ` +
    `rv forecast 1 day ahead over the last ${rvTest} days`,
);
// `lstm` on a variance column is the default volatility model: a hybrid on the best of HAR, HAR on logs and EWMA
// at the training origins, whose correction is kept only where held-out windows support it.
const rvRefit = fast ? 30 : 50; // every model refits every 50 days
const family = await compareModels(measures, ['naive', 'ewma', 'har', 'har-log', 'har-j', 'shar', 'harq', 'lstm'], {
  target: 'rv',
  testSize: rvTest,
  refit: rvRefit,
  rankBy: 'qlike',
  testLoss: 'qlike',
});
printQlikeTable(family);
const findings = `${family.findings.length} findings against ${family.benchmark}`;
console.log(`\nresult: ${family.rows[0].model} has the lowest QLIKE; ${findings}`);

// The weekly target: the mean rv of the next 5 days (HAR's weekly regression), one score per origin.
const weekly = await compareModels(measures, ['naive', 'ewma', 'har', 'har-log'], {
  target: 'rv',
  testSize: rvTest,
  horizon: 5,
  step: 1,
  horizonMean: true,
  refit: rvRefit,
  rankBy: 'qlike',
  testLoss: 'qlike',
});
console.log(`\nthe mean rv of the next 5 days, from ${weekly.results.naive.folds.length} origins:`);
printQlikeTable(weekly);

/** A comparison ranked by QLIKE, with its Diebold-Mariano p-values on QLIKE. */
function printQlikeTable(c: typeof family): void {
  console.log(`\nrank  model     QLIKE    log MSE  Theil U  DM p vs ${c.benchmark} (QLIKE)`);
  for (const r of c.rows) {
    const p = r.dieboldMariano ? r.dieboldMariano.pValue.toFixed(3) : '-';
    const cells = [
      r.metrics.qlike!.toFixed(4).padStart(6),
      r.metrics.mseLog!.toFixed(4).padStart(7),
      r.theilU.toFixed(3).padStart(7),
      p.padStart(8),
    ];
    console.log(`${String(r.rank).padEnd(6)}${r.model.padEnd(10)}${cells.join('  ')}`);
  }
}
