/** `stockcast sweep`: a hyperparameter search on validation folds, the choice scored once on the test span; local or on a queue. */
import { Command, Option } from 'commander';
import { Panel } from '../../data/panel.js';
import type { Series } from '../../data/series.js';
import { ValidationError } from '../../errors.js';
import { resolveConnection } from '../../queue/connection.js';
import { writeReport } from '../../report/report.js';
import type { ForecasterOptions } from '../../models/recurrent/forecaster-options.js';
import { parseSpaceArg, type Dimension, type SearchSpace, type TunableOption } from '../../sweep/space.js';
import { sweep, type SweepOptions, type SweepResult } from '../../sweep/sweep.js';
import { vocabulary } from '../../vocabulary.js';
import {
  addSourceOptions,
  addWords,
  interactive,
  interruptSignal,
  loadSource,
  MODEL_WORDS,
  pickTarget,
  printJson,
  printTable,
  UsageError,
  withFlagErrors,
  wordOption,
  type DefaultedModelWord,
  type Flags,
  type FlagValue,
} from '../common.js';
import { sweepProgress } from '../sweep-progress.js';
import { naiveSentence } from '../../sweep/skill.js';
import { printStrategy } from '../strategy-output.js';
import { strategyJson } from '../../report/strategy-output.js';
import { loadPanel, wantsPanel, type PanelSourceFlags } from './backtest-panel.js';
import { checkModelSpecs, importUserModules } from '../user-models.js';
import { resolveModel } from '../../models/resolve.js';

/**
 * The flags `sweep` reads; `--strategy` is the issue's spelling of `--search` (its values, not backtest's trading
 * rule).
 */
type SweepFlags = PanelSourceFlags &
  Flags<
    | DefaultedModelWord
    | 'search'
    | 'trials'
    | 'objective'
    | 'horizon'
    | 'folds'
    | 'window'
    | 'reductionFactor'
    | 'engine'
    | 'concurrency'
    | 'reconnectMs',
    | 'clipNorm'
    | 'space'
    | 'models'
    | 'module'
    | 'step'
    | 'testSize'
    | 'validationSize'
    | 'trainLength'
    | 'redis'
    | 'json'
    | 'report'
  > & { strategy?: FlagValue<'search'> };

const SEARCHES = vocabulary.search.schema.options as string[];

/** The flag of a searched option, for messages. */
const flagOf = (name: string) => (name in vocabulary ? (vocabulary[name as TunableOption].flag ?? name) : name);

/** Adds one `--space` to the ones before it (the word's value: option names mapped to dimensions). */
function collectSpace(text: string, previous: FlagValue<'space'> = {}): FlagValue<'space'> {
  let entry: [string, Dimension];
  try {
    entry = parseSpaceArg(text);
  } catch (e) {
    throw new UsageError(
      e instanceof ValidationError ? e.message.replace(/^invalid --space: /, '--space: ') : String(e),
    );
  }
  const [name, dim] = entry;
  if (Object.hasOwn(previous, name)) throw new UsageError(`--space ${flagOf(name).replace(/^--/, '')} is given twice`);
  return { ...previous, [name]: dim };
}

/** The search space from --space and --models (several recurrent models make the cell a dimension). */
async function spaceOf(flags: SweepFlags, command: Command): Promise<{ space: SearchSpace; models: string[] }> {
  const entries = Object.entries(flags.space ?? {});
  if (entries.length === 0)
    throw new UsageError('--space is required: e.g. --space units=16,32,64 --space lookback=20..60');
  const space: SearchSpace = {};
  for (const [name, dim] of entries) {
    if (name in vocabulary && command.getOptionValueSource(name) === 'cli')
      throw new UsageError(`${flagOf(name)} is fixed and searched (--space): give one`);
    // collectSpace parsed each value into a dimension.
    space[name] = dim as Dimension;
  }
  const models = flags.models ?? ['lstm'];
  await checkModelSpecs(models, { panel: false });
  if (models.length > 1) {
    const recurrent = await Promise.all(
      models.map(async (m) => (await resolveModel(m)).definition.forecaster === true),
    );
    if (!recurrent.every(Boolean))
      throw new UsageError(
        '--models: several models make the cell a searched option, so they must all be recurrent (rnn, lstm, gru); sweep other models one at a time',
      );
    if (space.cell) throw new UsageError('give the cells either with --models or with --space cell=..., not both');
    space.cell = models;
  }
  return { space, models };
}

/** Builds the command. */
export function sweepCommand(): Command {
  const command = addSourceOptions(
    new Command('sweep').description(
      'search forecaster options on validation folds, then score the best once on the test span (locally, or on a Redis queue with --redis)',
    ),
  );
  command.addOption(new Option('--space <name=values>', vocabulary.space.meaning).argParser(collectSpace));
  addWords(
    command,
    [
      'symbolColumn',
      'wide',
      'symbols',
      'search',
      'trials',
      'objective',
      'testSize',
      'validationSize',
      'folds',
      'reductionFactor',
      'horizon',
      'step',
      'window',
      'trainLength',
      ...MODEL_WORDS,
      'engine',
      'concurrency',
      'reconnectMs',
      'report',
      'json',
    ],
    {
      search: "how configurations are picked (--strategy is accepted too: the issue's spelling)",
      testSize: 'rows at the end the best configuration is scored on, once (default: 20% of the rows)',
      step: 'rows between origins (default: the horizon)',
      concurrency: "local worker threads (default: the machine's cores); ignored with --redis",
      seed: 'seeds the search and every model',
      symbolColumn: 'a long panel CSV: its symbol column; every symbol gets its own models, the objective pools them',
      wide: 'a wide panel CSV: every column but the date is one symbol',
      symbols: 'a panel of Yahoo symbols (comma-separated), or the symbols of a panel CSV to keep',
      report: 'write an HTML report: trial table, objective per option, the best model on the test span',
    },
  );
  // The issue's spelling of --search; `strategy` alone is backtest's trading rule, so it stays hidden here.
  command.addOption(new Option('--strategy <search>', 'the same as --search').choices(SEARCHES).hideHelp());
  command.addOption(
    wordOption(
      'models',
      'the model to tune: a registered spec with options (several recurrent models: the cell becomes a searched option)',
      false,
    ),
  );
  command.addOption(wordOption('module'));
  command.addOption(wordOption('redis').env('STOCKCAST_REDIS'));
  return command.action((flags: SweepFlags) => runSweep(flags, command));
}

/** Runs the sweep the flags describe, then reports it. */
async function runSweep(flags: SweepFlags, command: Command): Promise<void> {
  if (flags.strategy && command.getOptionValueSource('search') === 'cli' && flags.strategy !== flags.search)
    throw new UsageError('give --search or --strategy, not both');
  const search = flags.strategy ?? flags.search;
  await importUserModules(flags.module);
  const { space, models } = await spaceOf(flags, command);
  const queue = flags.redis ? { connection: flags.redis, reconnectMs: flags.reconnectMs } : undefined;
  const address = queue ? resolveConnection(queue).address : undefined;
  const signal = interruptSignal();
  const series = wantsPanel(flags) ? await loadPanel(flags, signal) : await loadSource(flags, signal);
  const target = pickTarget(series as Series, flags.target);
  const forecaster: ForecasterOptions = { engine: flags.engine, seed: flags.seed };
  for (const word of MODEL_WORDS) {
    if (!(word in space) && flags[word] !== undefined) Object.assign(forecaster, { [word]: flags[word] });
  }
  const progress = sweepProgress(interactive(flags.json), address);
  let result: SweepResult;
  try {
    // Several models: the cell is searched (see spaceOf), under one display name.
    const model = models.length > 1 ? { name: models.join(','), forecaster: {} } : models[0];
    const settled = { space, search, target, forecaster, queue, signal, onProgress: progress.update };
    result = await withFlagErrors(sweep(series, model, sweepOptions(flags, settled)));
  } finally {
    progress.stop();
  }
  const options = {
    models,
    space: Object.fromEntries(Object.entries(space)),
    search,
    trials: flags.trials,
    objective: flags.objective,
    testSize: flags.testSize,
    validationSize: flags.validationSize,
    folds: flags.folds,
    horizon: flags.horizon,
    forecaster,
    ...(address ? { redis: address } : {}),
  };
  await reportSweep(result, flags, series, options, address);
}

/** The options of {@link sweep}: what the command settled, and the flags as given. */
function sweepOptions(
  flags: SweepFlags,
  settled: Pick<SweepOptions, 'space' | 'search' | 'target' | 'forecaster' | 'queue' | 'signal' | 'onProgress'>,
): SweepOptions {
  const { space, search, target, forecaster, queue, signal, onProgress } = settled;
  return {
    space,
    search,
    trials: flags.trials,
    objective: flags.objective,
    target,
    horizon: flags.horizon,
    ...(flags.step ? { step: flags.step } : {}),
    ...(flags.testSize ? { testSize: flags.testSize } : {}),
    ...(flags.validationSize ? { validationSize: flags.validationSize } : {}),
    folds: flags.folds,
    window: flags.window,
    ...(flags.trainLength ? { trainLength: flags.trainLength } : {}),
    reductionFactor: flags.reductionFactor,
    forecaster,
    seed: flags.seed,
    concurrency: flags.concurrency,
    ...(queue ? { queue } : {}),
    signal,
    onProgress,
  };
}

/** The HTML report (--report), then the JSON document (--json) or the summary. */
async function reportSweep(
  result: SweepResult,
  flags: SweepFlags,
  series: Series | Panel,
  options: object,
  address: string | undefined,
): Promise<void> {
  const data =
    series instanceof Panel
      ? { symbols: series.symbols, columns: series.columns }
      : {
          source: series.meta.source,
          symbol: series.meta.symbol,
          rows: series.length,
          columns: series.columns,
          first: new Date(series.firstTimestamp).toISOString(),
          last: new Date(series.lastTimestamp).toISOString(),
        };
  if (flags.report) {
    const { sweepReport } = await import('../../sweep/report.js');
    await writeReport(flags.report, await sweepReport(result, { options, data }));
  }
  if (flags.json) return printJson(toJson(result, options, data));
  printSummary(result, address);
  if (flags.report) console.log(`\nreport: ${flags.report}`);
}

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The JSON document: every trial (params, metrics, status) and the best configuration's validation and test metrics. */
function toJson(r: SweepResult, options: object, data: object): object {
  const span = (s: SweepResult['spans']['test']) => ({
    ...s,
    firstOrigin: new Date(s.firstOrigin).toISOString(),
    lastOrigin: new Date(s.lastOrigin).toISOString(),
  });
  return {
    model: r.model,
    target: r.target,
    search: r.search,
    objective: r.objective,
    trials: r.trials.map((t) => ({
      index: t.index,
      params: t.params,
      metrics: t.metrics,
      status: t.status,
      objective: t.objective,
      epochs: t.epochs,
      ...(t.rung !== undefined ? { rung: t.rung } : {}),
      ...(t.error ? { error: t.error } : {}),
      ...(t.sharpe !== undefined ? { sharpe: t.sharpe } : {}),
      timeMs: Math.round(t.timeMs),
    })),
    best: {
      index: r.best.index,
      params: r.best.params,
      validation: r.best.validation,
      test: r.best.test,
      theilU: r.best.theilU,
      dieboldMariano: r.best.dieboldMariano,
      verdict: r.best.verdict,
      ...(r.best.strategy
        ? { strategy: strategyJson(r.best.strategy, r.model) }
        : { strategyNote: r.best.strategyNote }),
      ...(r.best.bySymbol
        ? { bySymbol: Object.fromEntries(Object.entries(r.best.bySymbol).map(([s, b]) => [s, b.metrics])) }
        : {}),
    },
    spans: { validation: span(r.spans.validation), test: span(r.spans.test) },
    ...(r.rungs ? { rungs: r.rungs } : {}),
    options,
    data,
  };
}

function printSummary(r: SweepResult, address: string | undefined): void {
  const names = [...new Set(r.trials.flatMap((t) => Object.keys(t.params)))];
  const flag = (n: string) => vocabulary[n as TunableOption]?.flag?.slice(2) ?? n;
  const v = r.spans.validation;
  const t = r.spans.test;
  console.log(
    `${r.model} on ${r.target}: ${r.search} search, ${r.trials.length} trials, objective ${r.objective}${address ? `, jobs on ${address}` : ''}`,
  );
  const folds = (n: number) =>
    `${n} fold${n === 1 ? '' : 's'}${r.best.bySymbol ? ` per symbol (${Object.keys(r.best.bySymbol).length} symbols)` : ''}`;
  console.log(
    `validation: ${v.origins} origins in ${folds(v.folds)}, ${day(v.firstOrigin)} .. ${day(v.lastOrigin)}; test: ${t.origins} origins in ${folds(t.folds)}, ${day(t.firstOrigin)} .. ${day(t.lastOrigin)}\n`,
  );
  printTable(
    ['trial', ...names.map(flag), 'status', r.objective, 'epochs', 'time s'],
    r.trials.map((x) => [
      String(x.index),
      ...names.map((n) => String(x.params[n])),
      x.status,
      x.objective,
      String(x.epochs),
      Number((x.timeMs / 1000).toFixed(1)),
    ]),
  );
  const failed = r.trials.filter((x) => x.status === 'failed');
  if (failed.length > 0)
    console.log(`\n${failed.length} failed; the first (trial ${failed[0].index}): ${failed[0].error}`);
  const b = r.best;
  console.log(`\nbest: trial ${b.index}: ${names.map((n) => `${flag(n)} ${b.params[n]}`).join(', ')}`);
  console.log(
    `validation ${r.objective} ${(b.validation[r.objective] ?? Number.NaN).toPrecision(5)}; test (scored once) RMSE ${b.test.rmse.toPrecision(5)}, MAE ${b.test.mae.toPrecision(5)}, Theil's U ${b.theilU.toFixed(3)} (${naiveSentence(r)})`,
  );
  if (b.strategy) {
    console.log(`\nstrategy on the test span (long-flat, 5 bps, trial ${b.index}; not advice):`);
    printStrategy(b.strategy, printTable);
  } else console.log(`\n${b.strategyNote}`);
}
