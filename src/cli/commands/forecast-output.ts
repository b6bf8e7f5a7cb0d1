/** What `stockcast forecast` shows of one series' forecast: the chart, the HTML report, JSON or the table. */
import type { Series } from '../../data/series.js';
import type { Forecast } from '../../models/recurrent/forecast.js';
import type { RecurrentForecaster } from '../../models/recurrent/forecaster.js';
import { forecastChart, lossChart } from '../../report/charts.js';
import { writeReport, type ReportTable } from '../../report/report.js';
import { atomicWriteFile } from '../../util/fs.js';
import { printJson, printTable, type Flags } from '../common.js';

/** The flags the output reads. */
export type ForecastOutputFlags = Flags<never, 'plot' | 'report' | 'json' | 'save'>;

/** A model's forecast of a series, as the output shows it. */
interface ForecastRun {
  model: RecurrentForecaster;
  series: Series;
  forecast: Forecast;
}

/** About ten evenly spaced epochs and the last, for a readable table. */
function sampleHistory<T extends { epoch: number }>(history: readonly T[]): T[] {
  const every = Math.max(1, Math.ceil(history.length / 10));
  return history.filter((h, i) => h.epoch % every === 0 || i === 0 || i === history.length - 1);
}

/** The forecast's rows: a date, the value and the interval's bounds (--coverage). */
function pointsOf(forecast: Forecast) {
  return Array.from(forecast.values, (v, i) => ({
    date: new Date(forecast.timestamps[i]).toISOString().slice(0, 10),
    value: v,
    ...(forecast.lower && forecast.upper ? { lower: forecast.lower[i], upper: forecast.upper[i] } : {}),
  }));
}

/** The forecast as a table: a date and the value, with the interval's bounds when there is one. */
function forecastTable({ model, forecast }: ForecastRun): { columns: string[]; rows: Array<Array<string | number>> } {
  const pct = forecast.coverage !== undefined ? `${Math.round(forecast.coverage * 100)}%` : '';
  const columns = forecast.lower ? ['date', model.target, `${pct} lower`, `${pct} upper`] : ['date', model.target];
  const rows: Array<Array<string | number>> = pointsOf(forecast).map((r, i) =>
    forecast.lower && forecast.upper ? [r.date, r.value, forecast.lower[i], forecast.upper[i]] : [r.date, r.value],
  );
  return { columns, rows };
}

/** What the JSON and the report say of the model: its options as resolved, and what training did. */
function modelSummary(model: RecurrentForecaster) {
  const o = model.options;
  return {
    cell: o.cell,
    units: o.units,
    layers: o.layers,
    lookback: o.lookback,
    horizon: o.horizon,
    epochs: model.training?.history.length ?? null,
    seed: o.seed,
    target: model.target,
    features: model.features,
    scaler: o.scaler,
    windowNorm: o.windowNorm,
    finalFit: model.training?.finalFit ?? null,
  };
}

/** The data the forecast starts from (`data` of the JSON and the report). */
function dataSignature(series: Series) {
  return {
    source: series.meta.source,
    symbol: series.meta.symbol,
    rows: series.length,
    frequency: series.meta.frequency,
    last: new Date(series.lastTimestamp).toISOString(),
    ...(series.meta.adjusted !== undefined ? { adjusted: series.meta.adjusted } : {}),
  };
}

/**
 * Forecasts the next steps of the series, then writes the chart (--plot) and the report (--report) and prints the
 * JSON document (--json) or the table; the model is disposed after the table.
 * @param flags - the parsed flags
 * @param model - a trained or loaded forecaster
 * @param series - the series it forecasts
 */
export async function showForecast(
  flags: ForecastOutputFlags,
  model: RecurrentForecaster,
  series: Series,
): Promise<void> {
  const run = { model, series, forecast: await model.predict(series) };
  if (flags.plot || flags.report) await writeFiles(flags, run);
  const signature = dataSignature(series);
  if (flags.json)
    return printJson({
      target: model.target,
      origin: new Date(run.forecast.origin).toISOString(),
      forecast: pointsOf(run.forecast),
      model: modelSummary(model),
      validation: model.training?.validation ?? null,
      run: model.training?.run ?? null,
      data: signature,
      saved: flags.save ?? null,
    });
  console.log(
    `${signature.symbol ?? signature.source}: ${model.options.cell.toUpperCase()} forecast of ${model.target} ` +
      `after ${signature.last.slice(0, 10)}\n`,
  );
  const table = forecastTable(run);
  printTable(table.columns, table.rows);
  if (flags.save) console.log(`\nmodel saved to ${flags.save}`);
  if (flags.report) console.log(`report: ${flags.report}`);
  if (flags.plot) console.log(`chart: ${flags.plot}`);
  model.dispose();
}

/** The chart (--plot) and the HTML report (--report). */
async function writeFiles(flags: ForecastOutputFlags, run: ForecastRun): Promise<void> {
  const { model, series } = run;
  const svg = await forecastChart(series, run.forecast);
  if (flags.plot) await atomicWriteFile(flags.plot, svg);
  if (!flags.report) return;
  const o = model.options;
  const validation = model.training?.validation ?? null;
  const signature = dataSignature(series);
  await writeReport(flags.report, {
    title: `Forecast: ${series.meta.symbol ?? series.meta.source ?? 'series'} ${model.target}`,
    subtitle:
      `${o.cell.toUpperCase()}(${o.units}) x${o.layers}, lookback ${o.lookback}, ` +
      `next ${o.horizon} steps after ${signature.last.slice(0, 10)}`,
    charts: model.training ? [svg, await lossChart(model.training.history)] : [svg],
    ...(validation?.warning ? { warning: validation.warning } : {}),
    tables: reportTables(run),
    details: { options: modelSummary(model), data: signature, modelSignature: model.signature ?? null },
  });
}

/** The report's tables: the forecast, the validation against naive, and the training run. */
function reportTables(run: ForecastRun): ReportTable[] {
  const { model } = run;
  const validation = model.training?.validation ?? null;
  return [
    { title: 'Forecast', ...forecastTable(run) },
    ...(validation
      ? [
          {
            title: 'Validation: the model next to the naive forecast (the last value) on the same windows',
            columns: ['windows', 'model RMSE', 'naive RMSE', "Theil's U"],
            rows: [[validation.windows, validation.rmse, validation.naiveRmse, validation.theilU]],
          },
        ]
      : []),
    ...(model.training
      ? [
          {
            title: 'Training (every tenth of the run)',
            columns: ['epoch', 'loss', 'validation loss'],
            rows: sampleHistory(model.training.history).map((h) => [h.epoch, h.loss, h.valLoss ?? '']),
          },
        ]
      : []),
  ];
}
