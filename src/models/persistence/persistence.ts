/**
 * Saving and loading models, in one format: to and from directories through the file store the Node.js entry
 * installs (model-dir.ts), and to and from bytes anywhere (model-bytes.ts, a tar archive of the same files).
 */
import { PersistenceError } from '../../errors.js';
import { runtime } from '../../platform/runtime.js';
import { modelFromBytes, type ModelBytes } from './model-bytes.js';
import type { SavedModel } from './model-format.js';

export type { SavedModel } from './model-format.js';
export { modelToBytes, type ModelBytes } from './model-bytes.js';

/** Reads and writes model directories (Node.js). @internal */
export interface ModelDirStore {
  write(dir: string, model: SavedModel): Promise<void>;
  read(dir: string, kind: SavedModel['kind']): Promise<SavedModel>;
}

declare module '../../platform/runtime.js' {
  interface Runtime {
    /** Model directories on a file system (Node.js: model-dir.ts); a browser has none. */
    modelDirs?: ModelDirStore;
  }
}

function dirStore(dir: string): ModelDirStore {
  const store = runtime().modelDirs;
  if (!store)
    throw new PersistenceError(dir, 'model directories need a file system (Node.js)', {
      hint: 'in a browser, save with toBytes() and load the bytes, or use saveToIndexedDB / loadFromIndexedDB',
    });
  return store;
}

/**
 * Saves a model directory (crash-safe: see model-dir.ts).
 * @throws {@link PersistenceError} when it cannot be written, or where there is no file system
 * @internal
 */
export function writeModelDir(dir: string, model: SavedModel): Promise<void> {
  return dirStore(dir).write(dir, model);
}

/**
 * Reads a saved model from a directory or from bytes.
 * @throws {@link PersistenceError} naming the missing or corrupt file
 * @internal
 */
export function readModel(source: string | ModelBytes, kind: SavedModel['kind']): Promise<SavedModel> {
  return typeof source === 'string' ? dirStore(source).read(source, kind) : modelFromBytes(source, kind);
}

/** Reads and validates a model directory. @internal */
export function readModelDir(dir: string, kind: SavedModel['kind']): Promise<SavedModel> {
  return dirStore(dir).read(dir, kind);
}
