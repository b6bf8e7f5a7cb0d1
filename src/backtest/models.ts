/** Backtest model specs: the baseline and recurrent spec strings (`naive`, `seasonal:5`, `lstm`, ...) or objects. */
import { ValidationError } from '../errors.js';
import type { ForecasterOptions } from '../models/forecaster-options.js';
import type { BaselineSpec } from './baselines.js';

/** A model to backtest: a spec string, a baseline object, or recurrent forecaster options. */
export type BacktestModel =
  | string
  | {
      /** Display name (default: the spec string). */
      name?: string;
      /** The baseline. */
      baseline: BaselineSpec;
    }
  | {
      /** Display name (default: the cell). */
      name?: string;
      /** Forecaster options (lookback, cell, ...); the target and horizon come from the backtest. */
      forecaster: Partial<ForecasterOptions>;
    };

/** A model spec after parsing: a baseline or recurrent options, with its display name. */
export type ResolvedModel =
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
    };

const SPEC_HELP = 'naive, drift, mean, seasonal:M, ma:K, rnn, lstm, gru';

/**
 * Parses a model spec.
 * @param model - a spec string or object
 * @returns the resolved model with its display name (the spec string as given)
 * @throws {@link ValidationError} for an unknown spec (listing the valid ones)
 * @example
 * ```ts
 * import { parseModelSpec } from 'stockcast';
 * parseModelSpec('seasonal:5'); // { name: 'seasonal:5', kind: 'baseline', baseline: { kind: 'seasonal', m: 5 } }
 * ```
 */
export function parseModelSpec(model: BacktestModel): ResolvedModel {
  if (typeof model !== 'string') {
    if ('baseline' in model) return { name: model.name ?? describeBaseline(model.baseline), kind: 'baseline', baseline: model.baseline };
    return { name: model.name ?? model.forecaster.cell ?? 'lstm', kind: 'recurrent', forecaster: model.forecaster };
  }
  const spec = model.trim();
  if (spec === 'naive' || spec === 'drift' || spec === 'mean') return { name: model, kind: 'baseline', baseline: { kind: spec } };
  if (spec === 'rnn' || spec === 'lstm' || spec === 'gru') return { name: model, kind: 'recurrent', forecaster: { cell: spec } };
  const param = /^(seasonal|ma):(\d+)$/.exec(spec);
  if (param && Number(param[2]) >= 1) {
    const n = Number(param[2]);
    return { name: model, kind: 'baseline', baseline: param[1] === 'seasonal' ? { kind: 'seasonal', m: n } : { kind: 'ma', k: n } };
  }
  throw new ValidationError('model spec', [{ path: '', message: `unknown model "${model}": expected one of ${SPEC_HELP}` }]);
}

function describeBaseline(b: BaselineSpec): string {
  return b.kind === 'seasonal' ? `seasonal:${b.m}` : b.kind === 'ma' ? `ma:${b.k}` : b.kind;
}
