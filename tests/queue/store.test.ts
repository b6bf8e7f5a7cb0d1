import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError, PersistenceError, readCsv, Series } from '../../src/index.js';
import { cachePath, contentHash, decodeSeries, encodeSeries, loadData } from '../../src/queue/store.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sp = (await readCsv('fixtures/sp500-2000.csv')).slice(-300);

describe('input data by content', () => {
  it('encodes a series to bytes and back, value for value; the hash names the content', () => {
    const e = encodeSeries(sp);
    expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(e.hash).toBe(contentHash(e.bytes));
    // An odd offset, as a Redis reply may have.
    const shifted = new Uint8Array(e.bytes.length + 3);
    shifted.set(e.bytes, 3);
    const back = decodeSeries(shifted.subarray(3));
    expect(back.columns).toEqual(sp.columns);
    expect(back.timestamps).toEqual(sp.timestamps);
    for (const c of sp.columns) expect(back.column(c)).toEqual(sp.column(c));
    expect(back.meta.frequency).toBe(sp.meta.frequency);
    expect(encodeSeries(back).hash).toBe(e.hash);
    // One changed value, another hash.
    const close = sp.column('close');
    close[10] += 0.01;
    expect(encodeSeries(sp.withColumn('close', close)).hash).not.toBe(e.hash);
  });

  it('refuses bytes that are not an encoded series', () => {
    const e = encodeSeries(sp);
    expect(() => decodeSeries(new TextEncoder().encode('hello world'))).toThrow(DataError);
    expect(() => decodeSeries(e.bytes.subarray(0, e.bytes.length - 8))).toThrow(/expected \d+ bytes, received \d+/);
    const bad = e.bytes.slice();
    bad[9] = 0x7b; // break the header JSON
    expect(() => decodeSeries(bad)).toThrow(/stored input data is not a stockcast series/);
  });

  it('a job names cache files by hash only: nothing outside the cache folder', () => {
    const root = join(dir, 'cache');
    const hash = 'a'.repeat(64);
    expect(cachePath(root, hash)).toBe(join(root, 'queue-data', `${hash}.bin`));
    for (const evil of ['../../../etc/passwd', `${'a'.repeat(63)}/`, '..', `/${'a'.repeat(63)}`, 'A'.repeat(64)])
      expect(() => cachePath(root, evil)).toThrow(DataError);
  });

  it('loads from Redis once, then from the cache; bytes that do not match their hash are refused; a corrupt cache file is replaced', async () => {
    const root = join(dir, 'load');
    const e = encodeSeries(sp);
    let fetches = 0;
    const fetch = async () => {
      fetches++;
      return e.bytes;
    };
    const same = async (p: Promise<Uint8Array>) => expect(Buffer.from(await p).equals(Buffer.from(e.bytes))).toBe(true);
    await same(loadData(root, e.hash, fetch));
    await same(loadData(root, e.hash, fetch));
    expect(fetches).toBe(1);
    expect(readdirSync(join(root, 'queue-data'))).toEqual([`${e.hash}.bin`]);
    writeFileSync(cachePath(root, e.hash), 'corrupt');
    await same(loadData(root, e.hash, fetch));
    expect(fetches).toBe(2);
    const other = encodeSeries(Series.create({ timestamps: [1, 2, 3], columns: { x: [1, 2, 3] } }));
    await expect(loadData(root, other.hash, fetch)).rejects.toThrow(/does not match its hash/);
    expect(existsSync(cachePath(root, other.hash))).toBe(false);
    await expect(loadData(root, other.hash, async () => null)).rejects.toThrow(PersistenceError);
    // Without a cache folder: Redis only, still checked.
    await same(loadData(undefined, e.hash, fetch));
  });
});
