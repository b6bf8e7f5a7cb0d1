/** `stockcast backtest`: walk-forward comparison of baselines and recurrent models on a CSV or a symbol. */
import { Command, Option } from 'commander';
import { backtestChart } from '../../report/charts.js';
import { compareModels } from '../../backtest/compare.js';
import { writeReport } from '../../report/report.js';
import { simulateStrategy, type StrategyResult } from '../../backtest/strategy.js';
import { atomicWriteFile } from '../../util/fs.js';
import { plainOptions } from '../../util/plain-options.js';
import { resolveConnection } from '../../queue/connection.js';
import { kebabFlag, vocabulary } from '../../vocabulary.js';
import { printRisk, riskCharts, riskJson, riskTables } from './backtest-risk.js';
import { printStrategy } from '../strategy-output.js';
import { strategyCharts, strategyJson, strategyNotes, strategyTable } from '../../report/strategy-output.js';
import { strategyTrials } from '../../backtest/strategy-trials.js';
import {
  compareFlags,
  dieboldMarianoJson,
  TEST_COLUMNS,
  testCells,
  testsJson,
  testsNotes,
  testsTable,
  volatilityCells,
  volatilityColumns,
} from '../comparison-output.js';
import { runPanelBacktest, wantsPanel, type PanelBacktestFlags } from './backtest-panel.js';
import { checkModelSpecs, importUserModules } from '../user-models.js';
import { addRealizedWords, checkRealizedFlags, realizedSource, type RealizedFlags } from '../realized-source.js';
import { addSourceOptions, addWords, interactive, type Flags, interruptSignal, loadSource, MODEL_WORDS, printJson, printTable, progressBar, UsageError, wordOption } from '../common.js';

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

/** Builds the command. */
export function backtestCommand(): Command {
  const command = addSourceOptions(new Command('backtest').description('walk-forward backtest of baselines and recurrent models, ranked (a simulation, not advice)'));
  addWords(command, [...MODEL_WORDS, 'seeds', 'validation', 'finalFit', 'engine', 'horizon', 'step', 'testSize', 'window', 'trainLength', 'refit', 'concurrency', 'costBps', 'targetTransform', 'prices', 'quantiles', 'calibration', 'periodsPerYear', 'reconnectMs', 'report', 'plot', 'json', 'symbolColumn', 'wide', 'symbols', 'calendar', 'testLoss', 'blockLength', 'resamples', 'rankForecast', 'targetKind', 'rankBy'], {
    horizon: 'forecast steps per origin',
    step: 'rows between origins (default: the horizon; dates for a panel)',
    testSize: 'rows forecast at the end (default: 20% of the rows; for a panel, the last N dates of the union of the symbols\' dates)',
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
    rankForecast: "panels: M6 rank forecasts of each symbol's next-period return quintile and a long-short portfolio",
  });
  const benchmark =
    'the model every other is tested against (Diebold-Mariano, Reality Check, SPA); added when not in --models ' +
    '(default: garch for --target-transform, else naive)';
  command.addOption(wordOption('benchmark', benchmark, false));
  command.addOption(new Option('--strategy <strategy>', 'simulate trading the best model with this rule (horizon 1, step 1; a simulation, not advice)').choices(vocabulary.strategy.schema.options));
  command.addOption(wordOption('models'));
  command.addOption(wordOption('module'));
  addRealizedWords(command);
  command.addOption(wordOption('redis', 'train the refit folds as jobs on this Redis queue (see stockcast worker); results are identical').env('STOCKCAST_REDIS'));
  return command
    .action(async (flags: BacktestFlags, cmd: Command) => {
      // A flag left at its default is no option the user gave: the model's defaults for the target decide it
      // (a recurrent model on a volatility target takes the volatility defaults, docs/models.md).
      for (const w of [...MODEL_WORDS, 'seeds']) if (cmd.getOptionValueSource(w) === 'default') delete (flags as unknown as Record<string, unknown>)[w];
      const signal = interruptSignal();
      await importUserModules(flags.module);
      await checkModelSpecs(flags.models, { panel: wantsPanel(flags) });
      if (flags.window === 'sliding' && flags.trainLength === undefined) {
        throw new UsageError('--window sliding needs --train-length');
      }
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
      const queue = flags.redis ? { connection: flags.redis, reconnectMs: flags.reconnectMs } : undefined;
      const { series, target } = realizedSource(await loadSource(flags, signal), flags);
      const targetKind = flags.realized !== undefined ? 'variance' : flags.targetKind;
      const bar = progressBar(interactive(flags.json), '{model} |{bar}| fold {value}/{total}');
      let current = '';
      const options = {
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
        rankBy: flags.rankBy,
        ...(flags.prices ? { prices: flags.prices } : {}),
        ...(flags.quantiles ? { quantiles: flags.quantiles } : {}),
        ...(flags.periodsPerYear ? { periodsPerYear: flags.periodsPerYear } : {}),
        ...compareFlags(flags),
        forecaster: {
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
        },
        onFold: ({ model, fold, folds }: { model: string; fold: number; folds: number }) => {
          if (model !== current) {
            bar.stop();
            bar.start(folds, { model });
            current = model;
          }
          bar.update(fold, { model });
        },
      };
      const comparison = await compareModels(series, flags.models, options).finally(() => bar.stop());
      const best = comparison.rows[0];
      const interpolated = comparison.results[best.model].interpolatedRows;
      const interpolationWarning = interpolated > 0 ? `${interpolated} rows of the test span were interpolated from later values (--missing interpolate): forecasts there are scored against values built from data after their origin` : undefined;
      if (interpolationWarning) process.stderr.write(`warning: ${interpolationWarning}\n`);
      // With --target-transform the backtest forecasts the derived column (rv5, logret, ...), read from `target`.
      const forecastTarget = comparison.results[best.model].target;
      let strategy: StrategyResult | undefined;
      if (flags.strategy) {
        // The best model's strategy was chosen among every compared model's: its deflated Sharpe ratio allows for that.
        const rule = { strategy: flags.strategy, costBps: flags.costBps };
        const frequency = series.meta.frequency;
        const { trials, trialSharpeVariance } = strategyTrials(Object.values(comparison.results), frequency, rule);
        const searched = { ...rule, trials, trialSharpeVariance };
        strategy = simulateStrategy(comparison.results[best.model], frequency, searched);
      }
      const testNotes = testsNotes(comparison.tests);
      const signature = { source: series.meta.source, symbol: series.meta.symbol, rows: series.length, columns: series.columns, frequency: series.meta.frequency, first: new Date(series.firstTimestamp).toISOString(), last: new Date(series.lastTimestamp).toISOString(), ...(series.meta.adjusted !== undefined ? { adjusted: series.meta.adjusted } : {}), interpolatedRows: interpolated };
      // The queue is shown by its address: credentials never reach the output.
      const { queue: _, ...shown } = plainOptions(options);
      const runOptions = { ...shown, forecaster: plainOptions(options.forecaster), models: flags.models, ...(queue ? { redis: resolveConnection(queue).address } : {}) };
      if (flags.plot || flags.report) {
        const results = comparison.rows.map((r) => comparison.results[r.model]);
        const charts = [await backtestChart(results)];
        if (strategy) charts.push(...(await strategyCharts(strategy, best.model)));
        charts.push(...(await riskCharts(comparison)));
        if (flags.plot) await atomicWriteFile(flags.plot, charts[0]);
        if (flags.report) {
          await writeReport(flags.report, {
            title: `Backtest: ${series.meta.symbol ?? series.meta.source ?? 'series'} ${forecastTarget}`,
            subtitle: `${comparison.results[best.model].folds.length} origins, horizon ${flags.horizon}, refit ${flags.refit}; best by ${comparison.rankBy}: ${best.model}`,
            findings: [...comparison.findings, ...testNotes, ...(strategy ? strategyNotes(strategy) : [])],
            ...(interpolationWarning ? { warning: interpolationWarning } : {}),
            charts,
            tables: [
              { title: `Metrics (pooled over all forecast points); Diebold-Mariano against ${comparison.benchmark} (${flags.testLoss}${flags.horizon > 1 ? `, step ${flags.horizon}` : ''})`, columns: ['rank', 'model', 'MAE', 'RMSE', 'MAPE %', 'sMAPE %', 'MASE', 'direction %', "Theil's U", ...volatilityColumns(comparison.rows), ...TEST_COLUMNS], rows: comparison.rows.map((r) => [r.rank, r.model, r.metrics.mae, r.metrics.rmse, r.metrics.mape, r.metrics.smape, r.metrics.mase, r.metrics.directionalAccuracy, r.theilU, ...volatilityCells(r.metrics), ...testCells(r.dieboldMariano, r.verdict)]) },
              testsTable(comparison.tests),
              { title: `Folds (${best.model})`, columns: ['fold', 'train start', 'train end', 'origin', 'refit', 'forecast'], rows: comparison.results[best.model].folds.map((f) => [f.index + 1, new Date(f.trainStart).toISOString().slice(0, 10), new Date(f.trainEnd).toISOString().slice(0, 10), new Date(f.originTimestamp).toISOString().slice(0, 10), f.refit ? 'yes' : 'no', f.predicted.map((v) => v.toFixed(2)).join(' ')]) },
              ...riskTables(comparison),
              ...(strategy ? [strategyTable(strategy)] : []),
            ],
            details: { options: runOptions, data: signature },
          });
        }
      }
      if (flags.json) {
        printJson({
          target: forecastTarget,
          horizon: flags.horizon,
          models: Object.fromEntries(
            comparison.rows.map((r) => {
              const res = comparison.results[r.model];
              return [r.model, { rank: r.rank, theilU: r.theilU, metrics: r.metrics, dieboldMariano: dieboldMarianoJson(r.dieboldMariano), verdict: r.verdict, perStep: res.perStep, folds: res.folds.length, ...riskJson(res), points: res.points.map((p, i) => ({ timestamp: new Date(p.timestamp).toISOString(), step: p.step, actual: p.actual, predicted: p.predicted, ...(res.quantiles ? { quantiles: res.quantiles.points[i].quantiles } : {}) })) }];
            }),
          ),
          benchmark: comparison.benchmark,
          tests: testsJson(comparison.tests),
          ...(strategy ? { strategy: strategyJson(strategy, best.model) } : {}),
          findings: comparison.findings,
          options: runOptions,
          data: signature,
        });
        return;
      }
      console.log(`${signature.symbol ?? signature.source}: ${forecastTarget}, ${comparison.results[best.model].folds.length} origins, horizon ${flags.horizon}, refit ${flags.refit}\n`);
      const columns = ['rank', 'model', 'MAE', 'RMSE', 'MAPE%', 'sMAPE%', 'MASE', 'dir%', 'TheilU'];
      printTable(
        [...columns, ...volatilityColumns(comparison.rows), ...TEST_COLUMNS],
        comparison.rows.map((r) => {
          const m = r.metrics;
          const cells = [m.mae, m.rmse, m.mape, m.smape, m.mase, m.directionalAccuracy, r.theilU];
          return [String(r.rank), r.model, ...cells, ...volatilityCells(m), ...testCells(r.dieboldMariano, r.verdict)];
        }),
      );
      const step = flags.horizon > 1 ? ` at step ${flags.horizon}` : '';
      console.log(
        `(Diebold-Mariano against ${comparison.benchmark} on ${flags.testLoss}${step}; verdicts from squared error, ` +
          'p < 0.05)',
      );
      printRisk(comparison);
      console.log(`\n${[...comparison.findings, ...testNotes].join('\n')}`);
      if (strategy) {
        console.log(`\nstrategy simulation (${flags.strategy}, ${flags.costBps} bps, model ${best.model}; not advice):`);
        printStrategy(strategy, printTable);
      }
      if (flags.report) console.log(`\nreport: ${flags.report}`);
      if (flags.plot) console.log(`chart: ${flags.plot}`);
    });
}
