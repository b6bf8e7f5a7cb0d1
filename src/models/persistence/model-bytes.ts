/**
 * Saved models as bytes: a tar archive (ustar) of exactly the files a model directory holds, `model.json` and
 * the weights file it names, so `tar -x` of the bytes is a model directory and a directory packed with `tar -c`
 * loads from bytes. Runs anywhere (WebCrypto for the SHA-256, no file system).
 */
import { createTar, parseTar } from 'nanotar';
import { PersistenceError } from '../../errors.js';
import type { BlobLike } from '../../data/csv/csv-source.js';
import { decodeWeights, encodeWeights, manifestJson, parseManifest, type SavedModel } from './model-format.js';

/** What `loadForecaster` and friends accept as a saved model's bytes. */
export type ModelBytes = ArrayBuffer | Uint8Array | BlobLike;

/** The name errors use for the archive's members. */
const WHERE = 'model bytes';

interface Subtle {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = (globalThis as unknown as { crypto?: { subtle?: Subtle } }).crypto?.subtle;
  if (!subtle)
    throw new PersistenceError(WHERE, 'WebCrypto (crypto.subtle) is unavailable here, and the weights need a SHA-256', {
      hint: 'browsers offer crypto.subtle on https:// and http://localhost pages only',
    });
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Packs a model into the archive: model.json first, then `weights-<sha256 prefix>.bin`.
 * @internal
 */
export async function modelToBytes(model: SavedModel): Promise<Uint8Array> {
  const { entries, bin } = encodeWeights(model);
  const sha256 = await sha256Hex(bin);
  // The name carries the content's hash twice over (a directory save adds a random tag instead); the same model gives the same name.
  const weightsFile = `weights-${sha256.slice(0, 8)}-${sha256.slice(8, 16)}.bin`;
  const json = new TextEncoder().encode(manifestJson(model, entries, weightsFile, sha256));
  const mtime = Date.now();
  return createTar([
    { name: 'model.json', data: json, attrs: { mode: '644', mtime } },
    { name: weightsFile, data: bin, attrs: { mode: '644', mtime } },
  ]);
}

/**
 * Reads and validates an archive made by {@link modelToBytes} (or `tar -c` of a model directory).
 * @throws {@link PersistenceError} when the bytes are not such an archive, a member is missing, or the weights are corrupt
 * @internal
 */
export async function modelFromBytes(source: ModelBytes, kind: SavedModel['kind']): Promise<SavedModel> {
  const view =
    source instanceof Uint8Array
      ? source
      : source instanceof ArrayBuffer
        ? new Uint8Array(source)
        : new Uint8Array(await readBlob(source));
  // The tar reader reads the view's whole buffer: give it one of its own.
  const bytes = view.byteOffset === 0 && view.byteLength === view.buffer.byteLength ? view : view.slice();
  let files: Array<{ name: string; type: string | undefined; data?: Uint8Array }>;
  try {
    files = parseTar(bytes);
  } catch (e) {
    throw new PersistenceError(
      WHERE,
      `not a saved stockcast model (a tar archive of model.json and its weights file): ${(e as Error).message}`,
      { cause: e },
    );
  }
  // A directory packed with `tar -c` may put members under a folder (dir/model.json): read the base names.
  const member = (name: string) =>
    files.find((f) => f.type !== 'directory' && f.name.replace(/^(\.\/)?([^/]*\/)*/, '') === name)?.data;
  const json = member('model.json');
  if (!json)
    throw new PersistenceError(
      `${WHERE}/model.json`,
      `missing: not a saved stockcast model (the archive holds ${files.length === 0 ? 'no files' : files.map((f) => f.name).join(', ')})`,
    );
  const manifestPath = `${WHERE}/model.json`;
  const m = parseManifest(new TextDecoder().decode(json), kind, manifestPath);
  const weightsName = m.weightsFile ?? 'weights.bin';
  const weightsPath = `${WHERE}/${weightsName}`;
  const bin = member(weightsName);
  if (!bin) throw new PersistenceError(weightsPath, 'missing: model.json names it, the archive does not hold it');
  if (m.sha256 !== undefined && (await sha256Hex(bin)) !== m.sha256)
    throw new PersistenceError(weightsPath, 'corrupt: its SHA-256 differs from the one model.json recorded');
  return { kind: m.kind, spec: m.spec, weights: decodeWeights(m, bin, manifestPath, weightsPath), payload: m.payload };
}

function readBlob(blob: BlobLike): Promise<ArrayBuffer> {
  if (typeof (blob as { arrayBuffer?: unknown }).arrayBuffer !== 'function')
    throw new PersistenceError(
      WHERE,
      `expected an ArrayBuffer, a Uint8Array or a Blob, received ${Object.prototype.toString.call(blob)}`,
    );
  return blob.arrayBuffer();
}
