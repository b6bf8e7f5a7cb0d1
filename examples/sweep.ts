/**
 * A hyperparameter sweep of an LSTM on the S&P 500: a seeded random search scored on validation folds before the
 * test span, the chosen configuration scored once on the test span (its verdict against naive by a Diebold-Mariano
 * test, its strategy's deflated Sharpe ratio given every trial), and an HTML report. With STOCKCAST_REDIS set
 * (and `stockcast worker --redis $STOCKCAST_REDIS` running somewhere), the same sweep also runs on the queue and
 * gives the same trials.
 * Run: npx tsx examples/sweep.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsv, sweep, sweepReport, writeReport, type SweepOptions, type SweepResult } from '../src/index.js';

const fast = process.env.STOCKCAST_FAST === '1';
const sp = (await readCsv('fixtures/sp500-2000.csv')).slice(fast ? -400 : -1500);
const options: SweepOptions = {
  space: { units: [8, 16, 32], lookback: { min: 10, max: 40 }, learningRate: { min: 1e-4, max: 1e-2, scale: 'log' } },
  search: 'random',
  trials: fast ? 3 : 12,
  testSize: fast ? 30 : 250,
  folds: 2,
  forecaster: { epochs: fast ? 2 : 15, units: 8 },
  seed: 1,
  // The cores by default; the quick run (the test suite's) stays in this thread, where threads would take longer to start than to train.
  concurrency: fast ? 1 : 'auto',
};

const local = await sweep(sp, 'lstm', options);
const line = (r: SweepResult) =>
  r.trials
    .map(
      (t) => `  trial ${t.index}: ${JSON.stringify(t.params)} ${t.status}, validation RMSE ${t.objective.toFixed(2)}`,
    )
    .join('\n');
console.log(
  `${local.trials.length} trials (${local.search} search, objective ${local.objective}), validation ${new Date(local.spans.validation.firstOrigin).toISOString().slice(0, 10)} .. ${new Date(local.spans.validation.lastOrigin).toISOString().slice(0, 10)}:`,
);
console.log(line(local));
console.log(`best: trial ${local.best.index} ${JSON.stringify(local.best.params)}`);
const b = local.best;
const scores = `test RMSE ${b.test.rmse.toFixed(2)} (scored once), Theil's U ${b.theilU.toFixed(3)}`;
console.log(`validation RMSE ${b.validation.rmse.toFixed(2)}; ${scores}`);
// The verdict against naive needs a Diebold-Mariano p-value below 0.05; otherwise the two tie.
console.log(`against the naive forecast: ${b.verdict} (Diebold-Mariano p-value ${b.dieboldMariano.pValue.toFixed(3)})`);
// Its strategy on the test span: the deflated Sharpe ratio allows for every trial searched.
const s = b.strategy?.strategy;
if (s) {
  const trials = local.trials.length;
  const dsr =
    s.deflatedSharpe !== undefined ? `DSR ${s.deflatedSharpe.toFixed(2)} over ${trials} trials` : s.deflatedSharpeNote;
  const random = s.randomSignals;
  const pct = random ? `, percentile ${random.percentile.toFixed(1)} among ${random.count} random signals` : '';
  const sharpe = `Sharpe ${s.sharpe.toFixed(2)}, ${dsr}${pct}`;
  console.log(`strategy on the test span (long-flat, 5 bps; not advice): ${sharpe}`);
} else console.log(b.strategyNote);
const report = join(mkdtempSync(join(tmpdir(), 'stockcast-sweep-')), 'sweep.html');
await writeReport(report, await sweepReport(local, { options: { ...options } }));
console.log(`report: ${report}`);

const redis = process.env.STOCKCAST_REDIS;
if (redis) {
  const queued = await sweep(sp, 'lstm', { ...options, queue: { connection: redis } });
  const same = (r: SweepResult) => JSON.stringify([r.trials.map(({ timeMs: _, ...t }) => t), r.best.test]);
  console.log(`on the queue: ${queued.trials.length} trials, the same as locally: ${same(queued) === same(local)}`);
} else {
  console.log(
    'set STOCKCAST_REDIS=redis://host:6379 (and run `stockcast worker --redis ...`) to run it on a queue too',
  );
}
