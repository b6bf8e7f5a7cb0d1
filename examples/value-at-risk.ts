/**
 * Value-at-Risk of the S&P 500's daily return at 1% and 5%: a quantile LSTM (pinball loss, non-crossing outputs,
 * calibrated by CQR on a held-out span), GARCH(1,1) with Student-t innovations, and historical simulation
 * (the last 250 returns), each backtested one day ahead over the last four years with exceedance counts, Kupiec's
 * proportion-of-failures test and Christoffersen's independence and conditional-coverage tests.
 * Run: npx tsx examples/value-at-risk.ts   (STOCKCAST_FAST=1 shrinks it to a smoke test)
 */
import {
  applyTargetTransform,
  exceedanceChart,
  historicalVar,
  readCsv,
  varBacktest,
  walkForward,
  writeReport,
  type VarBacktest,
} from '../src/index.js';

const fast = process.env.STOCKCAST_FAST === '1';
const sp = await readCsv('fixtures/sp500-2000.csv', { symbol: '^GSPC' });
const levels = [0.01, 0.05, 0.5];
const testSize = fast ? 120 : 1000;
console.log(`S&P 500 daily returns (100 x log): 1% and 5% VaR, one day ahead, over the last ${testSize} days`);

const common = { targetTransform: 'logret', testSize, concurrency: 2 };
const garch = await walkForward(sp, 'garch-t', { ...common, quantiles: [...levels], refit: fast ? 60 : 50 });
const lstm = await walkForward(sp, 'lstm', {
  ...common,
  quantiles: [...levels],
  refit: fast ? 60 : 250,
  // The last 5 years of each fold (sliding), the last 20% of them held out to calibrate the quantiles (CQR).
  window: 'sliding',
  trainLength: 1260,
  // A fixed 30 epochs (no early-stopping validation span), as measured in docs/volatility-and-risk.md.
  forecaster: {
    lookback: 20,
    units: 16,
    epochs: fast ? 2 : 30,
    scaler: 'standard',
    windowNorm: 'none',
    validation: 0,
    earlyStopping: false,
    calibration: 0.2,
    seed: 3,
  },
});

// Historical simulation: the empirical quantile of the 250 returns before each day.
const r = applyTargetTransform(sp, 'logret').returns;
const start = r.length - testSize;
const tested = Array.from(r.subarray(start));
const historical = levels
  .slice(0, 2)
  .map((level) =>
    varBacktest(tested, historicalVar(r.subarray(start - 250, r.length - 1), { level, span: 250 }), level),
  );

type Row = { model: string; test: VarBacktest };
const rows: Row[] = [
  ...(lstm.risk ?? []).map((test) => ({ model: 'quantile LSTM', test })),
  ...(garch.risk ?? []).map((test) => ({ model: 'GARCH-t', test })),
  ...historical.map((test) => ({ model: 'historical 250', test })),
].sort((a, b) => a.test.level - b.test.level);

console.log('\nlevel  model            hits  expected  p Kupiec  p indep.  p cond.cov.');
for (const { model, test: t } of rows) {
  console.log(
    `${`${t.level * 100}%`.padEnd(7)}${model.padEnd(17)}${String(t.exceedances).padStart(4)}  ${(t.level * t.observations).toFixed(1).padStart(8)}  ${t.kupiec.pValue.toFixed(4).padStart(8)}  ${t.independence.pValue.toFixed(4).padStart(8)}  ${t.conditionalCoverage.pValue.toFixed(4).padStart(11)}`,
  );
}
const passes = rows
  .filter((x) => x.test.conditionalCoverage.pValue >= 0.05)
  .map((x) => `${x.model} at ${x.test.level * 100}%`);
console.log(
  `\nresult: conditional coverage not rejected at 5% for ${passes.length > 0 ? passes.join(', ') : 'none of them'}; mean pinball loss over the three levels LSTM ${lstm.quantiles!.metrics.meanPinball.toFixed(4)}, GARCH-t ${garch.quantiles!.metrics.meanPinball.toFixed(4)} (no CRPS: these levels leave the upper tail out, so they cannot support one).`,
);

const report = fast ? 'test-artifacts/value-at-risk-report.html' : 'value-at-risk-report.html';
const charts = [];
for (const x of [...(lstm.risk ?? []), ...(garch.risk ?? [])])
  charts.push(
    await exceedanceChart(
      { timestamps: x.timestamps, returns: x.returns, valueAtRisk: x.valueAtRisk },
      { level: x.level, model: lstm.risk?.includes(x) ? 'quantile LSTM' : 'GARCH-t' },
    ),
  );
await writeReport(report, {
  title: 'S&P 500: one-day Value-at-Risk backtests',
  subtitle: `${testSize} days; quantile LSTM, GARCH-t and historical simulation`,
  charts,
  tables: [
    {
      title: 'Exceedances and tests',
      columns: [
        'level',
        'model',
        'T',
        'exceedances',
        'expected',
        'Kupiec LR',
        'p',
        'independence LR',
        'p',
        'cond. coverage LR',
        'p',
      ],
      rows: rows.map(({ model, test: t }) => [
        t.level,
        model,
        t.observations,
        t.exceedances,
        t.level * t.observations,
        t.kupiec.statistic,
        t.kupiec.pValue,
        t.independence.statistic,
        t.independence.pValue,
        t.conditionalCoverage.statistic,
        t.conditionalCoverage.pValue,
      ]),
    },
  ],
  details: { options: { levels, testSize }, data: { rows: sp.length } },
});
console.log(`report written to ${report}`);
