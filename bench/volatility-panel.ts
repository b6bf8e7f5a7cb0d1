/**
 * The default recurrent volatility model's cost on a panel: 30 stocks x 10 years of simulated daily prices
 * (ragged starts, delistings, gaps), `rv:5`, 500 test days, a refit every 50, final fit included; with 1 seed and
 * the default seeds, so the cost per extra seed is measured, not assumed.
 */
import { walkForwardPanel } from '../src/index.js';
import { VOLATILITY_DEFAULTS } from '../src/models/recurrent/volatility-defaults.js';
import { syntheticPanel } from '../tests/helpers/panels.js';

/** One run's wall time. */
export interface PanelVolatilityRun {
  seeds: number;
  seconds: number;
  /** CPU seconds of the process (every thread): the cost on a loaded machine, where wall time is shared. */
  cpuSeconds: number;
  qlike: number;
  symbols: number;
  points: number;
}

/** Runs the panel backtest with 1 seed and with the default number of seeds. */
export async function benchVolatilityPanel(log: (line: string) => void): Promise<PanelVolatilityRun[]> {
  const panel = syntheticPanel({ symbols: 30, days: 2520, seed: 29 });
  const runs: PanelVolatilityRun[] = [];
  for (const seeds of [1, VOLATILITY_DEFAULTS.seeds]) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const options = { targetTransform: 'rv:5', horizon: 1, step: 1, testSize: 500, refit: 50 };
    const r = await walkForwardPanel(
      panel,
      { model: 'lstm', options: seeds === VOLATILITY_DEFAULTS.seeds ? {} : { seeds } },
      options,
    );
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    const points = Object.values(r.bySymbol).reduce((s, x) => s + x.points.length, 0);
    const run = {
      seeds,
      seconds,
      cpuSeconds,
      qlike: (r.metrics as unknown as { qlike: number }).qlike,
      symbols: Object.keys(r.bySymbol).length,
      points,
    };
    log(
      `seeds ${seeds}${seeds === VOLATILITY_DEFAULTS.seeds ? ' (default)' : ''}: ${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} CPU s), ${run.symbols} symbols, ${points} points, pooled QLIKE ${run.qlike.toFixed(4)}`,
    );
    runs.push(run);
  }
  const [one, all] = runs;
  const extra = (a: number, b: number) => ((a - b) / (all.seeds - 1)).toFixed(1);
  log(`cost per extra seed: ${extra(all.seconds, one.seconds)} s (${extra(all.cpuSeconds, one.cpuSeconds)} CPU s)`);
  return runs;
}
