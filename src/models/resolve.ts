/**
 * Model specs to registered models: `naive`, `seasonal:5`, `lstm`, `lstm+har` (a learned model on a base), a user's
 * registered name, or an object naming one with its options; the options are checked by the model's schema.
 */
import { z, type ZodType } from 'zod';
import { ValidationError } from '../errors.js';
import type { BaselineSpec } from './baselines/baselines.js';
import type { VarianceModelSpec } from './baselines/variance-baselines.js';
import type { ModelDefinition, ResolvedModel } from './contract.js';
import type { ForecasterOptions } from './recurrent/forecaster-options.js';
import { lookupModel, specHelp } from './registry.js';

/** A model to backtest: a spec string, or a registered model with its options. */
export type ModelSpec =
  | string
  | {
      /** The spec: a registered name, `name:N`, or `learned+base`. */
      model: string;
      /** The model's options (checked by its schema; for recurrent models, the forecaster options). */
      options?: Record<string, unknown>;
      /** Display name (default: the spec). */
      name?: string;
    }
  | {
      /** Display name (default: the spec string). */
      name?: string;
      /** @deprecated Use `{ model: 'seasonal:5' }`: a baseline object. */
      baseline: BaselineSpec;
    }
  | {
      /** Display name (default: the cell). */
      name?: string;
      /** @deprecated Use `{ model: 'lstm', options }`: recurrent forecaster options (the cell picks the spec). */
      forecaster: Partial<ForecasterOptions>;
    }
  | {
      /** Display name (default: ewma, har, garch or garch-t). */
      name?: string;
      /** @deprecated Use `{ model: 'ewma', options: { lambda } }`: an econometric baseline. */
      variance: VarianceModelSpec;
    };

/** Where a spec is resolved, and the backtest's options for learned models. */
export interface ResolveContext {
  /** Models that take forecaster options start from these (the backtest's `forecaster`); the spec's own options win. */
  forecaster?: Record<string, unknown> | undefined;
  /** Resolving for a panel: learned models use their panel options schema. */
  panel?: boolean;
}

/** A legacy object spec as a spec string and options. */
function fromLegacy(model: Exclude<ModelSpec, string>): {
  spec: string;
  options: Record<string, unknown>;
  name?: string | undefined;
} {
  if ('model' in model) return { spec: model.model, options: model.options ?? {}, name: model.name };
  if ('baseline' in model) {
    const b = model.baseline;
    return {
      spec: b.kind === 'seasonal' ? `seasonal:${b.m}` : b.kind === 'ma' ? `ma:${b.k}` : b.kind,
      options: {},
      name: model.name,
    };
  }
  if ('variance' in model) {
    const m = model.variance;
    const spec = m.kind === 'garch' ? (m.distribution === 'normal' ? 'garch' : 'garch-t') : m.kind;
    return { spec, options: m.kind === 'ewma' && m.lambda !== undefined ? { lambda: m.lambda } : {}, name: model.name };
  }
  const { cell, ...options } = model.forecaster;
  return { spec: cell ?? 'lstm', options, name: model.name };
}

/** The display name a spec gets, without resolving it (for duplicate checks and progress lines). */
export function modelName(model: ModelSpec): string {
  if (typeof model === 'string') return model;
  const legacy = fromLegacy(model);
  return legacy.name ?? legacy.spec;
}

/** Checks options with a schema, keeping what was given when the schema fills defaults the task may still decide. */
function checkOptions(
  d: ModelDefinition<Record<string, unknown>>,
  given: Record<string, unknown>,
  spec: string,
  panel: boolean,
): Record<string, unknown> {
  const schema = (panel ? (d.panelOptions ?? d.options) : d.options) as ZodType | undefined;
  if (!schema) return given;
  const parsed = schema.safeParse(given);
  if (!parsed.success) throw ValidationError.fromZod(`options of model "${spec}"`, parsed.error);
  // Learned models decide some defaults from the task (inputs for return targets), so they keep what was given.
  return d.learned ? given : (parsed.data as Record<string, unknown>);
}

async function resolvePart(
  part: string,
  given: Record<string, unknown>,
  ctx: ResolveContext,
  whole: string,
): Promise<ResolvedModel> {
  const m = /^([a-z][a-z0-9-]*)(?::([^:+\s]+))?$/.exec(part.trim());
  if (!m)
    throw new ValidationError('model spec', [
      {
        path: '',
        message: `unknown model "${whole}": expected one of ${specHelp()}, or a name given to registerModel`,
      },
    ]);
  const [, key, param] = m;
  const entry = await lookupModel(key, whole);
  const d = entry.definition;
  const options: Record<string, unknown> = { ...(d.forecaster ? ctx.forecaster : {}), ...given };
  if (param !== undefined) {
    if (!d.parameter)
      throw new ValidationError('model spec', [
        { path: '', message: `"${key}" takes no parameter: received "${part}"` },
      ]);
    const value = Number(param);
    if (!Number.isFinite(value))
      throw new ValidationError('model spec', [
        { path: d.parameter, message: `"${part}": the parameter ${d.parameter} must be a number` },
      ]);
    options[d.parameter] = value;
  } else if (d.parameter && options[d.parameter] === undefined && d.options && !d.options.safeParse(options).success) {
    throw new ValidationError('model spec', [
      {
        path: d.parameter,
        message: `"${key}" needs its parameter: ${key}:${d.parameter.toUpperCase()} (e.g. ${key}:5)`,
      },
    ]);
  }
  for (const [k, v] of Object.entries(d.presets ?? {})) {
    if (options[k] !== undefined && options[k] !== v)
      throw new ValidationError('model spec', [
        {
          path: k,
          message: `the spec "${key}" sets ${k} ${String(v)}: leave ${k} out, or use the spec "${String(options[k])}"`,
        },
      ]);
    options[k] = v;
  }
  return {
    name: part.trim(),
    key,
    spec: param !== undefined ? `${key}:${param}` : key,
    definition: d,
    options: checkOptions(d, options, part.trim(), ctx.panel === true),
    ...(entry.module ? { module: entry.module } : {}),
    builtin: entry.builtin,
  };
}

/**
 * Resolves a model spec through the registry: the definition, checked options (defaults filled, except for learned
 * models, whose defaults can depend on the target) and the display name.
 *
 * @param model - a spec string (`naive`, `seasonal:5`, `lstm`, `lstm+har`, a registered name) or `{ model, options, name }`
 * @param context - the backtest's forecaster options for learned models; whether the data is a panel
 * @returns the resolved model
 * @throws {@link ValidationError} for an unknown name (listing the registered ones) or invalid options
 * @example
 * ```ts
 * import { resolveModel } from 'stockcast';
 * const m = await resolveModel('seasonal:5');
 * m.options; // { m: 5 }
 * ```
 */
export async function resolveModel(model: ModelSpec, context: ResolveContext = {}): Promise<ResolvedModel> {
  const { spec, options, name } =
    typeof model === 'string' ? { spec: model, options: {}, name: undefined } : fromLegacy(model);
  if (typeof spec !== 'string' || spec.trim() === '')
    throw new ValidationError('model spec', [
      { path: '', message: `expected a model spec such as "naive" or "lstm": received ${JSON.stringify(spec)}` },
    ]);
  const parts = spec.split('+');
  if (parts.length > 2)
    throw new ValidationError('model spec', [
      { path: '', message: `"${spec}": a composition is learned+base (e.g. lstm+har), one base at most` },
    ]);
  const top = await resolvePart(parts[0], options, context, spec);
  if (parts.length === 2) {
    if (!top.definition.composes)
      throw new ValidationError('model spec', [
        { path: '', message: `"${spec}": ${top.key} does not sit on a base model` },
      ]);
    top.base = await resolvePart(parts[1], {}, { ...context, forecaster: undefined }, spec);
    top.spec = `${top.spec}+${top.base.spec}`;
  }
  top.name = name ?? spec.trim();
  return top;
}

/** A spec as it travels to worker threads and queue workers: the canonical spec and plain options. @internal */
export const ModelJobSchema = z
  .object({ spec: z.string().min(1).max(200), options: z.record(z.string(), z.unknown()) })
  .strict();
