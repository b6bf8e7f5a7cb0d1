/**
 * How a comparison's tests are shown on the command line, in JSON and in the report: each model's Diebold-Mariano
 * test and verdict against the benchmark, the Reality Check and SPA test, and a panel's rank forecasts.
 */
import type { DieboldMarianoResult } from '../backtest/forecast-tests.js';
import type { ModelSetTests } from '../backtest/model-set-tests.js';
import type { ReportTable } from '../report/report.js';
import { randomBaselineChart } from '../report/stats-charts.js';
import type { RankForecastResult } from '../stats/rank-forecast.js';
import type { Verdict } from '../stats/verdict.js';
import type { Flags } from './common.js';

/** Which points a comparison's tests are on, after the loss: the last step's, the mean's, or (horizon 1) none said. */
export function testedPoints(flags: Flags<'horizon', 'horizonMean'>): string {
  if (flags.horizonMean && flags.horizon > 1) return ` on the mean of the ${flags.horizon} steps`;
  return flags.horizon > 1 ? ` at step ${flags.horizon}` : '';
}

/** The horizon as a header says it: `horizon 5`, or `horizon 5 (mean)` with --horizon-mean. */
export function horizonText(flags: Flags<'horizon', 'horizonMean'>): string {
  return `horizon ${flags.horizon}${flags.horizonMean ? ' (mean)' : ''}`;
}

/** Table columns for a model's test against the benchmark. */
export const TEST_COLUMNS = ['DM stat', 'DM p', 'verdict'];

/** The report's columns of a ranked comparison before its volatility and test columns (one series or a panel). */
export const METRIC_COLUMNS = ['rank', 'model', 'MAE', 'RMSE', 'MAPE %', 'sMAPE %', 'MASE', 'direction %', "Theil's U"];

/** A model's cells under {@link TEST_COLUMNS}: blank for the benchmark itself. */
export function testCells(test: DieboldMarianoResult | null, verdict: Verdict | null): Array<string | number> {
  if (!test) return ['', '', 'benchmark'];
  const shown = (x: number) => (Number.isFinite(x) ? x : 'n/a');
  return [shown(test.statistic), shown(test.pValue), verdict ?? ''];
}

/** The `dieboldMariano` JSON of a model (null for the benchmark). */
export function dieboldMarianoJson(test: DieboldMarianoResult | null): Record<string, unknown> | null {
  if (!test) return null;
  const { benchmark, loss, statistic, pValue, perStep, note } = test;
  return { benchmark, loss, statistic, pValue, ...(perStep ? { perStep } : {}), ...(note ? { note } : {}) };
}

/** The `tests` JSON of a comparison. */
export function testsJson(tests: ModelSetTests): Record<string, unknown> {
  return { ...tests };
}

const p = (x: number) => x.toPrecision(2);

/** The Reality Check and SPA test in words. */
export function testsNotes(tests: ModelSetTests): string[] {
  const { realityCheck: rc, spa } = tests;
  if (!rc || !spa) return [`No Reality Check or SPA test: ${tests.note ?? 'not run'}.`];
  const how =
    `${tests.metric} loss over ${tests.periods} origins, ${tests.resamples} stationary-bootstrap resamples, ` +
    `mean block length ${tests.blockLength}`;
  const any = spa.pValue < 0.05 ? 'some model beats' : 'no model is shown to beat';
  return [
    `After the search over the models, ${any} the benchmark ${tests.benchmark}: Hansen's SPA p-value ` +
      `${p(spa.pValue)} (bounds ${p(spa.pValueLower)} to ${p(spa.pValueUpper)}), White's Reality Check p-value ` +
      `${p(rc.pValue)}; best model ${spa.best} (${how}).`,
  ];
}

/** The report's table of the Reality Check and SPA test. */
export function testsTable(tests: ModelSetTests): ReportTable {
  const { realityCheck: rc, spa } = tests;
  const title = `Tests across models against ${tests.benchmark} (${tests.metric} loss, ${tests.periods} origins)`;
  const columns = ['test', 'statistic', 'p-value', 'p lower', 'p upper', 'best model', 'resamples', 'block length'];
  if (!rc || !spa) return { title, columns, rows: [['not run', '', '', '', '', tests.note ?? '', '', '']] };
  return {
    title,
    columns,
    rows: [
      ["White's Reality Check", rc.statistic, rc.pValue, '', '', rc.best, tests.resamples, tests.blockLength],
      [
        "Hansen's SPA",
        spa.statistic,
        spa.pValue,
        spa.pValueLower,
        spa.pValueUpper,
        spa.best,
        tests.resamples,
        tests.blockLength,
      ],
    ],
  };
}

/** The `rankForecast` JSON of a panel model: the scores and the portfolio's percentile among random portfolios. */
export function rankForecastJson(r: RankForecastResult): Record<string, unknown> {
  const random = r.randomPortfolios;
  return {
    rankForecast: r.rankForecast,
    rps: r.rps,
    uniformRps: r.uniformRps,
    informationRatio: r.informationRatio,
    dates: r.dates,
    forecasts: r.forecasts,
    skipped: r.skipped,
    ...(random ? { randomPortfolios: { count: random.count, percentile: random.percentile } } : {}),
  };
}

/** Columns of the rank-forecast table. */
export const RANK_COLUMNS = ['model', 'RPS', 'uniform RPS', 'information ratio', 'random pct', 'dates'];

/** A model's row of the rank-forecast table. */
export function rankRow(model: string, r: RankForecastResult): Array<string | number> {
  return [model, r.rps, r.uniformRps, r.informationRatio, r.randomPortfolios?.percentile ?? '', r.dates];
}

/** The rank forecast in words. */
export function rankNote(model: string, r: RankForecastResult): string {
  const skill = r.rps < r.uniformRps ? 'better than' : 'no better than';
  const random = r.randomPortfolios
    ? ` Its long-short portfolio's information ratio ${r.informationRatio.toFixed(2)} is at percentile ` +
      `${r.randomPortfolios.percentile.toFixed(1)} of ${r.randomPortfolios.count} random portfolios (50 is luck).`
    : '';
  const scores = `RPS ${r.rps.toFixed(4)}, ${skill} the uniform ${r.uniformRps.toFixed(4)}`;
  return `${model} rank forecasts (M6 quintiles, ${r.dates} dates): ${scores}.${random}`;
}

/** The histogram of random portfolios with the model's portfolio marked (none without random portfolios). */
export async function rankCharts(model: string, r: RankForecastResult): Promise<string[]> {
  if (!r.randomPortfolios) return [];
  const { count, percentile } = r.randomPortfolios;
  const title =
    `${model} rank portfolio: information ratio among ${count} random portfolios ` +
    `(percentile ${percentile.toFixed(1)})`;
  return [await randomBaselineChart(r.randomPortfolios, { title, label: 'information ratio' })];
}

/** The comparison's own options from the flags: the benchmark and the tests against it (seeded by --seed). */
export function compareFlags(
  flags: Flags<'testLoss' | 'resamples', 'benchmark' | 'blockLength' | 'seed'>,
): Record<string, unknown> {
  return {
    ...(flags.benchmark !== undefined ? { benchmark: String(flags.benchmark) } : {}),
    testLoss: flags.testLoss,
    ...(flags.blockLength !== undefined ? { blockLength: flags.blockLength } : {}),
    resamples: flags.resamples,
    seed: flags.seed,
  };
}

/** The volatility losses' columns: QLIKE and log MSE, when the rows have them (volatility and variance targets). */
export function volatilityColumns(rows: ReadonlyArray<{ metrics: { qlike?: number | undefined } }>): string[] {
  return rows.some((r) => r.metrics.qlike !== undefined) ? ['QLIKE', 'mseLog'] : [];
}

/** A row's QLIKE and log MSE cells (none for other targets). */
export function volatilityCells(m: { qlike?: number | undefined; mseLog?: number | undefined }): number[] {
  return m.qlike !== undefined ? [m.qlike, m.mseLog ?? Number.NaN] : [];
}
