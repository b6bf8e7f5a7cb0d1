/** The sweep report: the trial table, the objective against each option searched, and the chosen configuration's test backtest. */
import type { TopLevelSpec } from 'vega-lite';
import { backtestChart, renderSvg } from '../report/charts.js';
import type { ReportContent, ReportTable } from '../report/report.js';
import { vocabulary } from '../vocabulary.js';
import type { SweepResult } from './sweep.js';
import type { TunableOption } from './space.js';
import { rank } from './trials.js';
import { strategyCharts, strategyNotes, strategyTable } from '../report/strategy-output.js';
import { naiveSentence } from './skill.js';

const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const flagName = (o: string) => vocabulary[o as TunableOption]?.flag?.slice(2) ?? o;

/** The options a sweep varied, in the order of its space. */
function optionsOf(result: SweepResult): TunableOption[] {
  return [...new Set(result.trials.flatMap((t) => Object.keys(t.params)))] as TunableOption[];
}

/**
 * One small chart per option searched: each trial's validation objective against the option's value, pruned and
 * failed trials marked apart.
 * @param result - a sweep's result
 * @returns SVG markup
 * @example
 * ```ts
 * import { readCsv, sweep, sweepChart } from 'stockcast';
 * const sp = await readCsv('fixtures/sp500-2000.csv');
 * const r = await sweep(sp.slice(-600), 'lstm', { space: { units: [4, 8] }, search: 'grid', testSize: 50, forecaster: { epochs: 2 } });
 * const svg = await sweepChart(r);
 * ```
 */
export async function sweepChart(result: SweepResult): Promise<string> {
  const rows = result.trials.filter((t) => Number.isFinite(t.objective));
  const charts = optionsOf(result).map((option) => {
    const numeric = rows.every((t) => typeof t.params[option] === 'number');
    return {
      width: 220,
      height: 180,
      title: flagName(option),
      data: {
        values: rows.map((t) => ({
          value: t.params[option],
          objective: t.objective,
          status: t.status,
          trial: t.index,
        })),
      },
      mark: { type: 'point' as const, filled: true, size: 60 },
      encoding: {
        x: {
          field: 'value',
          type: numeric ? ('quantitative' as const) : ('nominal' as const),
          title: flagName(option),
          scale: numeric ? { zero: false } : {},
        },
        y: {
          field: 'objective',
          type: 'quantitative' as const,
          title: `validation ${result.objective}`,
          scale: { zero: false },
        },
        color: { field: 'status', type: 'nominal' as const, title: null },
        tooltip: [{ field: 'trial' }, { field: 'value' }, { field: 'objective' }],
      },
    };
  });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `${result.model}: validation ${result.objective} against each option searched`,
    hconcat: charts,
  } as unknown as TopLevelSpec;
  return renderSvg(spec);
}

/**
 * The content of a sweep's HTML report: findings in words, the per-option chart, the best configuration's test
 * backtest, the trial table and the run's options. Write it with `writeReport`.
 * @param result - a sweep's result
 * @param details - what to show as the run's options and data (never credentials)
 * @returns the report content
 * @example
 * ```ts
 * import { readCsv, sweep, sweepReport, writeReport } from 'stockcast';
 * const sp = await readCsv('fixtures/sp500-2000.csv');
 * const r = await sweep(sp.slice(-600), 'lstm', { space: { units: [4, 8] }, search: 'grid', testSize: 50, forecaster: { epochs: 2 } });
 * await writeReport('sweep.html', await sweepReport(r, {}));
 * ```
 */
export async function sweepReport(result: SweepResult, details: Record<string, unknown>): Promise<ReportContent> {
  const options = optionsOf(result);
  const best = result.best;
  const findings = sweepFindings(result, options);
  const strategy = best.strategy ? await strategyCharts(best.strategy, `${result.model} (trial ${best.index})`) : [];
  return {
    title: `Sweep: ${result.model} on ${result.target}`,
    subtitle: `validation ${iso(result.spans.validation.firstOrigin)} .. ${iso(result.spans.validation.lastOrigin)}, test ${iso(result.spans.test.firstOrigin)} .. ${iso(result.spans.test.lastOrigin)}`,
    findings,
    charts: [await sweepChart(result), ...strategy, ...(await testCharts(result))],
    tables: [
      trialsTable(result, options),
      bestTable(result),
      ...(best.strategy ? [{ ...strategyTable(best.strategy), title: strategyTitle(result) }] : []),
    ],
    details,
  };
}

/** The findings in words: the chosen trial, its test score against naive, failed trials, the strategy. */
function sweepFindings(result: SweepResult, options: TunableOption[]): string[] {
  const best = result.best;
  const describe = (p: Record<string, unknown>) => options.map((o) => `${flagName(o)} ${String(p[o])}`).join(', ');
  const failed = result.trials.filter((t) => t.status === 'failed');
  const u = best.theilU;
  return [
    `Best of ${result.trials.length} trials (${result.search} search, validation ${result.objective} on ${result.spans.validation.origins} origins in ${result.spans.validation.folds} folds before the test span): trial ${best.index}, ${describe(best.params)}.`,
    `On the test span, scored once after the choice: RMSE ${best.test.rmse.toPrecision(5)} (validation ${best.validation.rmse.toPrecision(5)}); Theil's U ${u.toFixed(3)}: it ${naiveSentence(result)}.`,
    ...(failed.length > 0 ? [`${failed.length} trials failed; the first: ${failed[0].error}`] : []),
    ...(best.strategy
      ? strategyNotes(best.strategy).map((n) => `Strategy on the test span: ${n}`)
      : [`${capital(best.strategyNote ?? '')}.`]),
  ];
}

/** The test backtest: the series', or each symbol's (the first six) of a panel. */
function testCharts(result: SweepResult): Promise<string[]> {
  const best = result.best;
  return Promise.all(
    (best.backtest
      ? [best.backtest]
      : Object.entries(best.bySymbol ?? {})
          .slice(0, 6)
          .map(([symbol, r]) => ({ ...r, model: `${r.model} (${symbol})` }))
    ).map((r) => backtestChart([r])),
  );
}

/** Every trial ranked by its validation objective (ties by index), failed trials showing their error. */
function trialsTable(result: SweepResult, options: TunableOption[]): ReportTable {
  const metric = (t: SweepResult['trials'][number]) =>
    t.metrics ? (t.metrics[result.objective] ?? Number.NaN) : Number.NaN;
  return {
    title: `Trials (validation ${result.objective}; ranked)`,
    columns: ['trial', ...options.map(flagName), 'status', `${result.objective}`, 'epochs', 'time s'],
    rows: [...result.trials]
      .sort((a, b) => rank(result.objective, metric(a)) - rank(result.objective, metric(b)) || a.index - b.index)
      .map((t) => [
        t.index,
        ...options.map((o) => t.params[o] ?? ''),
        t.status,
        t.status === 'failed' ? (t.error ?? '') : metric(t),
        t.epochs,
        t.timeMs / 1000,
      ]),
  };
}

/** The chosen configuration's metrics on the validation and the test span. */
function bestTable(result: SweepResult): ReportTable {
  const { validation, test } = result.best;
  return {
    title: 'Best configuration: validation and test',
    columns: ['span', 'MAE', 'RMSE', 'MAPE %', 'MASE', 'direction %'],
    rows: [
      ['validation', validation.mae, validation.rmse, validation.mape, validation.mase, validation.directionalAccuracy],
      ['test', test.mae, test.rmse, test.mape, test.mase, test.directionalAccuracy],
    ],
  };
}

const capital = (s: string) => `${s.slice(0, 1).toUpperCase()}${s.slice(1)}`;

/** The strategy table's title: the rule, and the trials its deflated Sharpe ratio allows for. */
function strategyTitle(result: SweepResult): string {
  const trials = result.trials.filter((t) => t.sharpe !== undefined).length;
  return `Strategy on the test span (long-flat, 5 bps; DSR over ${trials} trials; not advice)`;
}
