/**
 * `stockcast forecast --realized`: intraday bars become daily realized measures, and the recurrent spec forecasts
 * the next days of the one named through the model contract, so it takes the volatility defaults (a hybrid on the
 * best econometric base) on one series and, as one global model, on a panel.
 */
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { forecastAhead } from '../../backtest/forecast-ahead.js';
import { loadVolatilityModel } from '../../backtest/saved-ahead.js';
import type { SeriesAhead } from '../../backtest/saved-ahead.js';
import type { Panel } from '../../data/panel.js';
import type { Series } from '../../data/series.js';
import { kebabFlag } from '../../vocabulary.js';
import {
  type Flags,
  loadSource,
  MODEL_WORDS,
  modelOptions,
  printJson,
  printTable,
  UsageError,
  withFlagErrors,
} from '../common.js';
import { realizedPanel, realizedSource, type RealizedFlags } from '../realized-source.js';
import { loadPanel, wantsPanel } from './backtest-panel.js';
import type { PanelForecastFlags } from './forecast-panel.js';

/** Flags of a realized-measure forecast. */
export type RealizedForecastFlags = PanelForecastFlags & RealizedFlags & Flags<never, 'horizonMean' | 'model'>;

/** Flags for a forecaster's files and inputs, which the volatility model (point forecasts) does not have. */
const REFUSED = ['plot', 'report', 'coverage', 'features'] as const;

/** Training words passed on when given on the command line (their defaults are the model's, not the CLI's). */
const TRAINING_WORDS = ['validation', 'finalFit', 'engine'] as const;

/** Flags of training, which a saved volatility model (--model) does not do: refused beside it, never ignored. */
const TRAINING = ['cell', 'horizon', 'seeds', ...MODEL_WORDS, ...TRAINING_WORDS] as const;

/**
 * Forecasts the realized measure `--realized` names past the last day of the bars: JSON `{ target, targetKind,
 * model, training, forecast: [{ date, value }], origin }` for one series (with `--horizon-mean`, `mean`: the forecast
 * of the mean of the next --horizon days), `{ target, targetKind, model, training, bySymbol: { SYM: { origin,
 * forecast, mean } }, symbols }` for a panel; else a table.
 */
export async function runRealizedForecast(flags: RealizedForecastFlags, cmd: Command, signal: AbortSignal) {
  const refused = REFUSED.filter((w) => cmd.getOptionValueSource(w) === 'cli');
  if (refused.length > 0) {
    const named = refused.map(kebabFlag).join(', ');
    throw new UsageError(
      `${named}: a forecast of --realized runs the volatility model (a hybrid on the best econometric base), ` +
        'which gives point forecasts from the measures alone: drop them, or backtest it',
    );
  }
  if (flags.model) return runSavedForecast(flags, cmd, signal);
  const given = Object.fromEntries(
    TRAINING_WORDS.filter((w) => cmd.getOptionValueSource(w) === 'cli').map((w) => [w, flags[w]]),
  );
  const forecaster = { ...modelOptions(flags, cmd), ...given };
  const options = {
    horizon: flags.horizon,
    horizonMean: flags.horizonMean === true,
    targetKind: 'variance' as const,
    forecaster,
    threads: flags.threads,
    ...(flags.save ? { save: flags.save } : {}),
  };
  const saved = flags.save ?? null;
  if (wantsPanel(flags)) {
    const panel = await loadRealizedPanel(flags, signal);
    const f = await withFlagErrors(forecastAhead(panel, flags.cell, { ...options, target: flags.realized }));
    const head = { target: f.target, targetKind: f.targetKind, model: f.model, training: f.training ?? null };
    return showPanel(flags, head, f.bySymbol, { symbols: panel.symbols, saved });
  }
  const series = await realizedSeries(flags, signal);
  const f = await withFlagErrors(forecastAhead(series, flags.cell, { ...options, target: flags.realized }));
  const head = { target: f.target, targetKind: f.targetKind, model: f.model, training: f.training ?? null };
  showSeries(flags, head, f, { days: series.length, saved });
}

/** What the output says of the model: its target and kind, its name and what its fit did. */
interface Head {
  target: string;
  targetKind: string;
  model: string;
  training: unknown;
}

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

/** One forecast as the output shows it. */
const shown = (f: SeriesAhead) => ({
  origin: new Date(f.lastTimestamp).toISOString(),
  forecast: f.values.map((value, i) => ({ date: day(f.timestamps[i]), value })),
  ...(f.mean !== undefined ? { mean: f.mean } : {}),
});

/** One series' forecast: JSON, or a table (with the mean as a last row). */
function showSeries(
  flags: RealizedForecastFlags,
  head: Head,
  f: SeriesAhead,
  more: { days: number; saved: string | null },
) {
  const one = shown(f);
  if (flags.json) return printJson({ ...head, ...one, ...more });
  console.log(`${head.model} forecast of ${head.target} after ${one.origin.slice(0, 10)} (${more.days} days)\n`);
  printTable(
    ['date', head.target],
    [...one.forecast.map((p) => [p.date, p.value]), ...(one.mean !== undefined ? [['mean', one.mean]] : [])],
  );
  if (more.saved) console.log(`\nmodel saved to ${more.saved}`);
}

/** A panel's forecasts: JSON, or a table by symbol. */
function showPanel(
  flags: RealizedForecastFlags,
  head: Head,
  forecasts: Record<string, SeriesAhead>,
  more: { symbols: string[]; saved: string | null },
) {
  const bySymbol = Object.fromEntries(Object.entries(forecasts).map(([s, one]) => [s, shown(one)]));
  if (flags.json) return printJson({ ...head, bySymbol, ...more });
  const rows = Object.entries(bySymbol).flatMap(([s, one]) => [
    ...one.forecast.map((p) => [s, p.date, p.value]),
    ...(one.mean !== undefined ? [[s, 'mean', one.mean]] : []),
  ]);
  printTable(['symbol', 'date', head.target], rows);
  if (more.saved) console.log(`\nmodel saved to ${more.saved}`);
}

/** Whether a --model directory holds a saved volatility model (else a forecaster reads the realized column). */
export async function holdsVolatilityModel(dir: string): Promise<boolean> {
  try {
    const manifest = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as { kind?: unknown };
    return manifest.kind === 'volatility-model';
  } catch {
    // An unreadable directory is the forecaster loader's to report.
    return false;
  }
}

/** Forecasts with a saved volatility model (--model): no training, the base refitted on the measures. */
async function runSavedForecast(flags: RealizedForecastFlags, cmd: Command, signal: AbortSignal) {
  const contradicting = [...TRAINING, 'save'].filter((w) => cmd.getOptionValueSource(w) === 'cli');
  if (contradicting.length > 0) {
    const named = contradicting.map(kebabFlag).join(', ');
    throw new UsageError(`--model uses the saved volatility model's settings; ${named} would be ignored: drop them`);
  }
  const model = await withFlagErrors(loadVolatilityModel(flags.model!));
  try {
    if (model.target !== flags.realized)
      throw new UsageError(
        `--realized ${flags.realized} contradicts the saved model, which forecasts "${model.target}"`,
      );
    const o = { horizonMean: flags.horizonMean === true, threads: flags.threads };
    const head = { target: model.target, targetKind: model.targetKind, model: model.model, training: model.training };
    if (wantsPanel(flags)) {
      const panel = await loadRealizedPanel(flags, signal);
      const forecasts = await withFlagErrors(model.forecast(panel, o));
      return showPanel(flags, head, forecasts, { symbols: panel.symbols, saved: null });
    }
    const series = await realizedSeries(flags, signal);
    const f = await withFlagErrors(model.forecast(series, o));
    showSeries(flags, head, f, { days: series.length, saved: null });
  } finally {
    model.dispose();
  }
}

/** One series of bars as its daily realized measures. */
async function realizedSeries(flags: RealizedForecastFlags, signal: AbortSignal): Promise<Series> {
  return realizedSource(await loadSource(flags, signal), flags).series;
}

/** Each symbol's bars as its daily realized measures (the price column: --target, else close). */
async function loadRealizedPanel(flags: RealizedForecastFlags, signal: AbortSignal): Promise<Panel> {
  const price = flags.wide ? (flags.target ?? 'close') : flags.target;
  return realizedPanel(await loadPanel(flags, signal), flags, price);
}
