/**
 * The one table of recurrent defaults per target kind, and the one function that applies it: prices keep the
 * forecaster's defaults, returns get standardized inputs, and volatility or variance targets get a hybrid on an
 * econometric base (docs/volatility-and-risk.md). An option the user gives always wins.
 */
import { vocabulary as v } from '../../vocabulary.js';
import type { ModelTask, ResolvedModel } from '../contract.js';
import { varianceModels } from '../baselines/variance-models.js';
import { harModels } from '../econometric/har-models.js';
import type { CorrectionOptions } from './correction-net.js';
import { ForecasterFields } from './forecaster-options.js';
import type { AdjustedOption } from './training.js';

/**
 * The volatility defaults: options a recurrent model (`rnn`, `lstm`, `gru`) on a volatility or variance target
 * takes when the user gives none. The networks correct the base's log-variance forecast (head at zero: the start
 * is the base), read a month of log variances with their weekly and monthly means (and the signed returns when
 * the target comes from prices), train on QLIKE, and three seeds are averaged.
 */
export const VOLATILITY_DEFAULTS = {
  lookback: 10,
  units: 16,
  epochs: 20,
  batchSize: 64,
  learningRate: 0.003,
  loss: 'qlike',
  clipNorm: 1,
  seeds: 3,
} as const satisfies Partial<CorrectionOptions>;

/**
 * Options that only a plain network has: given on a volatility target without a base, they keep the plain
 * network (the user chose it); with a base (`lstm+garch`) they are refused.
 */
export const PLAIN_NETWORK_OPTIONS = [
  'features',
  'scaler',
  'windowNorm',
  'quantiles',
  'coverage',
  'calibration',
] as const;

/** What the defaults decided for one model and task, recorded in `training.defaults`. @internal */
export interface RecurrentPlan {
  /** `hybrid`: a base model's forecast corrected by the networks; `plain`: the forecaster alone. */
  kind: 'hybrid' | 'plain';
  /**
   * The hybrid's bases: the one named (`lstm+garch`), or the default candidates, of which each fit keeps the one
   * with the lowest QLIKE at its training origins (the first on a tie or with too few windows).
   */
  bases?: ResolvedModel[];
  /** Options the defaults set (the user gave none of them). */
  applied: AdjustedOption[];
}

const isPositiveTarget = (task: ModelTask) => task.targetKind === 'volatility' || task.targetKind === 'variance';

/**
 * The candidate bases, in order of preference: on a target derived from daily prices GARCH(1,1) (it reads the
 * returns), EWMA and HAR; on a realized measure given as a column HAR, HAR on logs and EWMA over the measure.
 * A fit keeps the candidate whose forecasts at the training origins (each from rows before it) have the lowest
 * QLIKE, so the default starts at the best of the baselines it is compared with, chosen on past data only.
 */
export const DEFAULT_BASES = {
  derived: ['garch', 'ewma', 'har'],
  realized: ['har', 'har-log', 'ewma'],
} as const;

const BASE_DEFINITIONS: Record<string, unknown> = { ...varianceModels, ...harModels };

/** A built-in base by name, with its default options. @internal */
export function builtinBase(key: string): ResolvedModel {
  const definition = BASE_DEFINITIONS[key] as ResolvedModel['definition'];
  const options = (definition.options?.parse({}) ?? {}) as Record<string, unknown>;
  return { name: key, key, spec: key, definition, options, builtin: true };
}

/** The default candidate bases that forecast the task (their target kinds and their own checks). @internal */
export function defaultBases(task: ModelTask): ResolvedModel[] {
  return DEFAULT_BASES[task.derived ? 'derived' : 'realized'].map(builtinBase).filter((b) => runsOn(b, task));
}

/**
 * Decides what a recurrent spec runs for a task: with a base (`lstm+har`) a hybrid; on a volatility or variance
 * target with none of {@link PLAIN_NETWORK_OPTIONS} given, a hybrid on the best of {@link defaultBases} (it gives
 * no quantiles);
 * otherwise the plain forecaster.
 * @internal
 */
export function planRecurrent(
  given: Record<string, unknown>,
  task: ModelTask,
  base: ResolvedModel | undefined,
): RecurrentPlan {
  if (base) return { kind: 'hybrid', bases: [base], applied: applied(given, [base], false) };
  const plain = PLAIN_NETWORK_OPTIONS.some((k) => given[k] !== undefined);
  if (!isPositiveTarget(task) || plain) return { kind: 'plain', applied: [] };
  const bases = defaultBases(task);
  // No candidate that runs on the task (their target kinds, their checks) leaves the plain network.
  if (bases.length === 0) return { kind: 'plain', applied: [] };
  return { kind: 'hybrid', bases, applied: applied(given, bases, true) };
}

/** Whether a base model forecasts this task (its target kinds and its own check). */
function runsOn(base: ResolvedModel, task: ModelTask): boolean {
  if (base.definition.targets && !base.definition.targets.includes(task.targetKind)) return false;
  try {
    base.definition.check?.(base.options, task, 'series');
    return true;
  } catch {
    return false;
  }
}

function applied(given: Record<string, unknown>, bases: ResolvedModel[], chosen: boolean): AdjustedOption[] {
  const out: AdjustedOption[] = [];
  if (chosen)
    out.push({
      option: 'base',
      value: bases.map((b) => b.spec).join(','),
      reason: 'a volatility target with no base named: each fit corrects the candidate with the lowest QLIKE',
    });
  for (const [option, value] of Object.entries(VOLATILITY_DEFAULTS)) {
    if (given[option] === undefined) out.push({ option, value, reason: 'the volatility default (the user gave none)' });
  }
  return out;
}

/** The hybrid's fields: the forecaster's, less those only a plain network has, plus `seeds`. @internal */
export const HybridFields = ForecasterFields.omit({
  features: true,
  scaler: true,
  windowNorm: true,
  quantiles: true,
  coverage: true,
  calibration: true,
  interval: true,
  onEpochEnd: true,
  target: true,
  horizon: true,
})
  .extend({ seeds: v.seeds.withDefault(), validation: v.validation.withDefault() })
  .strict();

/** What the hybrid's schema reads: the volatility defaults under what was given, less the task's fields. @internal */
export function hybridOptionsInput(given: Record<string, unknown>): Record<string, unknown> {
  const { target: _t, horizon: _h, quantiles: _q, onEpochEnd: _e, ...rest } = given;
  return { ...VOLATILITY_DEFAULTS, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) };
}

/**
 * The hybrid's options: what the user gave, else the volatility defaults, else the forecaster's defaults.
 * @throws {@link ValidationError} (through zod) for an option a hybrid does not take
 * @internal
 */
export function hybridOptions(given: Record<string, unknown>): CorrectionOptions {
  const o = HybridFields.parse(hybridOptionsInput(given));
  const stopping =
    o.earlyStopping === false ? false : Object.assign({ patience: 5, minDelta: 0, restoreBest: true }, o.earlyStopping);
  return { ...o, earlyStopping: stopping } as CorrectionOptions;
}
