/** The on-disk cache of Yahoo chart responses: safe keys, atomic writes, validated reads. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWriteFile, safeFileComponent } from '../../util/fs.js';
import { CachedChartSchema, type CachedChart } from './yahoo-chart.js';

export type { CachedChart };

/**
 * The cache file name for a request: a readable part (the symbol sanitized so it cannot leave the cache folder, at
 * most 40 characters) and the first 16 hex digits of the raw symbol's SHA-256, so symbols that sanitize, truncate or
 * fold case to the same text (`A:B`, `A/B`, `A_B`, `a_b`) still get different files, on case-insensitive file systems
 * too. Dates are kept at day resolution for daily and longer bars (so "until now" hits within a day).
 * @internal
 */
export function cacheKey(symbol: string, interval: string, from: Date, to: Date, daily: boolean): string {
  const stamp = (d: Date) => (daily ? d.toISOString().slice(0, 10) : d.toISOString().slice(0, 16).replace(':', ''));
  const digest = createHash('sha256').update(symbol, 'utf8').digest('hex').slice(0, 16);
  return `${safeFileComponent(symbol).slice(0, 40)}-${digest}_${interval}_${stamp(from)}_${stamp(to)}.json`;
}

/**
 * Reads a cached chart; a missing, unreadable or invalid file counts as a miss (it is refetched and overwritten), and
 * so does a file written for another symbol (`symbol` given): even a digest collision can never serve wrong prices.
 * @internal
 */
export async function readChartCache(dir: string, key: string, symbol?: string): Promise<CachedChart | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, key), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = CachedChartSchema.safeParse(JSON.parse(text));
    if (!parsed.success || (symbol !== undefined && parsed.data.request !== symbol)) return undefined;
    return parsed.data;
  } catch {
    return undefined;
  }
}

/** Writes a chart to the cache atomically. @internal */
export async function writeChartCache(dir: string, key: string, chart: CachedChart): Promise<void> {
  await atomicWriteFile(join(dir, key), JSON.stringify(chart));
}
