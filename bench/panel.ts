/**
 * Bench: panels. (1) Peak RSS of one epoch of a global fit on 500 symbols x 5,000 days, lookback 60, 5 features:
 * windows are drawn lazily, so memory stays near the panel's own size. (2) A global model against one model per
 * symbol on a 50-symbol generated panel: wall time, and accuracy on a held-out span.
 * Run alone: `npx tsx bench/panel.ts [memory|global]`.
 */
import { createForecaster, createGlobalForecaster, type Panel } from '../src/index.js';
import { syntheticPanel } from '../tests/helpers/panels.js';

const MB = 2 ** 20;

/** Peak RSS while fitting one epoch of a global LSTM on a large panel. */
export async function benchPanelMemory(symbols = 500, days = 5000, lookback = 60): Promise<Record<string, number>> {
  const rss0 = process.memoryUsage().rss;
  const panel = syntheticPanel({ symbols, days, seed: 1, raggedStart: 0, delisted: 0, gapRate: 0 });
  const rssPanel = process.memoryUsage().rss;
  let peak = rssPanel;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const windows = panel.rowCount - symbols * lookback;
  const t0 = performance.now();
  const model = await createGlobalForecaster({
    lookback,
    features: ['open', 'high', 'low', 'close', 'volume'],
    units: 32,
    epochs: 1,
    batchSize: 256,
    seed: 1,
    threads: 1,
  }).fit(panel);
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  model.dispose();
  return {
    symbols,
    days,
    rows: panel.rowCount,
    windows,
    epochSeconds: seconds,
    rssBeforeMB: rss0 / MB,
    rssWithPanelMB: rssPanel / MB,
    peakRssMB: peak / MB,
    fitGrowthMB: (peak - rssPanel) / MB,
    allWindowsMB: (windows * lookback * 5 * 4) / MB,
  };
}

function heldOut(panel: Panel, holdout: number): { train: Panel; actual: Map<string, Float64Array> } {
  const actual = new Map<string, Float64Array>();
  const train = panel.map((s, symbol) => {
    actual.set(symbol, s.column('close').slice(-holdout));
    return s.slice(0, s.length - holdout);
  });
  return { train, actual };
}

/** Global vs per-symbol training on a 50-symbol panel: seconds, and MAPE of the next `horizon` days after training. */
export async function benchGlobalVsLocal(symbols = 50, days = 800, horizon = 5): Promise<Record<string, number>> {
  const panel = syntheticPanel({ symbols, days, seed: 3, columns: ['close'], raggedStart: 0.5 });
  const { train, actual } = heldOut(panel, horizon);
  const common = { lookback: 30, horizon, units: 16, batchSize: 64, seed: 1, threads: 1 } as const;
  const mape = (f: Record<string, { values: Float64Array }>) => {
    let sum = 0;
    let n = 0;
    for (const [symbol, a] of actual)
      for (let h = 0; h < horizon; h++, n++) sum += Math.abs(f[symbol].values[h] - a[h]) / Math.abs(a[h]);
    return (100 * sum) / n;
  };
  let t0 = performance.now();
  const global = await createGlobalForecaster({ ...common, epochs: 5 }).fit(train);
  const globalSeconds = (performance.now() - t0) / 1000;
  const globalMape = mape(await global.predict(train));
  global.dispose();
  // Per symbol: the same network size, more epochs (each model sees one symbol's windows: about 1/50 of the data).
  t0 = performance.now();
  const local: Record<string, { values: Float64Array }> = {};
  for (const [symbol, s] of train) {
    const m = await createForecaster({ ...common, target: 'close', epochs: 20 }).fit(s);
    local[symbol] = await m.predict(s);
    m.dispose();
  }
  const localSeconds = (performance.now() - t0) / 1000;
  const naive: Record<string, { values: Float64Array }> = {};
  for (const [symbol, s] of train)
    naive[symbol] = { values: new Float64Array(horizon).fill(s.column('close').at(-1)!) };
  return {
    symbols,
    days,
    horizon,
    globalSeconds,
    localSeconds,
    speedup: localSeconds / globalSeconds,
    globalMape: globalMape,
    localMape: mape(local),
    naiveMape: mape(naive),
  };
}

const part = process.argv[2];
if (process.argv[1]?.endsWith('panel.ts') && (part === 'memory' || part === 'global')) {
  console.log(JSON.stringify(part === 'memory' ? await benchPanelMemory() : await benchGlobalVsLocal(), null, 1));
}
