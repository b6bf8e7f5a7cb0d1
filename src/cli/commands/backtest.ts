/** `stockcast backtest`: walk-forward comparison of baselines and recurrent models on a CSV or a symbol. */
import { Command, Option } from 'commander';
import { compareModels, type Comparison } from '../../backtest/compare.js';
import { simulateStrategy, type StrategyResult } from '../../backtest/strategy.js';
import { strategyTrials } from '../../backtest/strategy-trials.js';
import type { Series } from '../../data/series.js';
import { resolveConnection } from '../../queue/connection.js';
import { plainOptions } from '../../util/plain-options.js';
import { kebabFlag, vocabulary, type WordName } from '../../vocabulary.js';
import {
  addSourceOptions,
  addWords,
  interactive,
  interruptSignal,
  loadSource,
  MODEL_WORDS,
  progressBar,
  UsageError,
  withFlagErrors,
  wordOption,
  type Flags,
} from '../common.js';
import { compareFlags } from '../comparison-output.js';
import { addRealizedWords, checkRealizedFlags, realizedSource, type RealizedFlags } from '../realized-source.js';
import { checkModelSpecs, importUserModules } from '../user-models.js';
import { runPanelBacktest, wantsPanel, type PanelBacktestFlags } from './backtest-panel.js';
import { showSeriesBacktest } from './backtest-output.js';

/**
 * The flags `backtest` reads: the panel backtest's, the realized measures' and the single series' own (the model
 * words and `--seeds` left at their default are dropped, so the model's defaults for the target decide them).
 */
type BacktestFlags = PanelBacktestFlags & RealizedFlags & Flags<'costBps', 'strategy' | 'plot' | 'module'>;

/**
 * Single-series flags that panel backtests do not use (refused when given on the command line): the trading
 * simulation and the chart of one series.
 */
const PANEL_UNSUPPORTED = ['strategy', 'costBps', 'plot'];

/** The vocabulary's words that `backtest` takes as they are (the source and realized words are added apart). */
const WORDS = [
  ...MODEL_WORDS,
  'seeds',
  'validation',
  'finalFit',
  'engine',
  'horizon',
  'step',
  'testSize',
  'window',
  'trainLength',
  'refit',
  'concurrency',
  'costBps',
  'targetTransform',
  'prices',
  'quantiles',
  'calibration',
  'periodsPerYear',
  'reconnectMs',
  'report',
  'plot',
  'json',
  'symbolColumn',
  'wide',
  'symbols',
  'calendar',
  'testLoss',
  'blockLength',
  'resamples',
  'rankForecast',
  'targetKind',
  'horizonMean',
  'rankBy',
] as const satisfies readonly WordName[];

/** What the words mean in `backtest`, where it says more than the vocabulary. */
const DESCRIPTIONS: Partial<Record<WordName, string>> = {
  horizon: 'forecast steps per origin',
  step: 'rows between origins (default: the horizon; dates for a panel)',
  testSize:
    'rows forecast at the end (default: 20% of the rows; for a panel, the last N dates of the union of the ' +
    "symbols' dates)",
  symbolColumn: 'a long panel CSV: its symbol column (symbol,date,open,...); backtests every symbol',
  wide: 'a wide panel CSV: every column but the date is one symbol (--target names the values, default close)',
  symbols: 'a panel of Yahoo symbols (comma-separated), or the symbols of a panel CSV to keep',
  calendar:
    'exchange calendar (nyse, nasdaq): the sessions of --realized days; for recurrent panel models, calendar ' +
    'covariates and trading dates',
  costBps: 'strategy cost per position change, basis points',
  plot: 'write the backtest chart (SVG)',
  calibration: 'recurrent models with --quantiles: calibrate them (CQR) on this last fraction of each training window',
  validation:
    'recurrent models: hold out the last fraction of each training window (0: none) to select the epoch and ' +
    'check the model against naive',
  horizonMean:
    'score the mean of the next --horizon values (a weekly or monthly volatility) instead of each step; the ' +
    "mean of a model's step forecasts is its forecast",
  rankForecast: "panels: M6 rank forecasts of each symbol's next-period return quintile and a long-short portfolio",
};

/** Builds the command. */
export function backtestCommand(): Command {
  const command = addSourceOptions(
    new Command('backtest').description(
      'walk-forward backtest of baselines and recurrent models, ranked (a simulation, not advice)',
    ),
  );
  addWords(command, WORDS, DESCRIPTIONS);
  const benchmark =
    'the model every other is tested against (Diebold-Mariano, Reality Check, SPA); added when not in --models ' +
    '(default: garch for --target-transform, else naive)';
  command.addOption(wordOption('benchmark', benchmark, false));
  command.addOption(
    new Option(
      '--strategy <strategy>',
      'simulate trading the best model with this rule (horizon 1, step 1; a simulation, not advice)',
    ).choices(vocabulary.strategy.schema.options),
  );
  command.addOption(wordOption('models'));
  command.addOption(wordOption('module'));
  addRealizedWords(command);
  command.addOption(
    wordOption(
      'redis',
      'train the refit folds as jobs on this Redis queue (see stockcast worker); results are identical',
    ).env('STOCKCAST_REDIS'),
  );
  return command.action((flags: BacktestFlags, cmd: Command) => runBacktest(flags, cmd));
}

/** Checks the flags, then backtests a panel or one series. */
async function runBacktest(flags: BacktestFlags, cmd: Command): Promise<void> {
  // A flag left at its default is no option the user gave: the model's defaults for the target decide it
  // (a recurrent model on a volatility target takes the volatility defaults, docs/models.md).
  for (const w of [...MODEL_WORDS, 'seeds'])
    if (cmd.getOptionValueSource(w) === 'default') delete (flags as unknown as Record<string, unknown>)[w];
  const signal = interruptSignal();
  await importUserModules(flags.module);
  await checkModelSpecs(flags.models, { panel: wantsPanel(flags) });
  if (typeof flags.benchmark === 'number') {
    throw new UsageError(`--benchmark names a model (naive, garch, ...): received ${flags.benchmark}`);
  }
  if (flags.benchmark) await checkModelSpecs([flags.benchmark], { panel: wantsPanel(flags) });
  checkRealizedFlags(flags, cmd);
  if (wantsPanel(flags)) {
    // Flags a panel backtest does not use are refused when given, never silently ignored.
    const unsupported = PANEL_UNSUPPORTED.filter((name) => cmd.getOptionValueSource(name) === 'cli').map(kebabFlag);
    if (unsupported.length > 0) throw new UsageError(`${unsupported.join(', ')}: not available for panels yet`);
    return runPanelBacktest(flags, cmd, signal);
  }
  if (flags.rankForecast) {
    throw new UsageError('--rank-forecast ranks the symbols of a panel: give --symbol-column, --wide or --symbols');
  }
  return runSeriesBacktest(flags, cmd, signal);
}

/** Backtests the models on one series, simulates the best one's strategy (--strategy) and shows the comparison. */
async function runSeriesBacktest(flags: BacktestFlags, cmd: Command, signal: AbortSignal): Promise<void> {
  const queue = flags.redis ? { connection: flags.redis, reconnectMs: flags.reconnectMs } : undefined;
  const { series, target } = realizedSource(await loadSource(flags, signal), flags);
  const targetKind = flags.realized !== undefined ? 'variance' : flags.targetKind;
  const bar = progressBar(interactive(flags.json), '{model} |{bar}| fold {value}/{total}');
  const settled = { target, targetKind, queue, signal, onFold: foldProgress(bar) };
  const options = seriesOptions(flags, cmd, settled);
  const comparison = await withFlagErrors(compareModels(series, flags.models, options)).finally(() => bar.stop());
  const best = comparison.rows[0];
  const interpolated = comparison.results[best.model].interpolatedRows;
  const warning =
    interpolated > 0
      ? `${interpolated} rows of the test span were interpolated from later values (--missing interpolate): ` +
        'forecasts there are scored against values built from data after their origin'
      : undefined;
  if (warning) process.stderr.write(`warning: ${warning}\n`);
  const strategy = flags.strategy ? bestStrategy(comparison, series, flags.strategy, flags.costBps) : undefined;
  // The queue is shown by its address: credentials never reach the output.
  const { queue: _, ...shown } = plainOptions(options);
  const runOptions = {
    ...shown,
    forecaster: plainOptions(options.forecaster),
    models: flags.models,
    ...(queue ? { redis: resolveConnection(queue).address } : {}),
  };
  await showSeriesBacktest(flags, { series, comparison, strategy, warning, options: runOptions });
}

/** A progress bar's fold callback: one bar per model, restarted when the next model begins. */
function foldProgress(bar: ReturnType<typeof progressBar>) {
  let current = '';
  return ({ model, fold, folds }: { model: string; fold: number; folds: number }) => {
    if (model !== current) {
      bar.stop();
      bar.start(folds, { model });
      current = model;
    }
    bar.update(fold, { model });
  };
}

/** What the command settled before the comparison: the target, the queue, Ctrl-C and the progress bar. */
interface Settled {
  target: string;
  targetKind: 'variance' | 'volatility' | undefined;
  queue: { connection: string; reconnectMs: number } | undefined;
  signal: AbortSignal;
  onFold: ReturnType<typeof foldProgress>;
}

/** The options of {@link compareModels} on one series: the flags as given and what the command settled. */
function seriesOptions(flags: BacktestFlags, cmd: Command, settled: Settled) {
  const { target, targetKind, queue, signal, onFold } = settled;
  return {
    target,
    horizon: flags.horizon,
    ...(flags.step ? { step: flags.step } : {}),
    ...(flags.testSize ? { testSize: flags.testSize } : {}),
    window: flags.window,
    ...(flags.trainLength ? { trainLength: flags.trainLength } : {}),
    refit: flags.refit,
    concurrency: flags.concurrency,
    ...(queue ? { queue } : {}),
    ...(flags.targetTransform ? { targetTransform: flags.targetTransform } : {}),
    ...(targetKind ? { targetKind } : {}),
    ...(flags.horizonMean ? { horizonMean: true } : {}),
    rankBy: flags.rankBy,
    ...(flags.prices ? { prices: flags.prices } : {}),
    ...(flags.quantiles ? { quantiles: flags.quantiles } : {}),
    ...(flags.periodsPerYear ? { periodsPerYear: flags.periodsPerYear } : {}),
    ...compareFlags(flags),
    forecaster: seriesForecaster(flags, cmd, signal),
    onFold,
  };
}

/** The forecaster options of the recurrent models from the flags. */
function seriesForecaster(flags: BacktestFlags, cmd: Command, signal: AbortSignal) {
  return {
    lookback: flags.lookback,
    epochs: flags.epochs,
    units: flags.units,
    layers: flags.layers,
    dropout: flags.dropout,
    batchSize: flags.batchSize,
    learningRate: flags.learningRate,
    optimizer: flags.optimizer,
    ...(flags.clipNorm !== undefined ? { clipNorm: flags.clipNorm } : {}),
    // Given only when set: a return target picks its own input scheme (see walkForward's targetTransform).
    ...(cmd.getOptionValueSource('scaler') === 'cli' ? { scaler: flags.scaler } : {}),
    ...(cmd.getOptionValueSource('windowNorm') === 'cli' ? { windowNorm: flags.windowNorm } : {}),
    seed: flags.seed,
    ...(flags.seeds !== undefined ? { seeds: flags.seeds } : {}),
    validation: flags.validation,
    finalFit: flags.finalFit,
    engine: flags.engine,
    ...(flags.calibration !== undefined ? { calibration: flags.calibration } : {}),
    signal,
  };
}

/**
 * The best model's trading simulation. It was chosen among every compared model's strategy: its deflated Sharpe
 * ratio allows for that.
 */
function bestStrategy(
  comparison: Comparison,
  series: Series,
  strategy: NonNullable<BacktestFlags['strategy']>,
  costBps: number,
): StrategyResult {
  const rule = { strategy, costBps };
  const frequency = series.meta.frequency;
  const { trials, trialSharpeVariance } = strategyTrials(Object.values(comparison.results), frequency, rule);
  const searched = { ...rule, trials, trialSharpeVariance };
  return simulateStrategy(comparison.results[comparison.rows[0].model], frequency, searched);
}
