/** Per-window normalization: each window scaled by its own last value or its own statistics, with an exact inverse for targets. */
import { z } from 'zod';
import { DataError } from '../errors.js';
import { parseOptions } from '../validate.js';
import type { Windows } from './windows.js';

/** Options of {@link normalizeWindows}. */
export const WindowNormOptionsSchema = z
  .object({
    /**
     * `last`: x' = x / x_last - 1 per feature, y' = y / target_last - 1 (relative change from the window's last value);
     * `zscore`: x' = (x - mean) / std per feature over the window's inputs, the target column's statistics for y.
     */
    windowNorm: z.enum(['last', 'zscore']),
  })
  .strict();

/** Options of {@link normalizeWindows}, as accepted. */
export type WindowNormOptions = z.input<typeof WindowNormOptionsSchema>;

/** Windows normalized one by one, with what each needs to be mapped back. */
export interface NormalizedWindows {
  /** The normalized windows (same shapes as the input). */
  windows: Windows;
  /** The method used. */
  method: 'last' | 'zscore';
  /** Per window: the value subtracted from the target (0 for `last`). */
  targetCenter: Float64Array;
  /** Per window: the target divisor (the last target input for `last`, the std for `zscore`). */
  targetScale: Float64Array;
}

/**
 * Normalizes each window by its own inputs only (no look-ahead: the statistics come from rows before the
 * window's first target). The target column must be among the features. Constant windows get a std of 1.
 *
 * @param windows - windows from {@link makeWindows}
 * @param options - see {@link WindowNormOptionsSchema}
 * @returns normalized windows and per-window target parameters for {@link denormalizeTargets}
 * @throws {@link DataError} when the target is not a feature, or `last` meets a zero last value (window index given)
 * @example
 * ```ts
 * import { makeWindows, normalizeWindows, Series } from 'stockcast';
 * const s = Series.create({ timestamps: [0, 1, 2], columns: { close: [100, 110, 121] } });
 * const n = normalizeWindows(makeWindows(s, { lookback: 2, target: 'close' }), { windowNorm: 'last' });
 * n.windows.y; // [0.1]: 121 is 10% above 110
 * ```
 */
export function normalizeWindows(windows: Windows, options: WindowNormOptions): NormalizedWindows {
  const { windowNorm: method } = parseOptions(WindowNormOptionsSchema, options, 'window normalization options');
  const F = windows.features.length;
  const L = windows.lookback;
  const H = windows.horizon;
  const tf = windows.features.indexOf(windows.target);
  if (tf < 0)
    throw new DataError(
      `window normalization needs the target "${windows.target}" among the features (${windows.features.join(', ')})`,
    );
  const x = new Float32Array(windows.x.length);
  const y = new Float32Array(windows.y.length);
  const targetCenter = new Float64Array(windows.count);
  const targetScale = new Float64Array(windows.count);
  const center = new Float64Array(F);
  const scale = new Float64Array(F);
  for (let w = 0; w < windows.count; w++) {
    const base = w * L * F;
    for (let f = 0; f < F; f++) {
      if (method === 'last') {
        const last = windows.x[base + (L - 1) * F + f];
        if (last === 0)
          throw new DataError(
            `window ${w} (target row ${windows.targetIndex[w]}): feature "${windows.features[f]}" ends at 0, so "last" normalization would divide by zero`,
            {},
            { hint: "use windowNorm: 'zscore'" },
          );
        center[f] = 0;
        scale[f] = last;
      } else {
        let mean = 0;
        for (let r = 0; r < L; r++) mean += windows.x[base + r * F + f];
        mean /= L;
        let ss = 0;
        for (let r = 0; r < L; r++) ss += (windows.x[base + r * F + f] - mean) ** 2;
        center[f] = mean;
        scale[f] = Math.sqrt(ss / L) || 1;
      }
    }
    const offset = method === 'last' ? 1 : 0;
    for (let r = 0; r < L; r++)
      for (let f = 0; f < F; f++) x[base + r * F + f] = (windows.x[base + r * F + f] - center[f]) / scale[f] - offset;
    for (let h = 0; h < H; h++) y[w * H + h] = (windows.y[w * H + h] - center[tf]) / scale[tf] - offset;
    targetCenter[w] = center[tf];
    targetScale[w] = scale[tf];
  }
  return { windows: { ...windows, x, y }, method, targetCenter, targetScale };
}

/**
 * Maps normalized predictions back to target units: the exact inverse of {@link normalizeWindows} for `y`.
 *
 * @param values - normalized values, [count, horizon] row-major (e.g. a model's predictions)
 * @param norm - the result of {@link normalizeWindows} for the same windows
 * @returns values in target units
 * @throws {@link DataError} when the length does not match the windows
 * @example
 * ```ts
 * import { makeWindows, normalizeWindows, denormalizeTargets, Series } from 'stockcast';
 * const s = Series.create({ timestamps: [0, 1, 2], columns: { close: [100, 110, 121] } });
 * const n = normalizeWindows(makeWindows(s, { lookback: 2, target: 'close' }), { windowNorm: 'last' });
 * denormalizeTargets(n.windows.y, n); // [121]
 * ```
 */
export function denormalizeTargets(values: ArrayLike<number>, norm: NormalizedWindows): Float64Array {
  const H = norm.windows.horizon;
  if (values.length !== norm.windows.count * H)
    throw new DataError(
      `expected ${norm.windows.count * H} values (${norm.windows.count} windows x horizon ${H}), received ${values.length}`,
    );
  const offset = norm.method === 'last' ? 1 : 0;
  return Float64Array.from(values, (v, i) => {
    const w = Math.floor(i / H);
    return (v + offset) * norm.targetScale[w] + norm.targetCenter[w];
  });
}
