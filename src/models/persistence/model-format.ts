/**
 * The saved-model format, the same on disk and in bytes: `model.json` (spec, options, fitted state, and the
 * name, offset and shape of every weight) beside one little-endian float32 weights file with its SHA-256.
 */
import { z } from 'zod';
import { CELLS } from '../../vocabulary.js';
import { PersistenceError } from '../../errors.js';
import { weightShapes, type RecurrentSpec, type RecurrentWeights } from '../engines/weights.js';

/** The `format` field of every model.json. @internal */
export const FORMAT = 'stockcast-model';

const SpecSchema = z.preprocess(
  // Format 1 (stockcast 0.1) spelled the shape in PyTorch's words; read it in the SDK's.
  (v) =>
    v && typeof v === 'object' && 'hiddenSize' in v
      ? (({ hiddenSize, numLayers, ...rest }: Record<string, unknown>) => ({
          ...rest,
          units: hiddenSize,
          layers: numLayers,
        }))(v as Record<string, unknown>)
      : v,
  z.object({
    cell: z.enum(CELLS),
    inputSize: z.number().int().positive(),
    units: z.number().int().positive(),
    layers: z.number().int().positive(),
    outputSize: z.number().int().positive(),
  }),
);

const ManifestSchema = z.object({
  format: z.literal(FORMAT),
  version: z.union([z.literal(1), z.literal(2)]),
  kind: z.enum(['forecaster', 'charrnn', 'global-forecaster', 'volatility-model']),
  spec: SpecSchema,
  /** Format 2: the weights file this manifest names, and its SHA-256 (format 1: `weights.bin`, unchecked). */
  weightsFile: z
    .string()
    .regex(/^weights-[0-9a-f]{8}-[0-9a-f]{8}\.bin$/)
    .optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  weights: z.array(
    z.object({
      name: z.string(),
      shape: z.array(z.number().int().nonnegative()),
      offset: z.number().int().nonnegative(),
      length: z.number().int().nonnegative(),
    }),
  ),
  payload: z.record(z.string(), z.unknown()),
});

/** What a saved model holds, after validation. @internal */
export interface SavedModel {
  kind: 'forecaster' | 'charrnn' | 'global-forecaster' | 'volatility-model';
  spec: RecurrentSpec;
  /** The weights; of a `volatility-model`, every member's, named `m<k>.<weight>` (`payload.members` of them). */
  weights: RecurrentWeights;
  payload: Record<string, unknown>;
}

/** A validated model.json. @internal */
export type Manifest = z.output<typeof ManifestSchema>;
/** Where each weight sits in the weights file. @internal */
export type WeightEntry = Manifest['weights'][number];

/** The weights file (little-endian float32, in the order of `weightShapes`) and where each weight sits in it. @internal */
export function encodeWeights(model: SavedModel): { entries: WeightEntry[]; bin: Uint8Array } {
  let offset = 0;
  const entries = savedShapes(model.kind, model.spec, model.payload, 'model').map(([name, shape]) => {
    const length = model.weights[name].length;
    const entry = { name, shape, offset, length };
    offset += length * 4;
    return entry;
  });
  const bin = new Uint8Array(offset);
  const view = new DataView(bin.buffer);
  for (const m of entries) model.weights[m.name].forEach((v, i) => view.setFloat32(m.offset + i * 4, v, true));
  return { entries, bin };
}

/** The text of model.json (format 2) for a weights file of that name and SHA-256. @internal */
export function manifestJson(model: SavedModel, entries: WeightEntry[], weightsFile: string, sha256: string): string {
  return JSON.stringify(
    {
      format: FORMAT,
      version: 2,
      kind: model.kind,
      spec: model.spec,
      weightsFile,
      sha256,
      weights: entries,
      payload: model.payload,
    },
    null,
    2,
  );
}

/**
 * Parses and validates model.json.
 * @throws {@link PersistenceError} naming `where` for corrupt JSON, a wrong format or the wrong kind of model
 * @internal
 */
export function parseManifest(text: string, kind: SavedModel['kind'], where: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PersistenceError(where, `corrupt JSON: ${(e as Error).message}`, { cause: e });
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PersistenceError(where, `not a valid stockcast model: ${issue.path.join('.')}: ${issue.message}`);
  }
  if (parsed.data.kind !== kind) throw new PersistenceError(where, `holds a ${parsed.data.kind}, not a ${kind}`);
  return parsed.data;
}

/**
 * Reads every weight the spec needs from the weights file, checking lengths and bounds.
 * @throws {@link PersistenceError} naming the manifest or the weights file
 * @internal
 */
export function decodeWeights(
  m: Manifest,
  bin: Uint8Array,
  manifestPath: string,
  weightsPath: string,
): RecurrentWeights {
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  const weights: RecurrentWeights = {};
  for (const [name, shape] of savedShapes(m.kind, m.spec, m.payload, manifestPath)) {
    const entry = m.weights.find((w) => w.name === name);
    const length = shape.reduce((a, b) => a * b, 1);
    if (!entry || entry.length !== length)
      throw new PersistenceError(
        manifestPath,
        `weight ${name}: expected ${length} values for shape [${shape.join(', ')}], found ${entry ? entry.length : 'none'}`,
      );
    if (entry.offset + length * 4 > bin.length)
      throw new PersistenceError(
        weightsPath,
        `truncated: ${name} needs bytes up to ${entry.offset + length * 4}, the file has ${bin.length}`,
      );
    const values = new Float32Array(length);
    for (let i = 0; i < length; i++) values[i] = view.getFloat32(entry.offset + i * 4, true);
    weights[name] = values;
  }
  return weights;
}

/**
 * The saved weights' names and shapes, in file order: the spec's, or for a `volatility-model` (a seed ensemble)
 * each member's in turn, named `m<k>.<weight>`.
 * @throws {@link PersistenceError} naming `where` when a volatility model's member count is not a whole number >= 0
 * @internal
 */
export function savedShapes(
  kind: SavedModel['kind'],
  spec: RecurrentSpec,
  payload: Record<string, unknown>,
  where: string,
): Array<[string, number[]]> {
  const shapes = weightShapes(spec);
  if (kind !== 'volatility-model') return shapes;
  const members = payload.members;
  if (typeof members !== 'number' || !Number.isInteger(members) || members < 0)
    throw new PersistenceError(
      where,
      `payload.members: expected a whole number of networks >= 0, found ${String(members)}`,
    );
  return Array.from({ length: members }, (_, k) =>
    shapes.map(([name, shape]): [string, number[]] => [memberWeight(k, name), shape]),
  ).flat();
}

/** A seed member's weight as a saved `volatility-model` names it: `m<k>.<weight>`. */
const memberWeight = (k: number, name: string) => `m${k}.${name}`;

/** The members' weights as one saved set, each named by {@link savedShapes}. @internal */
export function joinMembers(members: readonly RecurrentWeights[]): RecurrentWeights {
  const weights: RecurrentWeights = {};
  members.forEach((w, k) => {
    for (const [name, values] of Object.entries(w)) weights[memberWeight(k, name)] = values;
  });
  return weights;
}

/** The saved set's `count` members, each with its weights' own names. @internal */
export function splitMembers(weights: RecurrentWeights, count: number): RecurrentWeights[] {
  return Array.from({ length: count }, (_, k) => {
    const prefix = memberWeight(k, '');
    return Object.fromEntries(
      Object.entries(weights)
        .filter(([name]) => name.startsWith(prefix))
        .map(([name, values]) => [name.slice(prefix.length), values]),
    );
  });
}
