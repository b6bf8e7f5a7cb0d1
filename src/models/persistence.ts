/** Model directories: `model.json` (spec, options, fitted state) naming a float32 weights file; crash-safe saves, validated loads. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { PersistenceError } from '../errors.js';
import { atomicWriteFile, faultPoint } from '../util/fs.js';
import { weightShapes, type RecurrentSpec, type RecurrentWeights } from './weights.js';

const FORMAT = 'stockcast-model';

const SpecSchema = z.preprocess(
  // Format 1 (stockcast 0.1) spelled the shape in PyTorch's words; read it in the SDK's.
  (v) => (v && typeof v === 'object' && 'hiddenSize' in v ? (({ hiddenSize, numLayers, ...rest }: Record<string, unknown>) => ({ ...rest, units: hiddenSize, layers: numLayers }))(v as Record<string, unknown>) : v),
  z.object({
    cell: z.enum(['rnn', 'lstm', 'gru']),
    inputSize: z.number().int().positive(),
    units: z.number().int().positive(),
    layers: z.number().int().positive(),
    outputSize: z.number().int().positive(),
  }),
);

const ManifestSchema = z.object({
  format: z.literal(FORMAT),
  version: z.union([z.literal(1), z.literal(2)]),
  kind: z.enum(['forecaster', 'charrnn', 'global-forecaster']),
  spec: SpecSchema,
  /** Format 2: the weights file this manifest names, and its SHA-256 (format 1: `weights.bin`, unchecked). */
  weightsFile: z.string().regex(/^weights-[0-9a-f]{8}-[0-9a-f]{8}\.bin$/).optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  weights: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()), offset: z.number().int().nonnegative(), length: z.number().int().nonnegative() })),
  payload: z.record(z.string(), z.unknown()),
});

/** What a model directory holds, after validation. @internal */
export interface SavedModel {
  kind: 'forecaster' | 'charrnn' | 'global-forecaster';
  spec: RecurrentSpec;
  weights: RecurrentWeights;
  payload: Record<string, unknown>;
}

/**
 * Saves a model directory so that a complete model (the old one or the new one) can be loaded from it at every
 * instant: the weights go to a new content-named file (`weights-<sha256 prefix>.bin`), then `model.json`, which
 * names that file, replaces the old manifest in one atomic rename; only then are weight files that nothing names
 * removed. A save interrupted at any step leaves the previous model loadable (and at worst a stray weights file,
 * removed by the next save).
 * @internal
 */
export async function writeModelDir(dir: string, model: SavedModel): Promise<void> {
  const target = resolve(dir);
  const entries = weightShapes(model.spec);
  let offset = 0;
  const manifest = entries.map(([name, shape]) => {
    const length = model.weights[name].length;
    const entry = { name, shape, offset, length };
    offset += length * 4;
    return entry;
  });
  const bin = new Uint8Array(offset);
  const view = new DataView(bin.buffer);
  for (const m of manifest) model.weights[m.name].forEach((v, i) => view.setFloat32(m.offset + i * 4, v, true));
  const sha256 = createHash('sha256').update(bin).digest('hex');
  // A new name for every save: a file some committed manifest names is never rewritten, so a concurrent save
  // of the same weights cannot remove what another manifest is about to name.
  const weightsFile = `weights-${sha256.slice(0, 8)}-${randomBytes(4).toString('hex')}.bin`;
  try {
    await mkdir(target, { recursive: true });
    const previous = await namedWeights(target);
    await atomicWriteFile(join(target, weightsFile), bin);
    faultPoint('weights-written', target);
    const json = { format: FORMAT, version: 2, kind: model.kind, spec: model.spec, weightsFile, sha256, weights: manifest, payload: model.payload };
    await atomicWriteFile(join(target, 'model.json'), JSON.stringify(json, null, 2));
    faultPoint('manifest-replaced', target);
    // Remove what no manifest names any more: the previous model's weights, and leftovers of saves that crashed
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
      const missing = e instanceof PersistenceError && (e.cause as { code?: string } | undefined)?.code === 'ENOENT' && !e.file.endsWith('model.json');
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
    throw new PersistenceError(manifestPath, 'missing or unreadable: not a saved stockcast model directory', { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PersistenceError(manifestPath, `corrupt JSON: ${(e as Error).message}`, { cause: e });
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PersistenceError(manifestPath, `not a valid stockcast model: ${issue.path.join('.')}: ${issue.message}`);
  }
  const m = parsed.data;
  if (m.kind !== kind) throw new PersistenceError(manifestPath, `holds a ${m.kind}, not a ${kind}`);
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
  const weights: RecurrentWeights = {};
  for (const [name, shape] of weightShapes(m.spec)) {
    const entry = m.weights.find((w) => w.name === name);
    const length = shape.reduce((a, b) => a * b, 1);
    if (!entry || entry.length !== length) throw new PersistenceError(manifestPath, `weight ${name}: expected ${length} values for shape [${shape.join(', ')}], found ${entry ? entry.length : 'none'}`);
    if (entry.offset + length * 4 > bin.length) throw new PersistenceError(weightsPath, `truncated: ${name} needs bytes up to ${entry.offset + length * 4}, the file has ${bin.length}`);
    const values = new Float32Array(length);
    for (let i = 0; i < length; i++) values[i] = bin.readFloatLE(entry.offset + i * 4);
    weights[name] = values;
  }
  return { kind: m.kind, spec: m.spec, weights, payload: m.payload };
}
