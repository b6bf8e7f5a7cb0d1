/** `stockcast backtest` over a panel: a long CSV (--symbol-column), a wide CSV (--wide) or several Yahoo symbols (--symbols). */
import { comparePanelModels } from '../../backtest/panel-compare.js';
import { fetchYahooPanel } from '../../data/yahoo/panel-yahoo.js';
import { readPanelCsv } from '../../data/csv/panel-csv.js';
import type { Panel } from '../../data/panel.js';
import type { Command } from 'commander';
import { plainOptions } from '../../util/plain-options.js';
import {
  modelOptions,
  printJson,
  UsageError,
  withFlagErrors,
  type Flags,
  type ModelWord,
  type SourceOptions,
} from '../common.js';
import { compareFlags, testsNotes } from '../comparison-output.js';
import { realizedPanel, type RealizedFlags } from '../realized-source.js';
import { panelJson, panelReport, printPanel, rankParts } from './backtest-panel-output.js';

/** The flags that name a panel: a long or wide CSV, or Yahoo symbols. */
export type PanelSourceFlags = SourceOptions & Flags<never, 'symbolColumn' | 'wide' | 'symbols'>;

/**
 * The flags the panel backtest reads. The model words of {@link MODEL_WORDS} and `seeds` count only when given (the
 * backtest drops those left at their default; {@link modelOptions} reads them).
 */
export type PanelBacktestFlags = PanelSourceFlags &
  Flags<
    | 'models'
    | 'horizon'
    | 'refit'
    | 'window'
    | 'validation'
    | 'finalFit'
    | 'engine'
    | 'testLoss'
    | 'rankBy'
    | 'resamples'
    | 'concurrency'
    | 'reconnectMs',
    | ModelWord
    | 'seeds'
    | 'calendar'
    | 'targetTransform'
    | 'prices'
    | 'periodsPerYear'
    | 'quantiles'
    | 'step'
    | 'testSize'
    | 'trainLength'
    | 'calibration'
    | 'json'
    | 'report'
    | 'benchmark'
    | 'targetKind'
    | 'horizonMean'
    | 'blockLength'
    | 'rankForecast'
    | 'redis'
  >;

/** The calendar covariates a panel's global model reads when a `--calendar` is given. */
export const CALENDAR_FEATURES = ['dayOfWeek', 'beforeHoliday', 'afterHoliday', 'tradingDaysToMonthEnd'] as const;

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
      ...(flags.interval ? { interval: flags.interval } : {}),
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
 * The global forecaster options the flags give: the model words given on the command line (the API fills the same
 * defaults, and a `--scaler` given wins over the default window normalization), the training flags, the calendar.
 */
function panelForecasterOptions(flags: PanelBacktestFlags, cmd: Command, signal: AbortSignal): Record<string, unknown> {
  return {
    ...modelOptions(flags, cmd),
    ...(flags.seeds !== undefined ? { seeds: flags.seeds } : {}),
    validation: flags.validation,
    finalFit: flags.finalFit,
    ...(flags.calibration !== undefined ? { calibration: flags.calibration } : {}),
    engine: flags.engine,
    ...(flags.calendar ? { calendar: flags.calendar, calendarFeatures: [...CALENDAR_FEATURES] } : {}),
    signal,
  };
}

/**
 * Runs a panel backtest for the CLI: loads the panel, compares the models (baselines per symbol, recurrent models
 * as one global model per refit), prints the pooled ranking and a per-symbol table, or JSON with `bySymbol` and
 * the `options` the backtest ran with.
 * @param flags - the parsed flags
 * @param cmd - the command (which flags were given)
 * @param signal - Ctrl-C
 */
export async function runPanelBacktest(
  flags: PanelBacktestFlags & RealizedFlags,
  cmd: Command,
  signal: AbortSignal,
): Promise<void> {
  let panel = await loadPanel(flags, signal);
  let target = flags.wide ? (flags.target ?? 'close') : flags.target;
  let kind = flags.targetKind;
  if (flags.realized !== undefined) {
    // Each symbol's intraday bars become its daily realized measures (the price column: --target, else close).
    panel = realizedPanel(panel, flags, target);
    [target, kind] = [flags.realized, 'variance'];
  }
  const forecaster = panelForecasterOptions(flags, cmd, signal);
  const options = panelOptions({ ...flags, ...(kind ? { targetKind: kind } : {}) }, target);
  const comparison = await withFlagErrors(comparePanelModels(panel, flags.models, { ...options, forecaster }));
  // The queue's address can hold a password: the JSON and the report say only that one was used.
  const { queue, ...shown } = options;
  const runOptions = {
    ...shown,
    ...(queue ? { queue: 'redis' } : {}),
    forecaster: plainOptions(forecaster),
    models: flags.models,
  };
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
  if (flags.report) await panelReport(flags, panel, comparison, { data, notes, ranks, options: runOptions });
  if (flags.json) return printJson({ ...panelJson(flags, comparison, data), options: runOptions });
  printPanel(flags, panel, comparison, { notes, ranks });
  if (flags.report) console.log(`\nreport: ${flags.report}`);
}

/** The API options of a panel comparison from the flags, but the forecaster's. */
function panelOptions(flags: PanelBacktestFlags, target: string | undefined) {
  return {
    ...(target ? { target } : {}),
    horizon: flags.horizon,
    ...(flags.step ? { step: flags.step } : {}),
    ...(flags.testSize ? { testSize: flags.testSize } : {}),
    refit: flags.refit,
    window: flags.window,
    ...(flags.trainLength ? { trainLength: flags.trainLength } : {}),
    ...(flags.targetTransform ? { targetTransform: flags.targetTransform } : {}),
    ...(flags.prices ? { prices: flags.prices } : {}),
    ...(flags.periodsPerYear ? { periodsPerYear: flags.periodsPerYear } : {}),
    ...(flags.quantiles ? { quantiles: flags.quantiles } : {}),
    ...(flags.rankForecast ? { rankForecast: flags.rankForecast } : {}),
    ...(flags.targetKind ? { targetKind: flags.targetKind } : {}),
    ...(flags.horizonMean ? { horizonMean: true } : {}),
    rankBy: flags.rankBy,
    concurrency: flags.concurrency,
    ...(flags.redis ? { queue: { connection: flags.redis, reconnectMs: flags.reconnectMs } } : {}),
    ...compareFlags(flags),
  };
}
