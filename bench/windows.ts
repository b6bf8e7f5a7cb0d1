/** Bench: windowing a 1,000,000-row series with lookback 60 in lazy batches: time and peak memory. */
import { Series, windowBatches } from '../src/index.js';

/** Streams every window of a 1M-row, 1-feature series through windowBatches and reports throughput and memory. */
export function benchWindows(
  rows = 1_000_000,
  lookback = 60,
  batchSize = 4096,
): {
  rows: number;
  windows: number;
  seconds: number;
  batchMB: number;
  rssGrowthMB: number;
  fullMaterializationMB: number;
} {
  const close = new Float64Array(rows);
  let p = 100;
  for (let i = 0; i < rows; i++) close[i] = p *= 1 + Math.sin(i * 12.9898) * 0.01;
  const series = Series.create({
    timestamps: Float64Array.from({ length: rows }, (_, i) => i * 60_000),
    columns: { close },
  });
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  let peak = 0;
  let windows = 0;
  let checksum = 0;
  const t0 = performance.now();
  for (const batch of windowBatches(series, { lookback, target: 'close', batchSize })) {
    windows += batch.count;
    checksum += batch.x[batch.x.length - 1];
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    peak = Math.max(
      peak,
      batch.x.byteLength + batch.y.byteLength + batch.targetIndex.byteLength + batch.targetTimestamps.byteLength,
    );
  }
  const seconds = (performance.now() - t0) / 1000;
  if (!Number.isFinite(checksum)) throw new Error('bad windows');
  // Resident memory sampled at every batch: how much windowing added at its peak.
  const rssGrowthMB = (rssPeak - rssBefore) / 2 ** 20;
  return {
    rows,
    windows,
    seconds,
    batchMB: peak / 2 ** 20,
    rssGrowthMB,
    fullMaterializationMB: (windows * lookback * 4) / 2 ** 20,
  };
}
