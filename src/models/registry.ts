/**
 * The model registry: spec strings (`naive`, `seasonal:5`, `lstm+har`, a user's `my-model`) resolve here, for
 * backtests, comparisons, panels, sweeps, the CLI, the glossary and error messages alike. Built-in models and
 * users' models come in through the same door, {@link registerModel}.
 */
import { ValidationError } from '../errors.js';
import { BUILTIN_MODELS } from './builtins.js';
import type { ModelDefinition, ModelModule, ResolvedModel } from './contract.js';

type Entry =
  | {
      name: string;
      builtin: boolean;
      definition: ModelDefinition<Record<string, unknown>>;
      module?: { url: string; export: string };
    }
  | {
      name: string;
      builtin: false;
      definition?: undefined;
      module: { url: string; export: string };
      loading?: Promise<ModelDefinition<Record<string, unknown>>>;
    };

const entries = new Map<string, Entry>();
let builtinsLoaded = false;

const NAME = /^[a-z][a-z0-9-]*$/;

// Built-in models are entered on first use, before any user model, so they list first.
function ensureBuiltins(): void {
  if (builtinsLoaded) return;
  builtinsLoaded = true;
  for (const [name, definition] of BUILTIN_MODELS)
    entries.set(name, { name, builtin: true, definition: definition as ModelDefinition<Record<string, unknown>> });
}

/** A file path as a file URL (absolute POSIX or Windows paths), without Node's url module (the registry is portable). */
function fileUrl(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  return new URL(`file://${slashed.startsWith('/') ? '' : '/'}${encodeURI(slashed)}`).href;
}

function checkDefinition(name: string, d: unknown): asserts d is ModelDefinition<Record<string, unknown>> {
  const bad = (message: string) => new ValidationError('model definition', [{ path: name, message }]);
  if (!d || typeof d !== 'object') throw bad('expected an object with description and series(options, task, env)');
  const def = d as Partial<ModelDefinition>;
  if (typeof def.description !== 'string' || def.description.length === 0)
    throw bad('expected a description (a non-empty string)');
  if (typeof def.series !== 'function')
    throw bad('expected series(options, task, env), a function returning the model of one series');
  if (def.panel !== undefined && typeof def.panel !== 'function') throw bad('expected panel to be a function');
  if (def.options !== undefined && typeof (def.options as { safeParse?: unknown }).safeParse !== 'function')
    throw bad('expected options to be a zod schema');
}

function moduleUrl(m: ModelModule): { url: string; export: string } {
  const raw = m.module instanceof URL ? m.module.href : String(m.module);
  const url = /^[a-z][a-z0-9+.-]*:/i.test(raw) && !/^[a-z]:[\\/]/i.test(raw) ? raw : fileUrl(raw);
  return { url, export: m.export ?? 'default' };
}

/**
 * Registers a model under a name, so specs with that name run in `walkForward`, `compareModels`, panel backtests,
 * sweeps and the CLI, with the same origins, windows and leakage rules as the built-in models.
 *
 * Give the definition itself, and the model runs on the calling thread; or give the module that exports it
 * (`{ module: import.meta.url, export: 'myModel' }`), and worker threads import it too, so its fits can run in
 * parallel; `stockcast worker --module <file>` imports it on queue workers (a job never names code to load).
 *
 * @param name - lower-case letters, digits and dashes, starting with a letter; not a registered name
 * @param model - the definition, or the module that exports it
 * @throws {@link ValidationError} for a bad name, a name already registered, or a definition without
 *   `description` and `series`
 * @example
 * ```ts
 * import { registerModel, walkForward, readCsv } from 'stockcast';
 * registerModel('last-week', {
 *   description: 'the value five rows before each forecast step',
 *   series: (_options, task) => ({
 *     forecast: (data, folds) => ({
 *       values: folds.map((f) => Array.from({ length: task.horizon }, (_, h) => data.columnRef(task.target)[f.origin - 5 + (h % 5)])),
 *     }),
 *   }),
 *   history: () => 5,
 * });
 * const sp = await readCsv('fixtures/sp500-2000.csv');
 * const r = await walkForward(sp, 'last-week', { testSize: 50 });
 * r.metrics.count; // 50
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: a model of any options type registers; its schema checks them.
export function registerModel(name: string, model: ModelDefinition<any> | ModelModule): void {
  ensureBuiltins();
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new ValidationError('registerModel', [
      {
        path: 'name',
        message: `expected lower-case letters, digits and dashes starting with a letter: received ${JSON.stringify(name)}`,
      },
    ]);
  }
  const existing = entries.get(name);
  // The same registration twice is one (a module registering itself is imported again by worker threads).
  if (existing && !existing.builtin && isSame(existing, model)) return;
  if (existing) {
    throw new ValidationError('registerModel', [
      {
        path: 'name',
        message: `"${name}" is already registered${existing.builtin ? ' (a built-in model)' : ''}: choose another name, or unregisterModel("${name}") first`,
      },
    ]);
  }
  if (model && typeof model === 'object' && 'module' in model && !('series' in model)) {
    entries.set(name, { name, builtin: false, module: moduleUrl(model) });
    return;
  }
  checkDefinition(name, model);
  entries.set(name, { name, builtin: false, definition: model });
}

// biome-ignore lint/suspicious/noExplicitAny: as registerModel.
function isSame(e: Entry, model: ModelDefinition<any> | ModelModule): boolean {
  if (e.definition === model) return true;
  if (!e.module || !model || typeof model !== 'object' || !('module' in model) || 'series' in model) return false;
  const m = moduleUrl(model);
  return m.url === e.module.url && m.export === e.module.export;
}

/**
 * Removes a model a user registered.
 * @param name - the registered name
 * @returns whether it was registered
 * @throws {@link ValidationError} for a built-in model
 * @example
 * ```ts
 * import { registerModel, unregisterModel } from 'stockcast';
 * registerModel('zero', { description: 'zero', series: (_o, task) => ({ forecast: (_d, folds) => ({ values: folds.map(() => new Array(task.horizon).fill(0)) }) }) });
 * unregisterModel('zero'); // true
 * unregisterModel('zero'); // false
 * ```
 */
export function unregisterModel(name: string): boolean {
  ensureBuiltins();
  const e = entries.get(name);
  if (e?.builtin)
    throw new ValidationError('unregisterModel', [
      { path: 'name', message: `"${name}" is a built-in model and stays registered` },
    ]);
  return entries.delete(name);
}

/** A registered model, as {@link listModels} describes it. */
export interface ModelInfo {
  /** Its name in specs. */
  name: string;
  /** One line on what it is (undefined for a module not loaded yet). */
  description?: string;
  /** `name:N` sets this option. */
  parameter?: string;
  /** Whether it trains (a fresh instance per refit, which may run on worker threads). */
  learned: boolean;
  /** Whether it takes the backtest's `forecaster` options. */
  forecaster: boolean;
  /** Whether it sits on top of a base model (`lstm+har`). */
  composes: boolean;
  /** Built into the SDK. */
  builtin: boolean;
  /** The module URL of a model registered by module. */
  module?: string;
}

/**
 * Every registered model, built-in ones first, in the order they were registered.
 * @returns one entry per name
 * @example
 * ```ts
 * import { listModels } from 'stockcast';
 * listModels().map((m) => m.name); // ['naive', 'drift', 'mean', 'seasonal', 'ma', 'ewma', ...]
 * ```
 */
export function listModels(): ModelInfo[] {
  ensureBuiltins();
  return [...entries.values()].map((e) => ({
    name: e.name,
    ...(e.definition ? { description: e.definition.description } : {}),
    ...(e.definition?.parameter ? { parameter: e.definition.parameter } : {}),
    learned: e.definition?.learned === true,
    forecaster: e.definition?.forecaster === true,
    composes: e.definition?.composes === true,
    builtin: e.builtin,
    ...(e.module ? { module: e.module.url } : {}),
  }));
}

/** The specs the registry accepts, for messages: `naive, drift, seasonal:M, ...`. @internal */
export function specHelp(): string {
  return listModels()
    .map((m) => (m.parameter ? `${m.name}:${m.parameter.toUpperCase()}` : m.name))
    .join(', ');
}

/** Imports a module-registered model's definition (once). @internal */
export async function loadModule(name: string): Promise<void> {
  const e = entries.get(name);
  if (!e || e.definition || !e.module) return;
  e.loading ??= import(e.module.url).then((mod: Record<string, unknown>) => {
    const d = mod[e.module.export];
    if (d === undefined)
      throw new ValidationError('registerModel', [
        { path: name, message: `module ${e.module.url} has no export "${e.module.export}"` },
      ]);
    checkDefinition(name, d);
    return d;
  });
  const definition = await e.loading;
  entries.set(name, { name, builtin: false, definition, module: e.module });
}

/** The model modules registered in this thread, for worker threads to import. @internal */
export function registeredModules(): Array<{ name: string; url: string; export: string }> {
  return [...entries.values()].filter((e) => !e.builtin && e.module).map((e) => ({ name: e.name, ...e.module! }));
}

/** Registers module models in a worker thread (what {@link registeredModules} listed in its parent). @internal */
export async function importModules(
  modules: ReadonlyArray<{ name: string; url: string; export: string }>,
): Promise<void> {
  ensureBuiltins();
  for (const m of modules) {
    if (!entries.has(m.name))
      entries.set(m.name, { name: m.name, builtin: false, module: { url: m.url, export: m.export } });
    await loadModule(m.name);
  }
}

/** The entry of a name, loading a module model; a ValidationError listing the registered names otherwise. @internal */
export async function lookupModel(
  name: string,
  spec: string,
): Promise<Entry & { definition: ModelDefinition<Record<string, unknown>> }> {
  ensureBuiltins();
  const e = entries.get(name);
  if (!e) {
    throw new ValidationError('model spec', [
      { path: '', message: `unknown model "${spec}": expected one of ${specHelp()}, or a name given to registerModel` },
    ]);
  }
  if (!e.definition) await loadModule(name);
  return entries.get(name) as Entry & { definition: ModelDefinition<Record<string, unknown>> };
}

/** Whether a name is registered (module models count before they load). @internal */
export function isRegistered(name: string): boolean {
  ensureBuiltins();
  return entries.has(name);
}

/** @internal */
export type { ResolvedModel };
