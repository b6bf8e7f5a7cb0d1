/** Model directories: `model.json` (spec, options, fitted state) + `weights.bin` (float32), written atomically, validated on load. */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { PersistenceError } from '../errors.js';
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
 * Writes a model directory atomically: everything goes to a hidden sibling folder that is renamed into place,
 * so an interrupted save (Ctrl-C, a crash) never leaves a half-written model behind.
 * @internal
 */
export async function writeModelDir(dir: string, model: SavedModel): Promise<void> {
  const target = resolve(dir);
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const tag = randomBytes(6).toString('hex');
  const tmp = join(parent, `.${basename(target)}.tmp-${tag}`);
  const old = join(parent, `.${basename(target)}.old-${tag}`);
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
  try {
    await mkdir(tmp);
    await writeFile(join(tmp, 'weights.bin'), bin);
    await writeFile(join(tmp, 'model.json'), JSON.stringify({ format: FORMAT, version: 2, kind: model.kind, spec: model.spec, weights: manifest, payload: model.payload }, null, 2));
    let replaced = false;
    try {
      await rename(target, old);
      replaced = true;
    } catch {
      // No previous model at this path.
    }
    await rename(tmp, target);
    if (replaced) await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw new PersistenceError(target, `could not save the model: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Reads and validates a model directory.
 * @throws {@link PersistenceError} naming the missing or corrupt file
 * @internal
 */
export async function readModelDir(dir: string, kind: SavedModel['kind']): Promise<SavedModel> {
  const manifestPath = join(dir, 'model.json');
  const weightsPath = join(dir, 'weights.bin');
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
  let bin: Buffer;
  try {
    bin = await readFile(weightsPath);
  } catch (e) {
    throw new PersistenceError(weightsPath, 'missing or unreadable', { cause: e });
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
