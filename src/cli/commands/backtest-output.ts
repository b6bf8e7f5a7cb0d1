/** What `stockcast backtest` shows of one series' comparison: the chart, the HTML report, JSON or the tables. */
import type { Comparison } from '../../backtest/compare.js';
import type { StrategyResult } from '../../backtest/strategy.js';
import type { Series } from '../../data/series.js';
import { backtestChart } from '../../report/charts.js';
import { writeReport, type ReportTable } from '../../report/report.js';
import { strategyCharts, strategyJson, strategyNotes, strategyTable } from '../../report/strategy-output.js';
import { atomicWriteFile } from '../../util/fs.js';
import { printJson, printTable, type Flags } from '../common.js';
import {
  dieboldMarianoJson,
  METRIC_COLUMNS,
  TEST_COLUMNS,
  testCells,
  testsJson,
  testsNotes,
  testsTable,
  volatilityCells,
  volatilityColumns,
  horizonText,
  testedPoints,
} from '../comparison-output.js';
import { printStrategy } from '../strategy-output.js';
import { printRisk, riskCharts, riskJson, riskTables } from './backtest-risk.js';

/** The flags the output reads. */
export type SeriesOutputFlags = Flags<
  'horizon' | 'refit' | 'testLoss' | 'costBps',
  'strategy' | 'plot' | 'report' | 'json' | 'horizonMean'
>;

/** A finished backtest of one series, as the output shows it. */
export interface SeriesRun {
  series: Series;
  comparison: Comparison;
  /** The best model's trading simulation (`--strategy`). */
  strategy: StrategyResult | undefined;
  /** Why some scores are not to be trusted (interpolated test rows), said on stderr already. */
  warning: string | undefined;
  /** The options the backtest ran with (`options` of the JSON and the report). */
  options: object;
}

/** The data the backtest ran on (`data` of the JSON and the report). */
function dataSignature(run: SeriesRun) {
  const { series, comparison } = run;
  const interpolated = comparison.results[comparison.rows[0].model].interpolatedRows;
  return {
    source: series.meta.source,
    symbol: series.meta.symbol,
    rows: series.length,
    columns: series.columns,
    frequency: series.meta.frequency,
    first: new Date(series.firstTimestamp).toISOString(),
    last: new Date(series.lastTimestamp).toISOString(),
    ...(series.meta.adjusted !== undefined ? { adjusted: series.meta.adjusted } : {}),
    interpolatedRows: interpolated,
  };
}

/**
 * The column forecast: with --target-transform the backtest forecasts the derived column (rv5, logret, ...), read
 * from the best result's `target`.
 */
function forecastTarget(comparison: Comparison): string {
  return comparison.results[comparison.rows[0].model].target;
}

/**
 * Shows a backtest of one series: the chart (--plot) and the report (--report), then the JSON document (--json) or
 * the tables.
 * @param flags - the parsed flags
 * @param run - the comparison and what goes with it
 */
export async function showSeriesBacktest(flags: SeriesOutputFlags, run: SeriesRun): Promise<void> {
  if (flags.plot || flags.report) await writeFiles(flags, run);
  if (flags.json) return printJson(seriesJson(flags, run));
  printSeries(flags, run);
}

/** The chart (--plot) and the HTML report (--report). */
async function writeFiles(flags: SeriesOutputFlags, run: SeriesRun): Promise<void> {
  const { series, comparison, strategy } = run;
  const best = comparison.rows[0];
  const results = comparison.rows.map((r) => comparison.results[r.model]);
  const charts = [await backtestChart(results)];
  if (strategy) charts.push(...(await strategyCharts(strategy, best.model)));
  charts.push(...(await riskCharts(comparison)));
  if (flags.plot) await atomicWriteFile(flags.plot, charts[0]);
  if (!flags.report) return;
  await writeReport(flags.report, {
    title: `Backtest: ${series.meta.symbol ?? series.meta.source ?? 'series'} ${forecastTarget(comparison)}`,
    subtitle:
      `${comparison.results[best.model].folds.length} origins, ${horizonText(flags)}, refit ${flags.refit}; ` +
      `best by ${comparison.rankBy}: ${best.model}`,
    findings: [...comparison.findings, ...testsNotes(comparison.tests), ...(strategy ? strategyNotes(strategy) : [])],
    ...(run.warning ? { warning: run.warning } : {}),
    charts,
    tables: reportTables(flags, run),
    details: { options: run.options, data: dataSignature(run) },
  });
}

/** The report's tables: the metrics and tests, the best model's folds, the risk tests and the strategy. */
function reportTables(flags: SeriesOutputFlags, run: SeriesRun): ReportTable[] {
  const { comparison, strategy } = run;
  const best = comparison.rows[0];
  return [
    {
      title:
        `Metrics (pooled over all forecast points); Diebold-Mariano against ${comparison.benchmark} ` +
        `(${flags.testLoss}${testedPoints(flags)})`,
      columns: [...METRIC_COLUMNS, ...volatilityColumns(comparison.rows), ...TEST_COLUMNS],
      rows: comparison.rows.map((r) => [
        r.rank,
        r.model,
        r.metrics.mae,
        r.metrics.rmse,
        r.metrics.mape,
        r.metrics.smape,
        r.metrics.mase,
        r.metrics.directionalAccuracy,
        r.theilU,
        ...volatilityCells(r.metrics),
        ...testCells(r.dieboldMariano, r.verdict),
      ]),
    },
    testsTable(comparison.tests),
    {
      title: `Folds (${best.model})`,
      columns: ['fold', 'train start', 'train end', 'origin', 'refit', 'forecast'],
      rows: comparison.results[best.model].folds.map((f) => [
        f.index + 1,
        new Date(f.trainStart).toISOString().slice(0, 10),
        new Date(f.trainEnd).toISOString().slice(0, 10),
        new Date(f.originTimestamp).toISOString().slice(0, 10),
        f.refit ? 'yes' : 'no',
        f.predicted.map((v) => v.toFixed(2)).join(' '),
      ]),
    },
    ...riskTables(comparison),
    ...(strategy ? [strategyTable(strategy)] : []),
  ];
}

/** The JSON document: every model's rank, metrics, tests and points; the tests over all; the strategy. */
function seriesJson(flags: SeriesOutputFlags, run: SeriesRun): object {
  const { comparison, strategy } = run;
  const best = comparison.rows[0];
  return {
    target: forecastTarget(comparison),
    horizon: flags.horizon,
    horizonMean: flags.horizonMean === true,
    models: Object.fromEntries(
      comparison.rows.map((r) => {
        const res = comparison.results[r.model];
        return [
          r.model,
          {
            rank: r.rank,
            theilU: r.theilU,
            metrics: r.metrics,
            dieboldMariano: dieboldMarianoJson(r.dieboldMariano),
            verdict: r.verdict,
            perStep: res.perStep,
            folds: res.folds.length,
            ...riskJson(res),
            points: res.points.map((p, i) => ({
              timestamp: new Date(p.timestamp).toISOString(),
              step: p.step,
              actual: p.actual,
              predicted: p.predicted,
              ...(res.quantiles ? { quantiles: res.quantiles.points[i].quantiles } : {}),
            })),
          },
        ];
      }),
    ),
    benchmark: comparison.benchmark,
    tests: testsJson(comparison.tests),
    ...(strategy ? { strategy: strategyJson(strategy, best.model) } : {}),
    findings: comparison.findings,
    options: run.options,
    data: dataSignature(run),
  };
}

/** The tables and notes for a reader at a terminal. */
function printSeries(flags: SeriesOutputFlags, run: SeriesRun): void {
  const { comparison, strategy } = run;
  const best = comparison.rows[0];
  const signature = dataSignature(run);
  console.log(
    `${signature.symbol ?? signature.source}: ${forecastTarget(comparison)}, ` +
      `${comparison.results[best.model].folds.length} origins, ${horizonText(flags)}, refit ${flags.refit}\n`,
  );
  const columns = ['rank', 'model', 'MAE', 'RMSE', 'MAPE%', 'sMAPE%', 'MASE', 'dir%', 'TheilU'];
  printTable(
    [...columns, ...volatilityColumns(comparison.rows), ...TEST_COLUMNS],
    comparison.rows.map((r) => {
      const m = r.metrics;
      const cells = [m.mae, m.rmse, m.mape, m.smape, m.mase, m.directionalAccuracy, r.theilU];
      return [String(r.rank), r.model, ...cells, ...volatilityCells(m), ...testCells(r.dieboldMariano, r.verdict)];
    }),
  );
  const step = testedPoints(flags);
  console.log(
    `(Diebold-Mariano against ${comparison.benchmark} on ${flags.testLoss}${step}; verdicts from squared error, ` +
      'p < 0.05)',
  );
  printRisk(comparison);
  console.log(`\n${[...comparison.findings, ...testsNotes(comparison.tests)].join('\n')}`);
  if (strategy) {
    console.log(`\nstrategy simulation (${flags.strategy}, ${flags.costBps} bps, model ${best.model}; not advice):`);
    printStrategy(strategy, printTable);
  }
  if (flags.report) console.log(`\nreport: ${flags.report}`);
  if (flags.plot) console.log(`chart: ${flags.plot}`);
}
