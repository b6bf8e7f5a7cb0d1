/** EWMA forecasts of a realized variance or volatility column: the RiskMetrics recursion over the measure itself. */
import { DataError } from '../../errors.js';
import type { FoldWindow, ModelTask } from '../contract.js';

/** Training values the recursion starts from (their mean). */
const WARMUP = 22;

/**
 * At each origin t, v = lambda v + (1 - lambda) x over the training rows trainStart..t-1 (started at the mean of
 * the first 22), where x is the target's variance (a volatility is squared first, and the forecast is its square
 * root): the flat forecast of every step, as RiskMetrics forecasts a variance. Nothing at or after t is read.
 * @internal
 */
export function realizedEwmaForecasts(
  y: Float64Array,
  task: Pick<ModelTask, 'targetKind' | 'target' | 'horizon'>,
  lambda: number,
  folds: readonly FoldWindow[],
): number[][] {
  const square = task.targetKind === 'volatility';
  return folds.map((f) => {
    const n = f.origin - f.trainStart;
    if (n < WARMUP) {
      throw new DataError(
        `ewma needs ${WARMUP} training values of "${task.target}" before row ${f.origin}: the window has ${n}`,
        {},
        {
          hint: 'start the backtest later (testSize) or use a longer trainLength',
        },
      );
    }
    let v = 0;
    for (let i = f.trainStart; i < f.trainStart + WARMUP; i++) v += (square ? y[i] * y[i] : y[i]) / WARMUP;
    for (let i = f.trainStart + WARMUP; i < f.origin; i++)
      v = lambda * v + (1 - lambda) * (square ? y[i] * y[i] : y[i]);
    return new Array(task.horizon).fill(square ? Math.sqrt(v) : v);
  });
}
