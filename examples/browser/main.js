// The example page: a dropped CSV -> a recurrent forecaster trained in the tab -> the forecast with its band (our
// SVG chart) and a walk-forward backtest against the naive forecast. Plain JavaScript, no framework.
import { browserThreads, compareModels, createForecaster, forecastChart, readCsv, resolveTarget } from 'stockcast';

const $ = (id) => document.getElementById(id);
let series;

function status(text, error = false) {
  $('status').textContent = text;
  $('status').className = error ? 'error' : '';
}

async function load(file) {
  try {
    series = await readCsv(file);
    const guess = (() => {
      try {
        return resolveTarget(series.columns);
      } catch {
        return series.columns[0];
      }
    })();
    $('target').replaceChildren(...series.columns.map((c) => new Option(c, c, c === guess, c === guess)));
    $('controls').disabled = false;
    const { threads, reason } = browserThreads();
    status(`${file.name}: ${series.length} rows, ${series.columns.length} columns. Training will use ${threads} thread${threads > 1 ? 's' : ''}${reason ? ` (${reason})` : ''}.`);
  } catch (e) {
    status(`${e.name}: ${e.message}`, true);
  }
}

async function train() {
  const target = $('target').value;
  const cell = $('cell').value;
  const epochs = Number($('epochs').value);
  const horizon = Number($('horizon').value);
  $('controls').disabled = true;
  $('progress').value = 0;
  try {
    const model = await createForecaster({ cell, target, horizon, epochs, coverage: 0.9, seed: 42, onEpochEnd: (e) => {
      $('progress').value = (e.epoch / e.epochs) * 0.6;
      status(`epoch ${e.epoch}/${e.epochs}: loss ${e.loss.toPrecision(4)}${e.valLoss !== undefined ? `, validation ${e.valLoss.toPrecision(4)}` : ''}`);
    } }).fit(series);
    const forecast = await model.predict(series);
    $('chart').innerHTML = await forecastChart(series, forecast, { historyPoints: 120 });
    const run = model.training.run;
    status(`trained on ${run.threads} thread${run.threads > 1 ? 's' : ''} (${run.kernels} ${run.isa})${run.note ? `: ${run.note}` : ''}; backtesting...`);
    const testSize = Math.min(60, Math.floor(series.length / 4));
    const comparison = await compareModels(series, ['naive', 'drift', cell], {
      target, testSize, refit: Math.max(1, Math.floor(testSize / 3)), forecaster: { epochs: Math.min(epochs, 15), seed: 42 },
      onFold: (f) => { $('progress').value = 0.6 + 0.4 * (f.fold / f.folds) * (f.model === cell ? 1 : 0.2); },
    });
    $('backtest').tBodies[0].replaceChildren(...comparison.rows.map((r) => {
      const tr = document.createElement('tr');
      for (const v of [r.model, r.metrics.rmse, r.metrics.mae, r.metrics.mase, r.theilU]) tr.insertCell().textContent = typeof v === 'number' ? v.toFixed(3) : v;
      return tr;
    }));
    $('progress').value = 1;
    status(`${comparison.findings.join(' ')}`);
    model.dispose();
  } catch (e) {
    status(`${e.name}: ${e.message}`, true);
  } finally {
    $('controls').disabled = false;
  }
}

$('file').addEventListener('change', (e) => e.target.files[0] && load(e.target.files[0]));
$('drop').addEventListener('dragover', (e) => { e.preventDefault(); $('drop').classList.add('over'); });
$('drop').addEventListener('dragleave', () => $('drop').classList.remove('over'));
$('drop').addEventListener('drop', (e) => {
  e.preventDefault();
  $('drop').classList.remove('over');
  if (e.dataTransfer.files[0]) load(e.dataTransfer.files[0]);
});
$('train').addEventListener('click', train);
globalThis.stockcastExampleReady = true;
