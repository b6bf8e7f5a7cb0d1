/** `stockcast forecast` over a panel: one global recurrent model across the symbols, one forecast per symbol. */
import type { Command } from 'commander';
import { createGlobalForecaster, type GlobalForecaster } from '../../models/recurrent/global-forecaster.js';
import type { Forecast } from '../../models/recurrent/forecast.js';
import type { Panel } from '../../data/panel.js';
import { CALENDAR_FEATURES, loadPanel, type PanelSourceFlags } from './backtest-panel.js';
import { modelOptions, printJson, printTable, UsageError, type DefaultedModelWord, type Flags } from '../common.js';
import { printTrainingNotes } from '../training-notes.js';

/** The flags a panel forecast reads (the model words through {@link modelOptions}). */
export type PanelForecastFlags = PanelSourceFlags &
  Flags<
    'cell' | DefaultedModelWord | 'horizon' | 'threads' | 'engine' | 'validation' | 'finalFit',
    'clipNorm' | 'features' | 'coverage' | 'calendar' | 'save' | 'json'
  >;

/** Single-series forecast flags a panel forecast does not use yet (refused when given on the command line). */
const UNSUPPORTED = ['model', 'plot', 'report'];

/**
 * What the JSON says of the model, as for one series (`epochs`: those that ran; `finalFit`: the final fit's rows
 * and epochs, or null), with the options as resolved.
 */
function modelSummary(model: GlobalForecaster): Record<string, unknown> {
  const o = model.options;
  return {
    cell: o.cell,
    units: o.units,
    layers: o.layers,
    lookback: o.lookback,
    horizon: o.horizon,
    epochs: model.history.length,
    seed: o.seed,
    target: model.target,
    scaler: o.scaler,
    windowNorm: o.windowNorm,
    dropout: o.dropout,
    optimizer: o.optimizer,
    learningRate: o.learningRate,
    batchSize: o.batchSize,
    clipNorm: o.clipNorm ?? null,
    validation: o.validation,
    finalFit: model.training.finalFit ?? null,
    coverage: o.coverage ?? null,
    ...(o.calendar ? { calendar: o.calendar } : {}),
  };
}

/**
 * Trains a global forecaster on every symbol of the panel the flags name and prints each symbol's forecast:
 * `--json` gives `{ target, bySymbol: { SYM: { origin, forecast: [{ date, value, lower?, upper? }] } }, model,
 * validation, adjusted, run, symbols, saved }` (origin: the ISO time of the symbol's last row, as in the
 * single-series output; validation, adjusted and run: the `training` record, as for one series).
 */
export async function runPanelForecast(flags: PanelForecastFlags, cmd: Command, signal: AbortSignal): Promise<void> {
  refuseUnsupported(cmd);
  const panel = await loadPanel(flags, signal);
  const target = flags.wide ? (flags.target ?? 'close') : flags.target;
  if (!flags.json)
    process.stderr.write(
      `training a global ${flags.cell.toUpperCase()}(${flags.units}) x${flags.layers} on ${panel.symbols.length} symbols (lookback ${flags.lookback}, horizon ${flags.horizon}); Ctrl-C stops it\n`,
    );
  const model = createGlobalForecaster({
    ...modelOptions(flags, cmd),
    cell: flags.cell,
    horizon: flags.horizon,
    ...(target ? { target } : {}),
    ...(flags.features ? { features: flags.features } : {}),
    threads: flags.threads,
    engine: flags.engine,
    validation: flags.validation,
    finalFit: flags.finalFit,
    ...(flags.coverage !== undefined ? { coverage: flags.coverage } : {}),
    ...(flags.calendar ? { calendar: flags.calendar, calendarFeatures: [...CALENDAR_FEATURES] } : {}),
    signal,
  });
  try {
    await model.fit(panel);
    if (signal.aborted) return;
    printTrainingNotes(model.training);
    if (flags.save) await model.save(flags.save);
    const bySymbol = forecastsBySymbol(panel, await model.predict(panel));
    printPanelForecast(flags, model, panel, bySymbol);
  } finally {
    model.dispose();
  }
}

/** Refuses the single-series flags a panel forecast does not use yet, when given on the command line. */
function refuseUnsupported(cmd: Command): void {
  const unsupported = UNSUPPORTED.filter((name) => cmd.getOptionValueSource(name) === 'cli').map(
    (name) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
  );
  if (unsupported.length > 0) throw new UsageError(`${unsupported.join(', ')}: not available for panel forecasts yet`);
}

/** One forecast step as printed: its day, value and interval (when the model gives one). */
type ForecastPoint = { date: string; value: number; lower?: number; upper?: number };

/** Each symbol's forecast origin (the ISO time of its last row) and dated points. */
type PanelForecasts = Record<string, { origin: string; forecast: ForecastPoint[] }>;

/** Dates each symbol's forecast and attaches its origin. */
function forecastsBySymbol(panel: Panel, forecasts: Record<string, Forecast>): PanelForecasts {
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  const points = (f: Forecast): ForecastPoint[] =>
    Array.from(f.values, (value, i) => ({
      date: day(f.timestamps[i]),
      value,
      ...(f.lower && f.upper ? { lower: f.lower[i], upper: f.upper[i] } : {}),
    }));
  return Object.fromEntries(
    Object.entries(forecasts).map(([symbol, f]) => {
      const origin = new Date(panel.get(symbol).lastTimestamp).toISOString();
      return [symbol, { origin, forecast: points(f) }];
    }),
  );
}

/** Prints the forecasts: the JSON record under `--json`, else one table row per symbol and step. */
function printPanelForecast(
  flags: PanelForecastFlags,
  model: GlobalForecaster,
  panel: Panel,
  bySymbol: PanelForecasts,
): void {
  if (flags.json) {
    const t = model.training;
    const training = { validation: t.validation ?? null, adjusted: t.adjusted ?? [], run: t.run ?? null };
    const saved = flags.save ?? null;
    const symbols = panel.symbols;
    printJson({ target: model.target, bySymbol, model: modelSummary(model), ...training, symbols, saved });
    return;
  }
  const interval = flags.coverage !== undefined;
  const pct = `${Math.round((flags.coverage ?? 0) * 100)}%`;
  printTable(
    ['symbol', 'date', model.target, ...(interval ? [`${pct} lower`, `${pct} upper`] : [])],
    Object.entries(bySymbol).flatMap(([symbol, s]) =>
      s.forecast.map((p) => [symbol, p.date, p.value, ...(p.lower !== undefined ? [p.lower, p.upper!] : [])]),
    ),
  );
}
