/** The model specs of release 0.1 (`parseModelSpec`), kept for one release beside the registry's `resolveModel`. */
import { ValidationError } from '../errors.js';
import { CELLS } from '../vocabulary.js';
import type { CellType } from '../models/engines/weights.js';
import type { ForecasterOptions } from '../models/recurrent/forecaster-options.js';
import type { ModelSpec } from '../models/resolve.js';
import type { ResolvedModel } from '../models/contract.js';
import type { resolveModel } from '../models/resolve.js';
import type { BaselineSpec } from '../models/baselines/baselines.js';
import type { VarianceModelSpec } from '../models/baselines/variance-baselines.js';

/** @deprecated Use {@link ModelSpec}, which also names registered models with their options (`{ model, options }`). */
export type BacktestModel = ModelSpec;

/** The spec shapes {@link parseModelSpec} reads: those of {@link ModelSpec}. */
export type LegacySpec = ModelSpec;

/** @deprecated What {@link parseModelSpec} returns; {@link resolveModel} returns a {@link ResolvedModel}. */
export type ParsedModelSpec =
  | {
      /** Display name. */
      name: string;
      /** A baseline. */
      kind: 'baseline';
      /** Which one. */
      baseline: BaselineSpec;
    }
  | {
      /** Display name. */
      name: string;
      /** A recurrent forecaster. */
      kind: 'recurrent';
      /** Its options (the backtest adds target and horizon). */
      forecaster: Partial<ForecasterOptions>;
    }
  | {
      /** Display name. */
      name: string;
      /** An econometric baseline (EWMA, GARCH, HAR) of a volatility or return target. */
      kind: 'variance';
      /** Which one. */
      variance: VarianceModelSpec;
    };

const SPEC_HELP = 'naive, drift, mean, seasonal:M, ma:K, ewma, har, garch, garch-t, rnn, lstm, gru';

/**
 * Parses a built-in model spec into the shapes of release 0.1.
 * @deprecated Use {@link resolveModel}, which reads every registered model (users' own included); kept for one release.
 * @param model - a spec string or object
 * @returns the resolved model with its display name (the spec string as given)
 * @throws {@link ValidationError} for an unknown spec (listing the valid ones)
 * @example
 * ```ts
 * import { parseModelSpec } from 'stockcast';
 * parseModelSpec('seasonal:5'); // { name: 'seasonal:5', kind: 'baseline', baseline: { kind: 'seasonal', m: 5 } }
 * ```
 */
export function parseModelSpec(model: LegacySpec): ParsedModelSpec {
  if (typeof model !== 'string' && 'model' in model) {
    const parsed = parseModelSpec(model.model);
    return parsed.kind === 'recurrent'
      ? { ...parsed, name: model.name ?? parsed.name, forecaster: { ...model.options, ...parsed.forecaster } }
      : { ...parsed, name: model.name ?? parsed.name };
  }
  if (typeof model !== 'string') {
    if ('baseline' in model)
      return { name: model.name ?? describeBaseline(model.baseline), kind: 'baseline', baseline: model.baseline };
    if ('variance' in model)
      return { name: model.name ?? describeVariance(model.variance), kind: 'variance', variance: model.variance };
    return { name: model.name ?? model.forecaster.cell ?? 'lstm', kind: 'recurrent', forecaster: model.forecaster };
  }
  const spec = model.trim();
  if (spec === 'naive' || spec === 'drift' || spec === 'mean')
    return { name: model, kind: 'baseline', baseline: { kind: spec } };
  if ((CELLS as readonly string[]).includes(spec))
    return { name: model, kind: 'recurrent', forecaster: { cell: spec as CellType } };
  if (spec === 'ewma' || spec === 'har') return { name: model, kind: 'variance', variance: { kind: spec } };
  if (spec === 'garch' || spec === 'garch-t')
    return {
      name: model,
      kind: 'variance',
      variance: { kind: 'garch', distribution: spec === 'garch' ? 'normal' : 'student-t' },
    };
  const param = /^(seasonal|ma):(\d+)$/.exec(spec);
  if (param && Number(param[2]) >= 1) {
    const n = Number(param[2]);
    return {
      name: model,
      kind: 'baseline',
      baseline: param[1] === 'seasonal' ? { kind: 'seasonal', m: n } : { kind: 'ma', k: n },
    };
  }
  throw new ValidationError('model spec', [
    { path: '', message: `unknown model "${model}": expected one of ${SPEC_HELP}` },
  ]);
}

function describeVariance(m: VarianceModelSpec): string {
  return m.kind === 'garch' ? (m.distribution === 'normal' ? 'garch' : 'garch-t') : m.kind;
}

function describeBaseline(b: BaselineSpec): string {
  return b.kind === 'seasonal' ? `seasonal:${b.m}` : b.kind === 'ma' ? `ma:${b.k}` : b.kind;
}
