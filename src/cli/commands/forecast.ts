/** `stockcast forecast`: train (or load) a recurrent forecaster on a CSV or symbol and forecast the next H steps. */
import { Command } from 'commander';
import type { Series } from '../../data/series.js';
import { createForecaster, type RecurrentForecaster } from '../../models/recurrent/forecaster.js';
import { loadForecaster } from '../../models/recurrent/forecaster-io.js';
import { vocabulary, type WordName } from '../../vocabulary.js';
import {
  addSourceOptions,
  addWords,
  duration,
  interactive,
  interruptSignal,
  loadSource,
  MODEL_WORDS,
  modelOptions,
  pickTarget,
  progressBar,
  UsageError,
  type Flags,
} from '../common.js';
import { addRealizedWords, checkRealizedFlags, realizedSource, type RealizedFlags } from '../realized-source.js';
import { printTrainingNotes } from '../training-notes.js';
import { wantsPanel } from './backtest-panel.js';
import { showForecast } from './forecast-output.js';
import { runPanelForecast, type PanelForecastFlags } from './forecast-panel.js';
import { holdsVolatilityModel, runRealizedForecast } from './forecast-realized.js';

/** The flags `forecast` reads: the panel forecast's (a single series reads the same words), and its own. */
type ForecastFlags = PanelForecastFlags & RealizedFlags & Flags<never, 'model' | 'plot' | 'report' | 'horizonMean'>;

/** Flags that describe how to train: a loaded model has its own, so giving them with --model is refused. */
const TRAINING_FLAGS = [
  'cell',
  'features',
  'horizon',
  'validation',
  'finalFit',
  'coverage',
  'threads',
  ...MODEL_WORDS,
] as const;

/** The vocabulary's words that `forecast` takes as they are (the source and realized words are added apart). */
const WORDS = [
  'cell',
  ...MODEL_WORDS,
  'horizon',
  'horizonMean',
  'features',
  'validation',
  'finalFit',
  'coverage',
  'threads',
  'engine',
  'save',
  'model',
  'plot',
  'report',
  'json',
  'symbolColumn',
  'wide',
  'symbols',
  'calendar',
] as const satisfies readonly WordName[];

/** What the words mean in `forecast`, where it says more than the vocabulary. */
const DESCRIPTIONS: Partial<Record<WordName, string>> = {
  symbolColumn: 'a long panel CSV: its symbol column (symbol,date,open,...); one global model, a forecast per symbol',
  wide: 'a wide panel CSV: every column but the date is one symbol (--target names the values, default close)',
  symbols: 'a panel of Yahoo symbols (comma-separated), or the symbols of a panel CSV to keep',
  calendar: 'exchange calendar for a panel (nyse, nasdaq): calendar covariates and trading dates of the forecast',
  horizon: 'steps to forecast',
  horizonMean: '--realized: also forecast the mean of the next --horizon days (a weekly or monthly variance)',
  validation:
    'hold out the last fraction of the rows (0: none) to select the epoch, check the model against naive and ' +
    'calibrate --coverage',
  coverage: 'add a prediction interval with this coverage, e.g. 0.9 (conformal, calibrated on --validation)',
  plot: 'write the forecast chart (SVG)',
  save: 'save the trained model to this folder (with --realized: the volatility model; forecast with it by --model)',
};

/** Builds the command. */
export function forecastCommand(): Command {
  const command = addSourceOptions(
    new Command('forecast').description(
      'train a recurrent forecaster (or load one with --model) and forecast the next steps',
    ),
  );
  addWords(command, WORDS, DESCRIPTIONS);
  addRealizedWords(command);
  return command.action((flags: ForecastFlags, cmd: Command) => runForecast(flags, cmd));
}

/** Checks the flags, then forecasts a panel, or one series with a saved (--model) or a newly trained model. */
async function runForecast(flags: ForecastFlags, cmd: Command): Promise<void> {
  const signal = interruptSignal();
  checkRealizedFlags(flags, cmd);
  // A realized measure is forecast through the model contract (the volatility defaults), unless a saved model reads it.
  if (flags.realized !== undefined && (!flags.model || (await holdsVolatilityModel(flags.model))))
    return runRealizedForecast(flags, cmd, signal);
  if (cmd.getOptionValueSource('horizonMean') === 'cli') {
    throw new UsageError(
      '--horizon-mean: only with --realized and a volatility model (a recurrent forecaster forecasts each step)',
    );
  }
  if (wantsPanel(flags)) return runPanelForecast(flags, cmd, signal);
  if (flags.model) {
    const contradicting = TRAINING_FLAGS.filter((name) => cmd.getOptionValueSource(name) === 'cli').map(
      (name) => vocabulary[name].flag,
    );
    if (contradicting.length > 0)
      throw new UsageError(
        `--model uses the saved model's settings; ${contradicting.join(', ')} would be ignored: ` +
          `drop ${contradicting.length === 1 ? 'it' : 'them'}, or train a new model without --model`,
      );
  }
  const raw = await loadSource(flags, signal);
  // With --realized (here only with --model), the daily measures of the intraday bars, which the saved model reads.
  const series = flags.realized !== undefined ? realizedSource(raw, flags).series : raw;
  if (flags.model) return showForecast(flags, await loadSaved(flags, cmd), series);
  const model = await train(flags, cmd, series, pickTarget(series, flags.target), signal);
  if (model) await showForecast(flags, model, series);
}

/** The saved model (--model), refused when --target or --realized names another column; saved again with --save. */
async function loadSaved(flags: ForecastFlags, cmd: Command): Promise<RecurrentForecaster> {
  const model = await loadForecaster(
    flags.model!,
    cmd.getOptionValueSource('engine') === 'cli' ? { engine: flags.engine } : {},
  );
  if (flags.realized !== undefined && flags.realized !== model.target) {
    const saved = `the saved model, which forecasts "${model.target}"`;
    throw new UsageError(`--realized ${flags.realized} contradicts ${saved}`);
  }
  if (flags.realized === undefined && flags.target !== undefined && flags.target !== model.target)
    throw new UsageError(`--target "${flags.target}" contradicts the saved model, which forecasts "${model.target}"`);
  if (flags.save) await model.save(flags.save);
  return model;
}

/** Trains a forecaster on the series with a progress bar and saves it (--save); undefined when Ctrl-C stopped it. */
async function train(
  flags: ForecastFlags,
  cmd: Command,
  series: Series,
  target: string,
  signal: AbortSignal,
): Promise<RecurrentForecaster | undefined> {
  if (flags.coverage !== undefined && flags.validation === 0)
    throw new UsageError('--coverage needs validation data to calibrate the interval on: drop --validation 0');
  const bar = progressBar(interactive(flags.json), 'training |{bar}| epoch {value}/{total} loss {loss} ETA {eta_text}');
  if (!flags.json)
    process.stderr.write(
      `training ${flags.cell.toUpperCase()}(${flags.units}) x${flags.layers} on ${series.length} rows ` +
        `(lookback ${flags.lookback}, horizon ${flags.horizon}); Ctrl-C stops it\n`,
    );
  bar.start(flags.epochs, { loss: '-', eta_text: '-' });
  const model = createForecaster({
    ...modelOptions(flags, cmd),
    cell: flags.cell,
    horizon: flags.horizon,
    target,
    ...(flags.features ? { features: flags.features } : {}),
    threads: flags.threads,
    engine: flags.engine,
    validation: flags.validation,
    finalFit: flags.finalFit,
    ...(flags.coverage !== undefined ? { coverage: flags.coverage } : {}),
    signal,
    onEpochEnd: (e) => bar.update(e.epoch, { loss: e.loss.toFixed(5), eta_text: duration(e.etaMs) }),
  });
  try {
    await model.fit(series);
  } finally {
    bar.stop();
  }
  if (signal.aborted) return undefined;
  if (flags.save) await model.save(flags.save);
  printTrainingNotes(model.training);
  return model;
}
