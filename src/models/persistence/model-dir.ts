/** Model directories on disk (Node.js): `model.json` naming a float32 weights file; crash-safe saves, validated loads. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { PersistenceError } from '../../errors.js';
import { atomicWriteFile, faultPoint, syncDirectory } from '../../util/fs.js';
import { decodeWeights, encodeWeights, manifestJson, parseManifest, type SavedModel } from './model-format.js';

/**
 * Saves a model directory so that a complete model (the old one or the new one) can be loaded from it at every
 * instant: the weights go to a new content-named file (`weights-<sha256 prefix>.bin`), then `model.json`, which
 * names that file, replaces the old manifest in one atomic rename, and the directory is flushed to disk (so the
 * rename survives a power loss); only then are weight files that nothing names removed. A save interrupted at any step leaves the previous model loadable (and at worst a stray weights file,
 * removed by the next save).
 * @internal
 */
export async function writeModelDir(dir: string, model: SavedModel): Promise<void> {
  const target = resolve(dir);
  const { entries: manifest, bin } = encodeWeights(model);
  const sha256 = createHash('sha256').update(bin).digest('hex');
  // A new name for every save: a file some committed manifest names is never rewritten, so a concurrent save
  // of the same weights cannot remove what another manifest is about to name.
  const weightsFile = `weights-${sha256.slice(0, 8)}-${randomBytes(4).toString('hex')}.bin`;
  try {
    // A new directory's own name must survive a power loss as well as the files in it.
    if ((await mkdir(target, { recursive: true })) !== undefined) await syncDirectory(dirname(target));
    const previous = await namedWeights(target);
    await atomicWriteFile(join(target, weightsFile), bin);
    faultPoint('weights-written', target);
    await atomicWriteFile(join(target, 'model.json'), manifestJson(model, manifest, weightsFile, sha256));
    faultPoint('manifest-replaced', target);
    // atomicWriteFile flushed the directory after the rename: a power loss can no longer bring back the old manifest
    // once its weights are gone. Remove what no manifest names any more: the previous model's weights, and leftovers of saves that crashed
    // over an hour ago (younger ones may belong to a save still running in another process).
    const current = await namedWeights(target);
    if (previous !== undefined && previous !== current) await rm(join(target, previous), { force: true });
    for (const name of await readdir(target)) {
      if (name === current || !/^(weights(-[0-9a-f]{8}-[0-9a-f]{8})?\.bin|\.[0-9a-f]{12}\.tmp)$/.test(name)) continue;
      const info = await stat(join(target, name)).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > STALE_MS) await rm(join(target, name), { force: true });
    }
  } catch (e) {
    throw new PersistenceError(target, `could not save the model: ${(e as Error).message}`, { cause: e });
  }
}

const STALE_MS = 3_600_000;

/** The weights file the directory's current manifest names, if it has a readable one. */
async function namedWeights(dir: string): Promise<string | undefined> {
  try {
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as { weightsFile?: unknown };
    return typeof json.weightsFile === 'string' ? json.weightsFile : 'weights.bin';
  } catch {
    return undefined;
  }
}

/**
 * Reads and validates a model directory.
 * @throws {@link PersistenceError} naming the missing or corrupt file
 * @internal
 */
export async function readModelDir(dir: string, kind: SavedModel['kind']): Promise<SavedModel> {
  // A save in another process may replace the manifest and remove the weights it named between our two reads:
  // the manifest then names newer weights, so read again (a bounded number of times).
  for (let attempt = 1; ; attempt++) {
    try {
      return await readModelOnce(dir, kind);
    } catch (e) {
      const missing =
        e instanceof PersistenceError &&
        (e.cause as { code?: string } | undefined)?.code === 'ENOENT' &&
        !e.file.endsWith('model.json');
      if (!missing || attempt >= 5) throw e;
    }
  }
}

async function readModelOnce(dir: string, kind: SavedModel['kind']): Promise<SavedModel> {
  const manifestPath = join(dir, 'model.json');
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (e) {
    throw new PersistenceError(manifestPath, 'missing or unreadable: not a saved stockcast model directory', {
      cause: e,
    });
  }
  const m = parseManifest(text, kind, manifestPath);
  const weightsPath = join(dir, m.weightsFile ?? 'weights.bin');
  let bin: Buffer;
  try {
    bin = await readFile(weightsPath);
  } catch (e) {
    throw new PersistenceError(weightsPath, 'missing or unreadable', { cause: e });
  }
  if (m.sha256 !== undefined && createHash('sha256').update(bin).digest('hex') !== m.sha256) {
    throw new PersistenceError(weightsPath, 'corrupt: its SHA-256 differs from the one model.json recorded');
  }
  return { kind: m.kind, spec: m.spec, weights: decodeWeights(m, bin, manifestPath, weightsPath), payload: m.payload };
}
