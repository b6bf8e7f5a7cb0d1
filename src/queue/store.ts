/**
 * Input data by content: a series is encoded to bytes once, named by its SHA-256, stored once in Redis however many
 * jobs read it, and cached by each worker in its own folder (the only files a job can make a worker touch).
 */
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { z } from 'zod';
import { DataError, PersistenceError } from '../errors.js';
import type { Frequency } from '../data/frequency.js';
import { Series } from '../data/series.js';
import { atomicWriteFile } from '../util/fs.js';

const MAGIC = 'SCS1';
/** Seconds a stored series lives in Redis after its last use by a submitter (refreshed while a run waits). */
export const DATA_TTL_SECONDS = 24 * 3600;

const HeaderSchema = z
  .object({
    rows: z.number().int().min(1),
    columns: z.array(z.string().min(1)).min(1),
    frequency: z.string().min(1),
    stepMs: z.number(),
  })
  .strict();

/** A series as bytes, with its hash. @internal */
export interface EncodedSeries {
  hash: string;
  bytes: Uint8Array;
}

/** The SHA-256 hex digest of bytes. @internal */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Encodes the timestamps, columns, frequency and step of a series (not its ingest report) as
 * `SCS1 | header length | header JSON | padding | float64 timestamps | float64 columns`.
 * @internal
 */
export function encodeSeries(series: Series): EncodedSeries {
  const header = Buffer.from(
    JSON.stringify({
      rows: series.length,
      columns: series.columns,
      frequency: series.meta.frequency,
      stepMs: series.meta.stepMs,
    }),
  );
  const start = Math.ceil((8 + header.length) / 8) * 8;
  const n = series.length;
  const bytes = new Uint8Array(start + 8 * n * (1 + series.columns.length));
  bytes.set(Buffer.from(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(4, header.length, true);
  bytes.set(header, 8);
  const floats = new Float64Array(bytes.buffer, start);
  floats.set(series.timestamps, 0);
  series.columns.forEach((c, i) => floats.set(series.columnRef(c), n * (i + 1)));
  return { hash: contentHash(bytes), bytes };
}

/**
 * Decodes {@link encodeSeries}' bytes, checking the header and the lengths; the series checks its own invariants.
 * @throws {@link DataError} for bytes that are not an encoded series
 * @internal
 */
export function decodeSeries(bytes: Uint8Array): Series {
  const bad = (why: string) => new DataError(`stored input data is not a stockcast series: ${why}`);
  if (bytes.length < 8 || Buffer.from(bytes.subarray(0, 4)).toString('latin1') !== MAGIC)
    throw bad('wrong magic number');
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (8 + length > bytes.length) throw bad('truncated header');
  let header: z.output<typeof HeaderSchema>;
  try {
    header = HeaderSchema.parse(JSON.parse(Buffer.from(bytes.subarray(8, 8 + length)).toString('utf8')));
  } catch {
    throw bad('unreadable header');
  }
  const start = Math.ceil((8 + length) / 8) * 8;
  const n = header.rows;
  if (bytes.length !== start + 8 * n * (1 + header.columns.length))
    throw bad(`expected ${start + 8 * n * (1 + header.columns.length)} bytes, received ${bytes.length}`);
  // Copy into a buffer of its own: a Redis reply is a view into a shared pool, at any alignment.
  const floats = new Float64Array(new Uint8Array(bytes.subarray(start)).buffer);
  return Series.create({
    timestamps: floats.subarray(0, n),
    columns: Object.fromEntries(header.columns.map((c, i) => [c, floats.subarray(n * (i + 1), n * (i + 2))])),
    meta: { frequency: header.frequency as Frequency, stepMs: header.stepMs, source: 'queue' },
  });
}

/** The Redis key of stored input data. @internal */
export function dataKey(hash: string): string {
  return `stockcast-data:${hash}`;
}

/**
 * The cache file of input data inside a worker's cache folder. The name is the validated hash, and the resolved
 * path is checked to stay inside the folder, so no job can name a file elsewhere.
 * @throws {@link DataError} for anything but a SHA-256 hex digest
 * @internal
 */
export function cachePath(cacheDir: string, hash: string): string {
  if (!/^[0-9a-f]{64}$/.test(hash))
    throw new DataError(
      `input data must be named by a SHA-256 hex digest, received ${JSON.stringify(hash.slice(0, 80))}`,
    );
  const root = resolve(cacheDir, 'queue-data');
  const file = resolve(root, `${hash}.bin`);
  if (!file.startsWith(root + sep)) throw new DataError(`input data path escapes the cache folder: ${hash}`);
  return file;
}

/**
 * Reads input data from the worker's cache folder, else from Redis (then caches it); without a folder, from Redis
 * only. Either copy must hash to its name; a cached file that does not is replaced.
 * @param fetch - reads the bytes from Redis (null when absent)
 * @throws {@link PersistenceError} when the data is in neither place
 * @throws {@link DataError} when Redis holds bytes that do not match their name
 * @internal
 */
export async function loadData(
  cacheDir: string | undefined,
  hash: string,
  fetch: () => Promise<Uint8Array | null>,
): Promise<Uint8Array> {
  const file = cacheDir === undefined ? undefined : cachePath(cacheDir, hash);
  const cached = file ? await readFile(file).catch(() => undefined) : undefined;
  if (cached && contentHash(cached) === hash) return cached;
  if (file && cached) await rm(file, { force: true });
  const bytes = await fetch();
  if (!bytes)
    throw new PersistenceError(
      dataKey(hash),
      'the input data is not in Redis (expired, evicted, or Redis restarted without persistence)',
      { hint: 'the submitter stores it again when it notices; resubmit if it has stopped' },
    );
  if (contentHash(bytes) !== hash)
    throw new DataError(`input data ${hash.slice(0, 12)}... in Redis does not match its hash: refusing it`);
  if (file) await atomicWriteFile(file, bytes);
  return bytes;
}
