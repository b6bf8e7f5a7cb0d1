/** The on-disk cache of Yahoo chart responses: safe keys, atomic writes, validated reads. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { atomicWriteFile, safeFileComponent } from '../util/fs.js';

const Num = z.number().nullable();

/** A downloaded chart in the form the cache stores (timestamps in epoch seconds, nulls kept). @internal */
export const CachedChartSchema = z
  .object({
    version: z.literal(1),
    symbol: z.string(),
    interval: z.string(),
    gmtoffset: z.number(),
    timestamps: z.array(z.number()),
    open: z.array(Num),
    high: z.array(Num),
    low: z.array(Num),
    close: z.array(Num),
    adjclose: z.array(Num),
    volume: z.array(Num),
    dividends: z.array(z.object({ date: z.number(), amount: z.number() })),
    splits: z.array(z.object({ date: z.number(), numerator: z.number(), denominator: z.number(), ratio: z.string() })),
  })
  .refine((c) => ['open', 'high', 'low', 'close', 'adjclose', 'volume'].every((k) => (c[k as 'open'] as unknown[]).length === c.timestamps.length), {
    message: 'column lengths differ from the timestamps',
  });

/** @internal */
export type CachedChart = z.infer<typeof CachedChartSchema>;

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
