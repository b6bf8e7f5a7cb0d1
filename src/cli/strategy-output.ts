/** How a strategy simulation is printed on the command line (its report and JSON parts are in src/report). */
import type { StrategyResult } from '../backtest/strategy.js';
import { strategyNotes, strategyRows } from '../report/strategy-output.js';

export { strategyCharts, strategyJson, strategyNotes, strategyRows, strategyTable } from '../report/strategy-output.js';

/** Prints the strategy table and its notes. */
export function printStrategy(
  sim: StrategyResult,
  print: (columns: string[], rows: Array<Array<string | number>>) => void,
): void {
  print(
    ['', 'total', 'annual', 'vol', 'Sharpe', 's.e.', 'PSR', 'DSR', 'rand%', 'maxDD'],
    strategyRows(sim, ['strategy', 'buy & hold']),
  );
  for (const note of strategyNotes(sim)) console.log(note);
}
