/** The exact baseline forecasters: naive, drift, mean, seasonal:m and ma:k, each a pure function of the training window. */
import { z } from 'zod';
import { DataError } from '../../errors.js';
import type { ModelDefinition } from '../contract.js';

/** A baseline and its parameter. */
export type BaselineSpec =
  | {
      /** y[t-1]. */
      kind: 'naive';
    }
  | {
      /** y[t-1] + (h+1) times the window's average step. */
      kind: 'drift';
    }
  | {
      /** The window's mean. */
      kind: 'mean';
    }
  | {
      /** The value one season earlier. */
      kind: 'seasonal';
      /** Season length in rows. */
      m: number;
    }
  | {
      /** Moving average of the last k values. */
      kind: 'ma';
      /** Window length. */
      k: number;
    };

/**
 * Forecasts y[t..t+H-1] from the training window y[t0..t-1] (t0 < t), exactly as documented:
 * naive y[t-1]; drift y[t-1] + (h+1)(y[t-1] - y[t0])/(t-1-t0); mean of y[t0..t-1]; seasonal:m y[t-m+(h mod m)];
 * ma:k the mean of y[t-k..t-1]; for h = 0..H-1.
 *
 * @param spec - the baseline
 * @param y - the whole target column (only y[t0..t-1] is read)
 * @param window - `trainStart` t0 (first row of the training window), `origin` t (first forecast row), `horizon` H
 * @returns H forecasts
 * @throws {@link DataError} when the training window is too short for the baseline
 * @example
 * ```ts
 * import { baselineForecast } from 'stockcast';
 * baselineForecast({ kind: 'drift' }, [1, 2, 3], { trainStart: 0, origin: 3, horizon: 2 }); // [4, 5]
 * ```
 */
export function baselineForecast(
  spec: BaselineSpec,
  y: ArrayLike<number>,
  window: { trainStart: number; origin: number; horizon: number },
): Float64Array {
  const { trainStart: t0, origin: t, horizon } = window;
  if (
    !(
      Number.isInteger(t0) &&
      Number.isInteger(t) &&
      Number.isInteger(horizon) &&
      t0 >= 0 &&
      t <= y.length &&
      horizon >= 1
    )
  ) {
    throw new DataError(
      `baseline window needs integers 0 <= trainStart < origin <= ${y.length} and horizon >= 1: received trainStart ${t0}, origin ${t}, horizon ${horizon}`,
    );
  }
  if (t - t0 < 1) throw new DataError(`the ${spec.kind} baseline needs at least one training value before origin ${t}`);
  const last = y[t - 1];
  const out = new Float64Array(horizon);
  switch (spec.kind) {
    case 'naive':
      return out.fill(last);
    case 'drift': {
      // One training value has no slope: the drift is 0 and the forecast equals naive.
      const slope = t - 1 > t0 ? (last - y[t0]) / (t - 1 - t0) : 0;
      for (let h = 0; h < horizon; h++) out[h] = last + (h + 1) * slope;
      return out;
    }
    case 'mean': {
      let sum = 0;
      for (let i = t0; i < t; i++) sum += y[i];
      return out.fill(sum / (t - t0));
    }
    case 'seasonal': {
      if (t - t0 < spec.m)
        throw new DataError(
          `seasonal:${spec.m} needs ${spec.m} training values before origin ${t}, the window has ${t - t0}`,
        );
      for (let h = 0; h < horizon; h++) out[h] = y[t - spec.m + (h % spec.m)];
      return out;
    }
    case 'ma': {
      if (t - t0 < spec.k)
        throw new DataError(
          `ma:${spec.k} needs ${spec.k} training values before origin ${t}, the window has ${t - t0}`,
        );
      let sum = 0;
      for (let i = t - spec.k; i < t; i++) sum += y[i];
      return out.fill(sum / spec.k);
    }
  }
}

const count = z.number().int().min(1);

/** A baseline as a registered model: no fitting, an exact function of each origin's own training window. */
function baselineModel<O extends object>(
  description: string,
  spec: (o: O) => BaselineSpec,
  extra: Partial<ModelDefinition<O>> = {},
): ModelDefinition<O> {
  return {
    description,
    stateless: true,
    ...extra,
    series: (options, task) => ({
      forecast: (data, folds) => {
        const y = data.columnRef(task.target);
        return {
          values: folds.map((f) =>
            baselineForecast(spec(options), y, { trainStart: f.trainStart, origin: f.origin, horizon: task.horizon }),
          ),
        };
      },
    }),
  };
}

/** The baselines' registry entries. @internal */
export const baselineModels = {
  naive: baselineModel('the last value', () => ({ kind: 'naive' })),
  drift: baselineModel("the last value plus the window's average step per step ahead", () => ({ kind: 'drift' }), {
    history: () => 2,
  }),
  mean: baselineModel("the training window's mean", () => ({ kind: 'mean' })),
  seasonal: baselineModel(
    'the value one season (m rows) earlier',
    (o: { m: number }) => ({ kind: 'seasonal', m: o.m }),
    {
      options: z.object({ m: count }).strict(),
      parameter: 'm',
      history: (o) => o.m,
    },
  ),
  ma: baselineModel('the mean of the last k values', (o: { k: number }) => ({ kind: 'ma', k: o.k }), {
    options: z.object({ k: count }).strict(),
    parameter: 'k',
    history: (o) => o.k,
  }),
};
