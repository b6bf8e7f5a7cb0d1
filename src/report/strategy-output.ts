/**
 * How a strategy simulation is shown in reports, JSON and on the command line: its performance next to
 * buy-and-hold, with the Sharpe ratio's standard error, PSR, DSR (or why there is none) and random-signal percentile.
 */
import type { StrategyResult } from '../backtest/strategy.js';
import type { ReportTable } from './report.js';
import { equityChart } from './charts.js';
import { randomBaselineChart } from './stats-charts.js';

const COLUMNS = [
  '',
  'total return',
  'annual return',
  'annual vol',
  'Sharpe',
  'Sharpe s.e.',
  'PSR',
  'DSR',
  'random pct',
  'max drawdown',
];

/** The strategy's and buy-and-hold's rows, with the columns above (blank where a number does not apply). */
export function strategyRows(
  sim: StrategyResult,
  names: [string, string] = ['strategy', 'buy and hold'],
): Array<Array<string | number>> {
  const s = sim.strategy;
  const b = sim.buyAndHold;
  return [
    [
      names[0],
      s.totalReturn,
      s.annualizedReturn,
      s.annualizedVolatility,
      s.sharpe,
      s.sharpeStandardError,
      s.probabilisticSharpe,
      s.deflatedSharpe ?? '',
      s.randomSignals?.percentile ?? '',
      s.maxDrawdown,
    ],
    [
      names[1],
      b.totalReturn,
      b.annualizedReturn,
      b.annualizedVolatility,
      b.sharpe,
      b.sharpeStandardError,
      b.probabilisticSharpe,
      '',
      '',
      b.maxDrawdown,
    ],
  ];
}

/** What the numbers mean, in words, for the console and the report. */
export function strategyNotes(sim: StrategyResult): string[] {
  const s = sim.strategy;
  const [sharpe, error, psr] = [
    s.sharpe.toFixed(2),
    s.sharpeStandardError.toFixed(2),
    s.probabilisticSharpe.toFixed(2),
  ];
  const notes = Number.isFinite(s.sharpeStandardError)
    ? [
        `Sharpe ${sharpe} with standard error ${error}: probability ${psr} that the true Sharpe ratio is above ` +
          'the benchmark (PSR).',
      ]
    : [
        'The strategy returns do not vary (it never held a position): its Sharpe ratio has no standard error ' +
          'and no PSR.',
      ];
  if (s.deflatedSharpe !== undefined) {
    notes.push(
      `Deflated Sharpe ratio ${s.deflatedSharpe.toFixed(2)}: the PSR once the trials searched are allowed for.`,
    );
  } else if (s.deflatedSharpeNote) {
    notes.push(`${s.deflatedSharpeNote[0].toUpperCase()}${s.deflatedSharpeNote.slice(1)}.`);
  }
  if (s.randomSignals) {
    const { percentile, count } = s.randomSignals;
    notes.push(
      `Its Sharpe ratio is at percentile ${percentile.toFixed(1)} of ${count} random signals with the same exposure ` +
        'and turnover (50 is luck).',
    );
  }
  return notes;
}

/** The report's strategy table. */
export function strategyTable(sim: StrategyResult): ReportTable {
  return { title: 'Strategy simulation (not advice)', columns: COLUMNS, rows: strategyRows(sim) };
}

/** The report's strategy charts: the equity curves, and the Sharpe ratio among the random signals. */
export async function strategyCharts(sim: StrategyResult, model: string): Promise<string[]> {
  const charts = [await equityChart(sim, model)];
  const random = sim.strategy.randomSignals;
  if (random) {
    const title = `${model} strategy: Sharpe ratio among ${random.count} random signals`;
    charts.push(await randomBaselineChart(random, { title: `${title} (percentile ${random.percentile.toFixed(1)})` }));
  }
  return charts;
}

/** The strategy part of `--json`: both performances without their equity curves. */
export function strategyJson(sim: StrategyResult, model: string): Record<string, unknown> {
  return {
    label: sim.label,
    model,
    strategy: { ...sim.strategy, equity: undefined },
    buyAndHold: { ...sim.buyAndHold, equity: undefined },
  };
}
