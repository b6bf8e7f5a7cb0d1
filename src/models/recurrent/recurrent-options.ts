/**
 * The option fields every recurrent forecaster shares (one series or a panel), with their docs and the rules that
 * tie them together, written once: the forecaster and the global forecaster each add only their own fields.
 */
import { z } from 'zod';
import { vocabulary as v } from '../../vocabulary.js';
import { qlikeQuantiles, qlikeWindowNorm } from './loss-scale.js';
import { EarlyStoppingSchema, type AdjustedOption, type EpochInfo } from './training.js';

/**
 * The shared fields, as a zod shape (spread into each forecaster's object; the vocabulary gives words and
 * defaults). @internal
 */
export const recurrentFields = {
  /** Recurrent cell: the lecture's tanh `rnn`, `lstm` (default) or `gru`. */
  cell: v.cell.withDefault(),
  /** Hidden units per layer (default 32). */
  units: v.units.withDefault(),
  /** Stacked recurrent layers, like PyTorch's `num_layers` (default 1). */
  layers: v.layers.withDefault(),
  /** Dropout between stacked layers while training (default 0). */
  dropout: v.dropout.withDefault(),
  /** Past rows per window (default 30). */
  lookback: v.lookback.withDefault(),
  /** Future target values predicted at once (default 1: many-to-one). */
  horizon: v.horizon.withDefault(),
  /** Target column (default: the `close` column, else the only column; resolved by `fit`). */
  target: v.target.optional(),
  /** Input columns, past covariates (default: the target alone). */
  features: v.features.optional(),
  /**
   * Scaler fitted on the training rows (`minmax`, `standard`, `robust`; default `none`); on a panel, one per
   * symbol on that symbol's training rows.
   */
  scaler: v.scaler.withDefault(),
  /**
   * Per-window normalization after scaling (default `last`): `last` makes each window relative to its own last
   * value (x / x_last - 1), so the model learns changes rather than levels (and one network serves symbols of any
   * price level); `zscore` uses the window's mean and std (one series only). `last` needs `scaler: 'none'` (a
   * fitted scaler maps values to an exact 0 it would divide by), so when a `scaler` is given and `windowNorm` is
   * not, it is `none` (recorded in `training.adjusted`).
   */
  windowNorm: v.windowNorm.optional(),
  /** Training epochs (default 50). */
  epochs: v.epochs.withDefault(),
  /** Mini-batch size (default 32). */
  batchSize: v.batchSize.withDefault(),
  /** Learning rate (default 0.001). */
  learningRate: v.learningRate.withDefault(),
  /** Optimizer (default `adam`). */
  optimizer: v.optimizer.withDefault(),
  /**
   * Training loss (default `mse`; on a log target that is MSE on logs). `qlike` reads the target column as log
   * variances (ln of a variance such as `rv`; 2 ln sigma for a volatility): the network forecasts ln h and each
   * value costs exp(y - ln h) - (y - ln h) - 1, QLIKE of the variances. Forecasts stay on the target's scale
   * (log variances). `windowNorm` is then `none` unless given (`last` and `zscore` are refused); a scaler is fine
   * (the loss undoes its spread; on a panel, each symbol's).
   */
  loss: v.loss.withDefault(),
  /** Clip the global gradient norm (off by default). */
  clipNorm: v.clipNorm.optional(),
  /**
   * Validation data (default 0.2): the last fraction of the rows given to fit (on a panel, of the union of its
   * dates: the windows whose targets fall there), 0 for none. It selects the epoch (early stopping), checks the
   * model against the naive forecast (`training.validation`) and calibrates prediction intervals.
   */
  validation: v.validation.withDefault(),
  /**
   * Early stopping (default on, patience 5, restoring the best): the weights that do best on the validation data
   * are kept, the untrained start included (which, with `windowNorm: 'last'`, forecasts no change: the naive
   * forecast); training stops after `patience` epochs without improvement. `false` trains every epoch.
   */
  earlyStopping: z
    .union([z.literal(false), EarlyStoppingSchema])
    .default(v.earlyStopping.default as z.output<typeof EarlyStoppingSchema>),
  /**
   * After validation chose the epoch (default `all`): retrain a fresh network from the seed on the training and
   * validation rows (never the calibration rows) for that many epochs, so the model sees the latest data; nothing
   * when the untrained start won, or without a validation share. `training` keeps the model trained on the
   * training rows. Intervals, quantile calibration and the check against naive come from the model before it.
   */
  finalFit: v.finalFit.withDefault(),
  /**
   * Prediction intervals with this coverage (e.g. 0.9), calibrated by split conformal prediction on the
   * validation windows; `predict` then returns `lower` and `upper`. Needs `validation`. With early stopping
   * on, the validation windows are split in time: the earlier half selects the epoch, the windows whose targets
   * all come after it calibrate, so the widths are never measured on the data that chose the model.
   */
  coverage: v.coverage.optional(),
  /**
   * Quantile levels, e.g. [0.05, 0.5, 0.95]: the network forecasts one value per level and step, trained with the
   * pinball loss; the quantiles never cross (a base plus softplus increments). The point forecast is the 0.5
   * level, or the level nearest to it.
   */
  quantiles: v.quantiles.optional(),
  /**
   * Calibrate the quantiles by conformalized quantile regression on the last fraction of the rows given to fit
   * (on a panel, of its dates, pooled across symbols; e.g. 0.2), held out from training and from validation (the
   * span that selects the model). Needs `quantiles`.
   */
  calibration: v.calibration.optional(),
  /** Seed for initialization, shuffling (across symbols on a panel) and dropout (default 42). */
  seed: v.seed.withDefault(),
  /** Threads for one training run on the fused engine: `auto` (default) or a count; results do not depend on it. */
  threads: v.threads.withDefault(),
  /** Engine (default `auto`). */
  engine: v.engine.withDefault(),
  /** Called after every epoch with losses and timing (feeds progress bars); training waits for a returned promise. */
  onEpochEnd: z
    .custom<(info: EpochInfo) => void | Promise<void>>((x) => typeof x === 'function', 'expected a function')
    .optional(),
  /** Stops training early between epochs (Ctrl-C). */
  signal: v.signal.optional(),
};

/** The shared fields as resolved, for the rules below. */
interface RuleView {
  validation: unknown;
  coverage?: number | undefined;
  quantiles?: number[] | undefined;
  calibration?: number | undefined;
  scaler: string;
  windowNorm: string;
  loss: string;
}

/**
 * The rules that tie the shared fields together, checked after defaults (and after `windowNorm` is resolved):
 * for `.superRefine` on each forecaster's schema. @internal
 */
export function recurrentRules(o: RuleView, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (o.coverage !== undefined && o.validation === 0) {
    issue('coverage', 'coverage needs validation data to calibrate on');
  }
  if (o.quantiles && !o.quantiles.every((q, i) => i === 0 || q > o.quantiles![i - 1])) {
    issue('quantiles', 'quantile levels must increase');
  }
  if (o.calibration !== undefined && o.quantiles === undefined) {
    issue('calibration', 'calibration calibrates quantiles: give quantiles too');
  }
  if (o.quantiles !== undefined && o.coverage !== undefined) {
    issue('coverage', 'use quantiles (e.g. [0.05, 0.5, 0.95]) or coverage, not both');
  }
  if (o.windowNorm === 'last' && o.scaler !== 'none') {
    issue(
      'windowNorm',
      "windowNorm 'last' divides by each window's last value, which a fitted scaler can map to exactly 0: " +
        "use scaler: 'none' with it",
    );
  }
  if (!qlikeWindowNorm.check(o)) issue(qlikeWindowNorm.issue.path[0], qlikeWindowNorm.issue.message);
  if (!qlikeQuantiles.check(o)) issue(qlikeQuantiles.issue.path[0], qlikeQuantiles.issue.message);
}

/**
 * The window normalization: the one given, else the default `last`, or `none` when a fitted scaler or `loss:
 * 'qlike'` was given (an option the user gives wins over a default they never chose; `last` cannot read scaled
 * values, and would rescale log variances window by window). @internal
 */
export function windowNormFor<W extends string>(
  scaler: string,
  given: W | undefined,
  loss = 'mse',
): W | 'last' | 'none' {
  return given ?? (scaler === 'none' && loss !== 'qlike' ? 'last' : 'none');
}

/** The options set because of others the user gave, for `training.adjusted`. @internal */
export function adjustedOptions(
  given: { windowNorm?: unknown },
  resolved: { scaler: string; windowNorm: string; loss?: string },
): AdjustedOption[] {
  if (given.windowNorm !== undefined || (resolved.scaler === 'none' && resolved.loss !== 'qlike')) return [];
  const scaler = resolved.scaler;
  const reason =
    scaler === 'none'
      ? "loss 'qlike' was given without windowNorm, and the default 'last' would rescale log variances " +
        'window by window'
      : `scaler '${scaler}' was given without windowNorm, and the default 'last' cannot read scaled values`;
  return [{ option: 'windowNorm', value: resolved.windowNorm, reason }];
}
