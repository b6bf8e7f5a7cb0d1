/**
 * QLIKE's factor from network units to log-variance units: the network reads and forecasts the target after its
 * scaler, and QLIKE on log variances changes with their scale (not with their shift), so the loss needs it.
 */
import type { Scaler } from '../../prep/scalers.js';

/**
 * The spread a fitted scaler gives the target column: one network unit is this many target units (1 without a
 * scaler). Every scaler is affine per column, so inverse(1) - inverse(0) is that spread.
 * @param scaler - the fitted scaler, if any
 * @param target - the target column
 * @returns the factor, > 0
 * @internal
 */
export function targetSpread(scaler: Scaler | undefined, target: string): number {
  if (!scaler) return 1;
  const [at0, at1] = scaler.inverseTransformColumn([0, 1], target);
  return at1 - at0;
}

/** QLIKE needs targets in log-variance units up to one affine map, which per-window normalization breaks. @internal */
export const qlikeWindowNorm = {
  check: (o: { loss: string; windowNorm: string }) => o.loss !== 'qlike' || o.windowNorm === 'none',
  issue: {
    message:
      "loss 'qlike' reads the target as log variances, which windowNorm would rescale window by window: " +
      "use windowNorm: 'none' (a scaler is fine)",
    path: ['windowNorm'],
  },
};

/** Quantiles train with the pinball loss, not QLIKE. @internal */
export const qlikeQuantiles = {
  check: (o: { loss: string; quantiles?: unknown }) => o.loss !== 'qlike' || o.quantiles === undefined,
  issue: { message: "quantiles train with the pinball loss: leave loss at 'mse' with them", path: ['loss'] },
};
