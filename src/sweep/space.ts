/** Search spaces of a sweep: which model options vary, as lists of values or ranges, checked against the vocabulary or the model's own schema. */
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { ResolvedModel } from '../models/contract.js';
import { retiredSpellings, vocabulary, type Word } from '../vocabulary.js';

/** The forecaster options a sweep can vary. */
export const TUNABLE_OPTIONS = [
  'cell',
  'units',
  'layers',
  'dropout',
  'lookback',
  'epochs',
  'batchSize',
  'learningRate',
  'optimizer',
  'clipNorm',
  'scaler',
  'windowNorm',
] as const;

/** A forecaster option a sweep can vary. */
export type TunableOption = (typeof TUNABLE_OPTIONS)[number];

/** A range of numbers: sampled uniformly, or log-uniformly with `scale: 'log'`; integer options draw integers. */
export interface Range {
  /** Lowest value. */
  min: number;
  /** Highest value. */
  max: number;
  /** `linear` (default) or `log` (min must be above 0). */
  scale?: 'linear' | 'log';
}

/** One dimension: a list of values (a grid's axis, or drawn from uniformly) or a range. */
export type Dimension = ReadonlyArray<number | string> | Range;

/** What a sweep searches: model options (forecaster options for recurrent models) mapped to dimensions. */
export type SearchSpace = Partial<Record<TunableOption, Dimension>> & Record<string, Dimension>;

/** One point of a space: a value per option. */
export type Params = Partial<Record<TunableOption, number | string>> & Record<string, number | string>;

/** How a sweep reads one option: its check, whether it takes numbers or integers only, and what it accepts. */
export interface OptionAxis {
  check(value: unknown): boolean;
  numeric: boolean;
  integer: boolean;
  expects: string;
}

const axisOfWord = (word: Word): OptionAxis => ({
  check: (x) => word.schema.safeParse(x).success,
  numeric: isNumeric(word),
  integer: isInteger(word),
  expects: word.expects,
});

/**
 * The options a sweep can vary for a model: the tunable forecaster options (from the vocabulary) for models that
 * take them, otherwise the keys of the model's own options schema (a zod object).
 * @internal
 */
export function optionAxes(model?: ResolvedModel): Map<string, OptionAxis> {
  if (!model || model.definition.forecaster)
    return new Map(TUNABLE_OPTIONS.map((name) => [name, axisOfWord(vocabulary[name])]));
  const shape = (model.definition.options as { shape?: Record<string, z.ZodType> } | undefined)?.shape ?? {};
  return new Map(
    Object.entries(shape).map(([name, schema]) => {
      const ok = (x: unknown) => schema.safeParse(x).success;
      return [
        name,
        {
          check: ok,
          numeric: ok(1) || ok(0.5),
          integer: ok(2) && !ok(2.5),
          expects: `a value ${model.key}'s ${name} accepts`,
        },
      ];
    }),
  );
}

const RangeSchema = z
  .object({
    /** Lowest value. */
    min: z.number(),
    /** Highest value. */
    max: z.number(),
    /** `linear` (default) or `log`. */
    scale: z.union([z.literal('linear'), z.literal('log')]).optional(),
  })
  .strict();
const DimensionSchema = z.union([
  z
    .array(z.union([z.number(), z.string()]))
    .min(1)
    .readonly(),
  RangeSchema,
]);

/** The space as accepted by {@link sweep}: every key a tunable option, every value a list or a range. */
export const SearchSpaceSchema = z.record(z.string(), DimensionSchema);

/** Whether a word takes integers only. */
export function isInteger(word: Word): boolean {
  return word.schema.safeParse(2).success && !word.schema.safeParse(2.5).success;
}

function isNumeric(word: Word): boolean {
  return word.schema.safeParse(1).success || word.schema.safeParse(0.5).success;
}

/**
 * Checks a space: known options only, each value within its option's range, ranges only for numbers.
 * @throws {@link ValidationError} naming the option and what it accepts
 * @internal
 */
export function checkSpace(
  space: Record<string, z.output<typeof DimensionSchema>>,
  axes: Map<string, OptionAxis> = optionAxes(),
): SearchSpace {
  const issues: Array<{ path: string; message: string }> = [];
  const names = Object.keys(space);
  if (names.length === 0) issues.push({ path: 'space', message: 'expected at least one option to vary' });
  for (const [name, dim] of Object.entries(space)) {
    const axis = axes.get(name);
    if (!axis) {
      issues.push({
        path: `space.${name}`,
        message: `not an option a sweep can vary; expected one of ${[...axes.keys()].join(', ') || '(none: the model has no options schema)'}`,
      });
      continue;
    }
    if (Array.isArray(dim)) {
      const bad = dim.filter((x) => !axis.check(x));
      if (bad.length > 0)
        issues.push({
          path: `space.${name}`,
          message: `expected ${axis.expects}, received ${bad.map((x) => JSON.stringify(x)).join(', ')}`,
        });
      if (new Set(dim).size !== dim.length) issues.push({ path: `space.${name}`, message: 'a value is listed twice' });
    } else {
      const r = dim as Range;
      if (!axis.numeric)
        issues.push({
          path: `space.${name}`,
          message: `a range needs a numeric option; ${name} takes ${axis.expects}: give a list`,
        });
      else if (
        !axis.check(axis.integer ? Math.ceil(r.min) : r.min) ||
        !axis.check(axis.integer ? Math.floor(r.max) : r.max)
      )
        issues.push({ path: `space.${name}`, message: `the range ${r.min}..${r.max} leaves ${axis.expects}` });
      else if (r.min > r.max) issues.push({ path: `space.${name}`, message: `min ${r.min} is above max ${r.max}` });
      else if (r.scale === 'log' && r.min <= 0)
        issues.push({ path: `space.${name}`, message: 'a log range needs min above 0' });
    }
  }
  if (issues.length > 0) throw new ValidationError('sweep space', issues);
  return space as SearchSpace;
}

function genericDimension(values: string, bad: (m: string) => ValidationError): Dimension {
  const range = /^(.+?)\.\.(.+?)(?::(log|linear))?$/i.exec(values);
  if (range) {
    const [min, max] = [Number(range[1]), Number(range[2])];
    if (!Number.isFinite(min) || !Number.isFinite(max)) throw bad('a range is lo..hi with two numbers');
    return { min, max, ...(range[3] ? { scale: range[3].toLowerCase() as 'log' | 'linear' } : {}) };
  }
  const items = values
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw bad('expected a list or a range');
  return items.map((s) => (Number.isFinite(Number(s)) ? Number(s) : s));
}

/**
 * Parses one `--space` argument: `name=a,b,c` (a list), `name=lo..hi` (a range) or `name=lo..hi:log`, where the
 * name is the option's CLI flag without dashes (`learning-rate`) or its API name (`learningRate`); another name is
 * taken as an option of the model's own schema (a registered model's), checked when the sweep starts.
 * @param text - the argument
 * @returns the option and its dimension
 * @throws {@link ValidationError} naming the argument and what was expected
 * @example
 * ```ts
 * import { parseSpaceArg } from 'stockcast';
 * parseSpaceArg('learning-rate=1e-4..1e-2:log'); // ['learningRate', { min: 0.0001, max: 0.01, scale: 'log' }]
 * parseSpaceArg('units=16,32,64'); // ['units', [16, 32, 64]]
 * ```
 */
export function parseSpaceArg(text: string): [string, Dimension] {
  const bad = (message: string) => new ValidationError('--space', [{ path: '', message: `${message} (in "${text}")` }]);
  const eq = text.indexOf('=');
  if (eq <= 0) throw bad('expected name=values (units=16,32,64), name=lo..hi (lookback=20..60) or name=lo..hi:log');
  const raw = text.slice(0, eq).trim();
  const name = TUNABLE_OPTIONS.find((o) => o === raw || vocabulary[o].flag === `--${raw}`);
  const values = text.slice(eq + 1).trim();
  // Another model's option (a registered model's schema): checked against the model when the sweep starts.
  if (!name) {
    const retired =
      retiredSpellings[raw] ?? retiredSpellings[raw.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())];
    if (retired) throw bad(`unknown option "${raw}": the SDK calls it ${vocabulary[retired].flag!.slice(2)}`);
    // An SDK word that a sweep does not vary (seed, target, ...) is set with its own flag, not searched.
    const word = (Object.values(vocabulary) as Word[]).find((w) => w.option === raw || w.flag === `--${raw}`);
    if (word)
      throw bad(
        `unknown option "${raw}": a sweep varies ${TUNABLE_OPTIONS.map((o) => vocabulary[o].flag!.slice(2)).join(', ')}, or a model's own options; set ${word.flag ?? raw} on its own`,
      );
    if (!/^[a-zA-Z][a-zA-Z0-9]*$/.test(raw))
      throw bad(
        `unknown option "${raw}": expected one of ${TUNABLE_OPTIONS.map((o) => vocabulary[o].flag!.slice(2)).join(', ')}, or an option name of the model`,
      );
    return [raw, genericDimension(values, bad)];
  }
  const word: Word = vocabulary[name];
  const range = /^(.+?)\.\.(.+?)(?::(log|linear))?$/i.exec(values);
  let dim: Dimension;
  if (range) {
    const [min, max] = [Number(range[1]), Number(range[2])];
    if (!Number.isFinite(min) || !Number.isFinite(max)) throw bad(`${name}: a range is lo..hi with two numbers`);
    dim = { min, max, ...(range[3] ? { scale: range[3].toLowerCase() as 'log' | 'linear' } : {}) };
  } else {
    const items = values
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (items.length === 0) throw bad(`${name}: expected a list or a range`);
    dim = items.map((s) => (isNumeric(word) && s !== '' && Number.isFinite(Number(s)) ? Number(s) : s));
  }
  try {
    checkSpace({ [name]: dim as z.output<typeof DimensionSchema> });
  } catch (e) {
    throw bad(`${name}: ${(e as ValidationError).issues.map((i) => i.message).join('; ')}`);
  }
  return [name, dim];
}
