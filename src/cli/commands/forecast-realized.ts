/**
 * `stockcast forecast --realized`: intraday bars become daily realized measures, and the recurrent spec forecasts
 * the next days of the one named through the model contract, so it takes the volatility defaults (a hybrid on the
 * best econometric base) on one series and, as one global model, on a panel.
 */
import type { Command } from 'commander';
import { forecastAhead, type SeriesAhead } from '../../backtest/forecast-ahead.js';
import type { Panel } from '../../data/panel.js';
import type { Series } from '../../data/series.js';
import { kebabFlag } from '../../vocabulary.js';
import { type Flags, loadSource, modelOptions, printJson, printTable, UsageError, withFlagErrors } from '../common.js';
import { realizedPanel, realizedSource, type RealizedFlags } from '../realized-source.js';
import { loadPanel, wantsPanel } from './backtest-panel.js';
import type { PanelForecastFlags } from './forecast-panel.js';

/** Flags of a realized-measure forecast. */
export type RealizedForecastFlags = PanelForecastFlags & RealizedFlags & Flags<never, 'horizonMean'>;

/** Flags that ask for a saved model or its files, which the volatility model does not write yet. */
const REFUSED = ['save', 'plot', 'report', 'coverage', 'features'] as const;

/** Training words passed on when given on the command line (their defaults are the model's, not the CLI's). */
const TRAINING_WORDS = ['validation', 'finalFit', 'engine'] as const;

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
        'which gives point forecasts and is not saved as a model directory: drop them, or backtest it',
    );
  }
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
  };
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  const shown = (f: SeriesAhead) => ({
    origin: new Date(f.lastTimestamp).toISOString(),
    forecast: f.values.map((value, i) => ({ date: day(f.timestamps[i]), value })),
    ...(f.mean !== undefined ? { mean: f.mean } : {}),
  });
  if (wantsPanel(flags)) {
    const panel = await loadRealizedPanel(flags, signal);
    const f = await withFlagErrors(forecastAhead(panel, flags.cell, { ...options, target: flags.realized }));
    const bySymbol = Object.fromEntries(Object.entries(f.bySymbol).map(([s, one]) => [s, shown(one)]));
    if (flags.json) {
      const head = { target: f.target, targetKind: f.targetKind, model: f.model, training: f.training ?? null };
      return printJson({ ...head, bySymbol, symbols: panel.symbols });
    }
    const rows = Object.entries(bySymbol).flatMap(([s, one]) => [
      ...one.forecast.map((p) => [s, p.date, p.value]),
      ...(one.mean !== undefined ? [[s, 'mean', one.mean]] : []),
    ]);
    return printTable(['symbol', 'date', f.target], rows);
  }
  const series = await realizedSeries(flags, signal);
  const f = await withFlagErrors(forecastAhead(series, flags.cell, { ...options, target: flags.realized }));
  const one = shown(f);
  if (flags.json) {
    const head = { target: f.target, targetKind: f.targetKind, model: f.model, training: f.training ?? null };
    return printJson({ ...head, ...one, days: series.length });
  }
  console.log(`${f.model} forecast of ${f.target} after ${one.origin.slice(0, 10)} (${series.length} days)\n`);
  printTable(
    ['date', f.target],
    [...one.forecast.map((p) => [p.date, p.value]), ...(one.mean !== undefined ? [['mean', one.mean]] : [])],
  );
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
