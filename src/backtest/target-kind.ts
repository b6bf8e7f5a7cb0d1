/**
 * What a backtest's target is (a price, a return, a volatility or a variance): the one rule that backtests,
 * comparisons, panels, sweeps and their metrics share, from `targetTransform`, a declared `targetKind`, or the
 * realized measures a series was made of.
 */
import type { Series } from '../data/series.js';
import { resolveTarget } from '../data/target.js';
import { DataError, ValidationError } from '../errors.js';
import type { TargetKind } from '../models/contract.js';
import { REALIZED_COLUMNS } from '../prep/realized.js';
import { parseTargetTransform } from '../prep/target-transform.js';

/** The columns of {@link realizedMeasures} that are daily variances (`rq`, a quarticity, and `bars` are not). */
const VARIANCE_COLUMNS: ReadonlySet<string> = new Set(['rv', 'bv', 'jump', 'rsPos', 'rsNeg']);

/** What decides a target's kind. @internal */
export interface TargetKindInput {
  /** The backtest's `targetTransform`, when given. */
  targetTransform?: string | undefined;
  /** The backtest's declared `targetKind`, when given. */
  targetKind?: 'variance' | 'volatility' | undefined;
  /** The data (a panel's first symbol): a series made by `realizedMeasures` declares its variance columns. */
  series?: Series | undefined;
  /** The target column. */
  target?: string | undefined;
}

/**
 * Whether a series was made by `realizedMeasures` (its aggregation report and every one of its columns), so its
 * `rv`, `bv`, `jump`, `rsPos` and `rsNeg` columns are daily variances without being declared.
 * @internal
 */
export function isRealizedSeries(series: Series): boolean {
  return series.meta.aggregation !== undefined && REALIZED_COLUMNS.every((c) => series.has(c));
}

/**
 * The kind of a backtest target:
 * - with `targetTransform`: `return` for `logret`, `volatility` for `rv:K`, `parkinson:K`, `gk:K`, `yz:K`
 *   (annualized percent); a declared `targetKind` must agree (`volatility`);
 * - else the declared `targetKind` (a column of variances or volatilities, e.g. `--realized rv`);
 * - else `variance` for the variance columns of a series made by `realizedMeasures`;
 * - else `price` (any level series).
 * @throws {@link ValidationError} when `targetKind` contradicts the transform
 * @internal
 */
export function resolveTargetKind(input: TargetKindInput): TargetKind {
  const { targetTransform, targetKind, series, target } = input;
  if (targetTransform !== undefined) {
    const kind: TargetKind = parseTargetTransform(targetTransform).kind === 'log-returns' ? 'return' : 'volatility';
    if (targetKind !== undefined && targetKind !== kind) {
      const message =
        `targetTransform '${targetTransform}' makes a ${kind} target (annualized percent for rv:K): ` +
        `targetKind '${targetKind}' contradicts it; leave targetKind out`;
      throw new ValidationError('backtest options', [{ path: 'targetKind', message }]);
    }
    return kind;
  }
  if (targetKind !== undefined) return targetKind;
  if (series && target !== undefined && VARIANCE_COLUMNS.has(target) && isRealizedSeries(series)) return 'variance';
  return 'price';
}

/** Whether a target kind is a volatility or a variance (QLIKE and log MSE apply). @internal */
export function isVolatilityKind(kind: TargetKind): kind is 'volatility' | 'variance' {
  return kind === 'volatility' || kind === 'variance';
}

/**
 * The target column a backtest will use, or undefined when it cannot be resolved (the backtest itself then fails
 * with the error that says why).
 * @internal
 */
export function safeTarget(series: Series, target: string | undefined): string | undefined {
  try {
    return resolveTarget(series.columns, target);
  } catch (e) {
    if (e instanceof DataError) return undefined;
    throw e;
  }
}
