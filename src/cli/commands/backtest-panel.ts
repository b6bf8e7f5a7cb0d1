/** `stockcast backtest` over a panel: a long CSV (--symbol-column), a wide CSV (--wide) or several Yahoo symbols (--symbols). */
import { comparePanelModels } from '../../backtest/panel-compare.js';
import { fetchYahooPanel } from '../../data/yahoo/panel-yahoo.js';
import { readPanelCsv } from '../../data/csv/panel-csv.js';
import type { Panel } from '../../data/panel.js';
import { printJson, UsageError, type SourceOptions } from '../common.js';
import { compareFlags, testsNotes } from '../comparison-output.js';
import { panelJson, panelReport, printPanel, rankParts } from './backtest-panel-output.js';

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
  seeds?: number;
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

/**
 * Runs a panel backtest for the CLI: loads the panel, compares the models (baselines per symbol, recurrent models
 * as one global model per refit), prints the pooled ranking and a per-symbol table, or JSON with `bySymbol`.
 * @param flags - the parsed flags
 * @param signal - Ctrl-C
 */
export async function runPanelBacktest(flags: PanelBacktestFlags, signal: AbortSignal): Promise<void> {
  const panel = await loadPanel(flags, signal);
  const target = flags.wide ? (flags.target ?? 'close') : flags.target;
  const comparison = await comparePanelModels(panel, flags.models, panelOptions(flags, target, signal));
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
  printPanel(flags, panel, comparison, { notes, ranks });
  if (flags.report) console.log(`\nreport: ${flags.report}`);
}

/** The API options of a panel comparison from the flags. */
function panelOptions(flags: PanelBacktestFlags, target: string | undefined, signal: AbortSignal) {
  return {
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
      ...(flags.seeds !== undefined ? { seeds: flags.seeds } : {}),
      engine: flags.engine,
      ...(flags.calendar
        ? {
            calendar: flags.calendar,
            calendarFeatures: ['dayOfWeek', 'beforeHoliday', 'afterHoliday', 'tradingDaysToMonthEnd'],
          }
        : {}),
      signal,
    },
  };
}
