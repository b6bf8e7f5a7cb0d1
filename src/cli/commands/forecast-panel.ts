/** `stockcast forecast` over a panel: one global recurrent model across the symbols, one forecast per symbol. */
import type { CellType } from '../../models/engines/weights.js';
import type { Command } from 'commander';
import { createGlobalForecaster } from '../../models/recurrent/global-forecaster.js';
import { loadPanel, type PanelBacktestFlags } from './backtest-panel.js';
import { modelOptions, printJson, printTable, UsageError } from '../common.js';

/** The flags a panel forecast reads. */
export interface PanelForecastFlags extends Omit<PanelBacktestFlags, 'models' | 'refit' | 'step' | 'testSize' | 'report'> {
  cell: CellType;
  dropout: number;
  optimizer: 'adam' | 'sgd' | 'rmsprop';
  scaler: 'minmax' | 'standard' | 'robust' | 'none';
  windowNorm: 'none' | 'last' | 'zscore';
  threads: number | 'auto';
  features?: string[];
  save?: string;
  model?: string;
  plot?: string;
  report?: string;
  coverage?: number;
}

/** Single-series forecast flags a panel forecast does not use yet (refused when given on the command line). */
const UNSUPPORTED = ['model', 'coverage', 'validation', 'plot', 'report', 'clipNorm'];

/**
 * Trains a global forecaster on every symbol of the panel the flags name and prints each symbol's forecast:
 * `--json` gives `{ target, bySymbol: { SYM: { origin, forecast: [{ date, value }] } }, model, symbols, saved }`
 * (origin: the ISO time of the symbol's last row, as in the single-series output).
 */
export async function runPanelForecast(flags: PanelForecastFlags, cmd: Command, signal: AbortSignal): Promise<void> {
  const unsupported = UNSUPPORTED.filter((name) => cmd.getOptionValueSource(name) === 'cli').map((name) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  if (unsupported.length > 0) throw new UsageError(`${unsupported.join(', ')}: not available for panel forecasts yet`);
  const panel = await loadPanel(flags, signal);
  const target = flags.wide ? (flags.target ?? 'close') : flags.target;
  if (!flags.json) process.stderr.write(`training a global ${flags.cell.toUpperCase()}(${flags.units}) x${flags.layers} on ${panel.symbols.length} symbols (lookback ${flags.lookback}, horizon ${flags.horizon}); Ctrl-C stops it\n`);
  const model = createGlobalForecaster({
    ...modelOptions(flags, cmd),
    cell: flags.cell,
    horizon: flags.horizon,
    ...(target ? { target } : {}),
    ...(flags.features ? { features: flags.features } : {}),
    threads: flags.threads,
    engine: flags.engine,
    ...(flags.calendar ? { calendar: flags.calendar, calendarFeatures: ['dayOfWeek', 'beforeHoliday', 'afterHoliday', 'tradingDaysToMonthEnd'] } : {}),
    signal,
  } as Parameters<typeof createGlobalForecaster>[0]);
  try {
    await model.fit(panel);
    if (signal.aborted) return;
    if (flags.save) await model.save(flags.save);
    const forecasts = await model.predict(panel);
    const day = (t: number) => new Date(t).toISOString().slice(0, 10);
    const bySymbol = Object.fromEntries(
      Object.entries(forecasts).map(([symbol, f]) => [symbol, { origin: new Date(panel.get(symbol).lastTimestamp).toISOString(), forecast: Array.from(f.values, (value, i) => ({ date: day(f.timestamps[i]), value })) }]),
    );
    const o = model.options;
    if (flags.json) {
      return printJson({ target: model.target, bySymbol, model: { cell: o.cell, units: o.units, layers: o.layers, lookback: o.lookback, horizon: o.horizon, epochs: o.epochs, seed: o.seed, target: model.target, scaler: o.scaler, windowNorm: o.windowNorm, ...(o.calendar ? { calendar: o.calendar } : {}) }, symbols: panel.symbols, saved: flags.save ?? null });
    }
    printTable(
      ['symbol', 'date', model.target],
      Object.entries(bySymbol).flatMap(([symbol, s]) => s.forecast.map((p) => [symbol, p.date, p.value])),
    );
  } finally {
    model.dispose();
  }
}
