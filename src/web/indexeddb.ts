/** A small IndexedDB adapter: saved forecasters kept in the browser by key, as the bytes of `toBytes()` (one object store, `models`). */
import { z } from 'zod';
import { PersistenceError } from '../errors.js';
import { loadForecaster } from '../models/recurrent/forecaster-io.js';
import type { RecurrentForecaster } from '../models/recurrent/forecaster.js';
import type { ModelBytes } from '../models/persistence/model-bytes.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';

/** Options of {@link saveToIndexedDB} and {@link loadFromIndexedDB}. */
export const IndexedDBOptionsSchema = z
  .object({
    /** The IndexedDB database (default `stockcast`); models go in its `models` store. */
    database: v.database.withDefault(),
  })
  .strict();

/** Options of {@link saveToIndexedDB} and {@link loadFromIndexedDB}, as accepted. */
export type IndexedDBOptions = z.input<typeof IndexedDBOptionsSchema>;

const STORE = 'models';

interface Request<T> {
  result: T;
  error: { message: string } | null;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface Db {
  objectStoreNames: { contains(name: string): boolean };
  createObjectStore(name: string): unknown;
  transaction(
    store: string,
    mode: 'readonly' | 'readwrite',
  ): {
    objectStore(name: string): {
      put(value: unknown, key: string): Request<unknown>;
      get(key: string): Request<unknown>;
    };
  };
  close(): void;
}

function where(key: string, database: string): string {
  return `indexeddb:${database}/${STORE}/${key}`;
}

function done<T>(request: Request<T>, place: string): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () =>
      reject(new PersistenceError(place, `IndexedDB failed: ${request.error?.message ?? 'unknown error'}`));
  });
}

async function open(database: string, place: string): Promise<Db> {
  const idb = (
    globalThis as unknown as {
      indexedDB?: { open(name: string, version: number): Request<Db> & { onupgradeneeded: (() => void) | null } };
    }
  ).indexedDB;
  if (!idb)
    throw new PersistenceError(place, 'IndexedDB is unavailable here (it exists in browsers)', {
      hint: 'in Node.js, save to a directory with save(dir)',
    });
  const request = idb.open(database, 1);
  request.onupgradeneeded = () => {
    if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE);
  };
  return done(request, place);
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key === '')
    throw new PersistenceError('indexeddb', `expected a non-empty string key, received ${JSON.stringify(key)}`);
}

/**
 * Saves a fitted forecaster (or a model's bytes) under `key` in IndexedDB, replacing what the key held. The record
 * is the model's bytes (see {@link RecurrentForecaster.toBytes}), written in one transaction.
 *
 * @param key - the name to keep it under
 * @param model - a fitted forecaster, or the bytes of one
 * @param options - see {@link IndexedDBOptionsSchema}
 * @throws {@link PersistenceError} outside a browser, or when IndexedDB refuses the write (quota, private mode)
 * @throws {@link NotFittedError} for a forecaster that was never fitted
 * @example
 * ```ts
 * import { createForecaster, parseCsv, saveToIndexedDB } from 'stockcast';
 * const s = parseCsv('date,close\n2024-01-01,1\n2024-01-02,2\n2024-01-03,3\n2024-01-04,4\n2024-01-05,5\n2024-01-06,6\n');
 * await saveToIndexedDB('demo', await createForecaster({ lookback: 2, epochs: 2, validation: 0 }).fit(s));
 * ```
 */
export async function saveToIndexedDB(
  key: string,
  model: Pick<RecurrentForecaster, 'toBytes'> | ModelBytes,
  options: IndexedDBOptions = {},
): Promise<void> {
  checkKey(key);
  const { database } = parseOptions(IndexedDBOptionsSchema, options, 'IndexedDB options');
  const place = where(key, database);
  const bytes =
    'toBytes' in model
      ? await model.toBytes()
      : model instanceof Uint8Array
        ? model
        : new Uint8Array(model instanceof ArrayBuffer ? model : await model.arrayBuffer());
  const db = await open(database, place);
  try {
    // A copy of exactly the model's bytes (not a view's whole buffer).
    await done(db.transaction(STORE, 'readwrite').objectStore(STORE).put(bytes.slice().buffer, key), place);
  } finally {
    db.close();
  }
}

/**
 * Loads a forecaster saved with {@link saveToIndexedDB}.
 *
 * @param key - the name it was saved under
 * @param options - see {@link IndexedDBOptionsSchema}
 * @returns the fitted forecaster, predicting as the saved one did
 * @throws {@link PersistenceError} naming `indexeddb:<database>/models/<key>` when nothing is saved there or the record is corrupt
 * @example
 * ```ts
 * import { loadFromIndexedDB, parseCsv } from 'stockcast';
 * const model = await loadFromIndexedDB('demo');
 * console.log(await model.predict(parseCsv('date,close\n2024-01-01,1\n2024-01-02,2\n')));
 * ```
 */
export async function loadFromIndexedDB(key: string, options: IndexedDBOptions = {}): Promise<RecurrentForecaster> {
  checkKey(key);
  const { database } = parseOptions(IndexedDBOptionsSchema, options, 'IndexedDB options');
  const place = where(key, database);
  const db = await open(database, place);
  let record: unknown;
  try {
    record = await done(db.transaction(STORE, 'readonly').objectStore(STORE).get(key), place);
  } finally {
    db.close();
  }
  if (record === undefined) throw new PersistenceError(place, 'no model saved under this key');
  if (!(record instanceof ArrayBuffer))
    throw new PersistenceError(
      place,
      `expected the bytes of a saved model, found ${Object.prototype.toString.call(record)}`,
    );
  return loadForecaster(record);
}
