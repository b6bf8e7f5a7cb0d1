/** `stockcast backtest` over a panel: a long CSV (--symbol-column), a wide CSV (--wide) or several Yahoo symbols (--symbols). */
import { comparePanelModels, type PanelComparison, type PanelComparisonRow } from '../../backtest/panel-compare.js';
import type { PanelBacktestResult } from '../../backtest/panel-walk-forward.js';
import { fetchYahooPanel } from '../../data/yahoo/panel-yahoo.js';
import { readPanelCsv } from '../../data/csv/panel-csv.js';
import type { Panel } from '../../data/panel.js';
import { panelBacktestChart } from '../../report/panel-charts.js';
import { writeReport } from '../../report/report.js';
import { printJson, printTable, UsageError, type SourceOptions } from '../common.js';
import { riskJson } from './backtest-risk.js';
import {
  compareFlags,
  dieboldMarianoJson,
  RANK_COLUMNS,
  rankCharts,
  rankForecastJson,
  rankNote,
  rankRow,
  TEST_COLUMNS,
  testCells,
  testsJson,
  testsNotes,
  testsTable,
} from '../comparison-output.js';

/** The flags that name a panel: a long or wide CSV, or Yahoo symbols. */
export interface PanelSourceFlags extends SourceOptions {
  symbolColumn?: string;
  wide?: boolean;
  symbols?: string[];
}

/** The flags the panel backtest reads. */
export interface PanelBacktestFlags extends PanelSourceFlags {
  calendar?: string;
  targetTransform?: string;
  prices?: { open?: string; high?: string; low?: string; close?: string };
  periodsPerYear?: number;
  quantiles?: number[];
  models: string[];
  horizon: number;
  step?: number;
  testSize?: number;
  refit: 'every' | 'once' | number;
  lookback: number;
  epochs: number;
  units: number;
  layers: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  engine: 'auto' | 'tfjs' | 'fused' | 'webgpu';
  json?: boolean;
  report?: string;
  benchmark?: string | number;
  testLoss: 'mse' | 'qlike';
  blockLength?: number;
  resamples: number;
  rankForecast?: 'quintiles';
}

/** Whether the flags ask for a panel. */
export function wantsPanel(flags: PanelSourceFlags): boolean {
  return Boolean(flags.symbolColumn || flags.wide || flags.symbols);
}

/** Loads the panel the flags name: a long or wide CSV, or Yahoo symbols (also used by `stockcast sweep`). */
export async function loadPanel(flags: PanelSourceFlags, signal: AbortSignal): Promise<Panel> {
  if (flags.symbols) {
    if (flags.csv) {
      return readPanelCsv(flags.csv, {
        ...(flags.wide ? { wide: true, ...(flags.target ? { valueColumn: flags.target } : {}) } : {}),
        ...(flags.symbolColumn ? { symbolColumn: flags.symbolColumn } : {}),
        symbols: flags.symbols,
        ...(flags.missing ? { missing: flags.missing } : {}),
        ...(flags.duplicates ? { duplicates: flags.duplicates } : {}),
        ...(flags.dateColumn ? { dateColumn: flags.dateColumn } : {}),
        ...(flags.dateFormat ? { dateFormat: flags.dateFormat } : {}),
      });
    }
    if (flags.symbol) throw new UsageError('give either --symbol or --symbols, not both');
    const { panel, failures } = await fetchYahooPanel(flags.symbols, {
      ...(flags.from ? { from: flags.from } : {}),
      ...(flags.to ? { to: flags.to } : {}),
      ...(flags.interval ? { interval: flags.interval as never } : {}),
      ...(flags.adjusted !== undefined ? { adjusted: flags.adjusted } : {}),
      cacheDir: flags.cacheDir ?? '.stockcast-cache',
      ...(flags.missing ? { missing: flags.missing } : {}),
      signal,
    });
    for (const f of failures) process.stderr.write(`warning: ${f.symbol} left out: ${f.error.message}\n`);
    return panel;
  }
  if (!flags.csv)
    throw new UsageError(
      flags.wide ? '--wide reads a CSV: give --csv FILE' : '--symbol-column reads a CSV: give --csv FILE',
    );
  if (flags.wide && flags.symbolColumn)
    throw new UsageError('give --symbol-column (a long file) or --wide (one column per symbol), not both');
  return readPanelCsv(flags.csv, {
    ...(flags.wide
      ? { wide: true, ...(flags.target ? { valueColumn: flags.target } : {}) }
      : { symbolColumn: flags.symbolColumn }),
    ...(flags.missing ? { missing: flags.missing } : {}),
    ...(flags.duplicates ? { duplicates: flags.duplicates } : {}),
    ...(flags.dateColumn ? { dateColumn: flags.dateColumn } : {}),
    ...(flags.dateFormat ? { dateFormat: flags.dateFormat } : {}),
  });
}

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
async function rankParts(
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

/**
 * Runs a panel backtest for the CLI: loads the panel, compares the models (baselines per symbol, recurrent models
 * as one global model per refit), prints the pooled ranking and a per-symbol table, or JSON with `bySymbol`.
 * @param flags - the parsed flags
 * @param signal - Ctrl-C
 */
export async function runPanelBacktest(flags: PanelBacktestFlags, signal: AbortSignal): Promise<void> {
  const panel = await loadPanel(flags, signal);
  const target = flags.wide ? (flags.target ?? 'close') : flags.target;
  const comparison = await comparePanelModels(panel, flags.models, {
    ...(target ? { target } : {}),
    horizon: flags.horizon,
    ...(flags.step ? { step: flags.step } : {}),
    ...(flags.testSize ? { testSize: flags.testSize } : {}),
    refit: flags.refit,
    ...(flags.targetTransform ? { targetTransform: flags.targetTransform } : {}),
    ...(flags.prices ? { prices: flags.prices } : {}),
    ...(flags.periodsPerYear ? { periodsPerYear: flags.periodsPerYear } : {}),
    ...(flags.quantiles ? { quantiles: flags.quantiles } : {}),
    ...(flags.rankForecast ? { rankForecast: flags.rankForecast } : {}),
    ...compareFlags(flags),
    forecaster: {
      lookback: flags.lookback,
      epochs: flags.epochs,
      units: flags.units,
      layers: flags.layers,
      batchSize: flags.batchSize,
      learningRate: flags.learningRate,
      seed: flags.seed,
      engine: flags.engine,
      ...(flags.calendar
        ? {
            calendar: flags.calendar,
            calendarFeatures: ['dayOfWeek', 'beforeHoliday', 'afterHoliday', 'tradingDaysToMonthEnd'],
          }
        : {}),
      signal,
    },
  });
  const data = {
    source: panel.meta.source,
    symbols: panel.symbols,
    rows: panel.rowCount,
    columns: panel.columns,
    first: new Date(panel.firstTimestamp).toISOString(),
    last: new Date(panel.lastTimestamp).toISOString(),
    ingest: panel.ingest,
  };
  const ranks = await rankParts(comparison);
  const notes = [...comparison.findings, ...testsNotes(comparison.tests), ...ranks.notes];
  if (flags.report) await panelReport(flags, panel, comparison, { data, notes, ranks });
  if (flags.json) return printJson(panelJson(flags, comparison, data));
  const best = comparison.rows[0].result;
  const stepNote = flags.horizon > 1 ? ` at step ${flags.horizon}` : '';
  console.log(
    `${panel.size} symbols (${panel.meta.source}): ${best.target}, ${best.origins.length} date origins, ` +
      `horizon ${flags.horizon}, refit ${flags.refit}\n`,
  );
  printTable(
    ['rank', 'model', 'MAE', 'RMSE', 'MAPE%', 'sMAPE%', 'MASE', 'dir%', 'TheilU', ...TEST_COLUMNS],
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
  if (ranks.rows.length > 0) {
    console.log('\nrank forecasts (M6 quintiles):');
    printTable(RANK_COLUMNS, ranks.rows);
  }
  console.log(`\n${notes.join('\n')}`);
  if (flags.report) console.log(`\nreport: ${flags.report}`);
}

type Data = Record<string, unknown>;

async function panelReport(
  flags: PanelBacktestFlags,
  panel: Panel,
  c: PanelComparison,
  parts: { data: Data; notes: string[]; ranks: Awaited<ReturnType<typeof rankParts>> },
): Promise<void> {
  const best = c.rows[0].result;
  await writeReport(flags.report!, {
    title: `Panel backtest: ${panel.size} symbols, ${best.target}`,
    subtitle:
      `${best.origins.length} date origins, horizon ${flags.horizon}, refit ${flags.refit}; ` +
      `best by pooled RMSE: ${best.model}; benchmark ${c.benchmark}`,
    findings: parts.notes,
    charts: [await panelBacktestChart(c.rows.map((r) => r.result)), ...parts.ranks.charts],
    tables: [
      {
        title:
          'Pooled metrics (every symbol’s forecast points); ' +
          `Diebold-Mariano against ${c.benchmark} (${flags.testLoss}), pooled by date`,
        columns: [
          'rank',
          'model',
          'MAE',
          'RMSE',
          'MAPE %',
          'sMAPE %',
          'MASE',
          'direction %',
          "Theil's U",
          ...TEST_COLUMNS,
        ],
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
    details: { data: parts.data, models: flags.models },
  });
}

function panelJson(flags: PanelBacktestFlags, c: PanelComparison, data: Data): Data {
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
