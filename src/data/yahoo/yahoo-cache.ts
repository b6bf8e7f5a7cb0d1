/** The on-disk cache of Yahoo chart responses: safe keys, atomic writes, validated reads. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWriteFile, safeFileComponent } from '../../util/fs.js';
import { CachedChartSchema, type CachedChart } from './yahoo-chart.js';

export type { CachedChart };

/**
 * The cache file name for a request: the symbol is sanitized so it cannot leave the cache folder,
 * and dates are kept at day resolution for daily and longer bars (so "until now" hits within a day).
 * @internal
 */
export function cacheKey(symbol: string, interval: string, from: Date, to: Date, daily: boolean): string {
  const stamp = (d: Date) => (daily ? d.toISOString().slice(0, 10) : d.toISOString().slice(0, 16).replace(':', ''));
  return `${safeFileComponent(symbol)}_${interval}_${stamp(from)}_${stamp(to)}.json`;
}

/**
 * Reads a cached chart; a missing, unreadable or invalid file counts as a miss (it is refetched and overwritten).
 * @internal
 */
export async function readChartCache(dir: string, key: string): Promise<CachedChart | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, key), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = CachedChartSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a chart to the cache atomically. @internal */
export async function writeChartCache(dir: string, key: string, chart: CachedChart): Promise<void> {
  await atomicWriteFile(join(dir, key), JSON.stringify(chart));
}
