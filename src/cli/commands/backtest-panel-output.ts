/** What `stockcast backtest` shows of a panel comparison: the tables, the tests in words, JSON and the report. */
import type { PanelComparison, PanelComparisonRow } from '../../backtest/panel-compare.js';
import type { PanelBacktestResult } from '../../backtest/panel-walk-forward.js';
import type { Panel } from '../../data/panel.js';
import { panelBacktestChart } from '../../report/panel-charts.js';
import { writeReport } from '../../report/report.js';
import { printTable, type Flags } from '../common.js';
import { riskJson } from './backtest-risk.js';
import {
  dieboldMarianoJson,
  RANK_COLUMNS,
  rankCharts,
  rankForecastJson,
  rankNote,
  rankRow,
  METRIC_COLUMNS,
  TEST_COLUMNS,
  testCells,
  testsJson,
  testsTable,
  volatilityCells,
  volatilityColumns,
  horizonText,
  testedPoints,
} from '../comparison-output.js';

/** The flags the output reads. */
export type PanelOutputFlags = Flags<'horizon' | 'refit' | 'testLoss' | 'models', 'report' | 'horizonMean'>;

function metricRow(r: PanelComparisonRow): Array<string | number> {
  const m = r.result.metrics;
  const cells = testCells(r.dieboldMariano, r.verdict);
  return [
    r.rank,
    r.result.model,
    m.mae,
    m.rmse,
    m.mape,
    m.smape,
    m.mase,
    m.directionalAccuracy,
    r.result.theilU,
    ...volatilityCells(m),
    ...cells,
  ];
}

/** A model's per-symbol rows, with each symbol's own Diebold-Mariano p-value against the benchmark. */
function perSymbol(r: PanelComparisonRow): Array<Array<string | number>> {
  return Object.entries(r.result.bySymbol).map(([symbol, s]) => {
    const m = s.metrics;
    const p = r.dieboldMariano?.bySymbol[symbol]?.pValue ?? '';
    return [symbol, r.result.model, m.mae, m.rmse, m.mape, m.mase, s.theilU, m.count, p];
  });
}

/** What a model adds to the JSON: its tests against the benchmark and its rank forecast. */
function testJson(r: PanelComparisonRow): Record<string, unknown> {
  return {
    dieboldMariano: dieboldMarianoJson(r.dieboldMariano),
    verdict: r.verdict,
    ...(r.result.rankForecast ? { rankForecast: rankForecastJson(r.result.rankForecast) } : {}),
  };
}

/** The rank forecasts' table, notes and the best model's random-portfolio histogram. */
export async function rankParts(
  c: PanelComparison,
): Promise<{ rows: Array<Array<string | number>>; notes: string[]; charts: string[] }> {
  const ranked = c.rows
    .map((r) => r.result)
    .filter(
      (r): r is PanelBacktestResult & { rankForecast: NonNullable<PanelBacktestResult['rankForecast']> } =>
        r.rankForecast !== undefined,
    );
  if (ranked.length === 0) return { rows: [], notes: [], charts: [] };
  const best = ranked.reduce((a, b) => (b.rankForecast.rps < a.rankForecast.rps ? b : a));
  return {
    rows: ranked.map((r) => rankRow(r.model, r.rankForecast)),
    notes: ranked.map((r) => rankNote(r.model, r.rankForecast)),
    charts: await rankCharts(best.model, best.rankForecast),
  };
}

/** Prints the pooled ranking with the tests, the per-symbol table, the rank forecasts and the notes. */
export function printPanel(
  flags: PanelOutputFlags,
  panel: Panel,
  comparison: PanelComparison,
  parts: { notes: string[]; ranks: Awaited<ReturnType<typeof rankParts>> },
): void {
  const best = comparison.rows[0].result;
  const stepNote = testedPoints(flags);
  console.log(
    `${panel.size} symbols (${panel.meta.source}): ${best.target}, ${best.origins.length} date origins, ` +
      `${horizonText(flags)}, refit ${flags.refit}\n`,
  );
  const volatility = volatilityColumns(comparison.rows.map((r) => r.result));
  printTable(
    ['rank', 'model', 'MAE', 'RMSE', 'MAPE%', 'sMAPE%', 'MASE', 'dir%', 'TheilU', ...volatility, ...TEST_COLUMNS],
    comparison.rows.map(metricRow),
  );
  console.log(
    `(Diebold-Mariano against ${comparison.benchmark} on ${flags.testLoss}${stepNote}, pooled over the symbols ` +
      'by date; verdicts from squared error, p < 0.05)',
  );
  console.log('\nper symbol:');
  printTable(
    ['symbol', 'model', 'MAE', 'RMSE', 'MAPE%', 'MASE', 'TheilU', 'points', 'DM p'],
    comparison.rows.flatMap(perSymbol),
  );
  if (parts.ranks.rows.length > 0) {
    console.log('\nrank forecasts (M6 quintiles):');
    printTable(RANK_COLUMNS, parts.ranks.rows);
  }
  console.log(`\n${parts.notes.join('\n')}`);
}

type Data = Record<string, unknown>;

/** Writes the panel report. */
export async function panelReport(
  flags: PanelOutputFlags,
  panel: Panel,
  c: PanelComparison,
  parts: { data: Data; notes: string[]; ranks: Awaited<ReturnType<typeof rankParts>>; options?: Data },
): Promise<void> {
  const best = c.rows[0].result;
  await writeReport(flags.report!, {
    title: `Panel backtest: ${panel.size} symbols, ${best.target}`,
    subtitle:
      `${best.origins.length} date origins, ${horizonText(flags)}, refit ${flags.refit}; ` +
      `best by pooled ${c.rankBy}: ${best.model}; benchmark ${c.benchmark}`,
    findings: parts.notes,
    charts: [await panelBacktestChart(c.rows.map((r) => r.result)), ...parts.ranks.charts],
    tables: [
      {
        title:
          'Pooled metrics (every symbol’s forecast points); ' +
          `Diebold-Mariano against ${c.benchmark} (${flags.testLoss}), pooled by date`,
        columns: [...METRIC_COLUMNS, ...volatilityColumns(c.rows.map((r) => r.result)), ...TEST_COLUMNS],
        rows: c.rows.map(metricRow),
      },
      testsTable(c.tests),
      ...(parts.ranks.rows.length > 0
        ? [
            {
              title: 'Rank forecasts (M6 quintiles; RPS lower is better)',
              columns: RANK_COLUMNS,
              rows: parts.ranks.rows,
            },
          ]
        : []),
      {
        title: 'Per symbol',
        columns: ['symbol', 'model', 'MAE', 'RMSE', 'MAPE %', 'MASE', "Theil's U", 'points', 'DM p'],
        rows: c.rows.flatMap(perSymbol),
      },
    ],
    details: { data: parts.data, models: flags.models, ...(parts.options ? { options: parts.options } : {}) },
  });
}

/** The JSON document of a panel comparison. */
export function panelJson(flags: PanelOutputFlags, c: PanelComparison, data: Data): Data {
  const best = c.rows[0].result;
  const iso = (t: number) => new Date(t).toISOString();
  const points = (ps: typeof best.points) =>
    ps.map((p) => ({ timestamp: iso(p.timestamp), step: p.step, actual: p.actual, predicted: p.predicted }));
  const symbolJson = (r: PanelComparisonRow) =>
    Object.fromEntries(
      Object.entries(r.result.bySymbol).map(([symbol, s]) => [
        symbol,
        {
          theilU: s.theilU,
          metrics: s.metrics,
          dieboldMariano: dieboldMarianoJson(r.dieboldMariano?.bySymbol[symbol] ?? null),
          points: points(s.points),
          ...riskJson(s),
        },
      ]),
    );
  return {
    target: best.target,
    horizon: flags.horizon,
    horizonMean: flags.horizonMean === true,
    origins: best.origins.map(iso),
    benchmark: c.benchmark,
    tests: testsJson(c.tests),
    models: Object.fromEntries(
      c.rows.map((r) => [
        r.result.model,
        {
          rank: r.rank,
          theilU: r.result.theilU,
          metrics: r.result.metrics,
          ...testJson(r),
          perStep: r.result.perStep,
          points: r.result.points.map((p) => ({
            symbol: p.symbol,
            timestamp: iso(p.timestamp),
            step: p.step,
            actual: p.actual,
            predicted: p.predicted,
          })),
          ...riskJson(r.result),
          bySymbol: symbolJson(r),
        },
      ]),
    ),
    findings: c.findings,
    data,
  };
}
