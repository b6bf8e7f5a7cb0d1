/**
 * The HAR family as registered models (`har`, `har-log`, `har-j`, `shar`, `harq`): each one registry line, run on a
 * realized column (a `variance` or `volatility` target) or on a price-derived volatility target (`rv:K`, ...).
 */
import { z } from 'zod';
import type { Series } from '../../data/series.js';
import { DataError } from '../../errors.js';
import { vocabulary as v } from '../../vocabulary.js';
import { varianceForecasts, type VarianceCarry } from '../baselines/variance-baselines.js';
import type { FoldWindow, ModelDefinition, ModelTask } from '../contract.js';
import { HAR_NEEDS, HAR_TERMS, harFoldForecasts, type HarVariant } from './har-family.js';

/** Regression rows a fit needs beyond its terms (as in har-family.ts). */
const MIN_ROWS = 10;

/**
 * A HAR model's options: the averaging spans and, when the model's estimation should differ from the backtest's
 * training window, its own `window`, `trainLength` and `refit` (the backtest's words, with their meaning).
 */
export const HarSpecOptionsSchema = z
  .object({
    spans: v.spans.withDefault(),
    window: v.window.optional(),
    trainLength: v.trainLength.optional(),
    refit: v.refit.optional(),
  })
  .strict()
  .refine((o) => o.spans[0] < o.spans[1] && o.spans[1] < o.spans[2], {
    message: 'spans must increase, e.g. [1, 5, 22]',
    path: ['spans'],
  })
  .refine((o) => o.window !== 'sliding' || o.trainLength !== undefined, {
    message: "window 'sliding' needs trainLength",
    path: ['trainLength'],
  });

/** A HAR model's options, as parsed. */
export type HarSpecOptions = z.output<typeof HarSpecOptionsSchema>;

/** The backtest's folds, with the model's own estimation window and refit frequency where it gives them. */
export function harFolds(o: HarSpecOptions, folds: readonly FoldWindow[]): FoldWindow[] {
  return folds.map((f, i) => {
    const trainStart =
      o.window === undefined ? f.trainStart : o.window === 'sliding' ? Math.max(0, f.origin - o.trainLength!) : 0;
    const refit =
      o.refit === undefined ? f.refit : o.refit === 'every' || (o.refit === 'once' ? i === 0 : i % o.refit === 0);
    return { origin: f.origin, trainStart, refit };
  });
}

function checkColumns(variant: HarVariant, task: ModelTask): void {
  if (task.derived && HAR_NEEDS[variant].length > 0) {
    throw new DataError(
      `${variant} reads the column(s) ${HAR_NEEDS[variant].map((c) => `"${c}"`).join(', ')}: a target made from ` +
        `prices by targetTransform has none`,
      {},
      { hint: 'backtest a realized measure of intraday bars (realizedMeasures, --realized rv), or use har, har-log' },
    );
  }
}

/** A member of the HAR family as a registered model. */
function harModel(variant: HarVariant, description: string): ModelDefinition<HarSpecOptions> {
  return {
    description,
    options: HarSpecOptionsSchema as unknown as z.ZodType<HarSpecOptions>,
    targets: ['volatility', 'variance'],
    history: (o, task) => o.spans[2] - 1 + task.horizon + HAR_TERMS[variant].length + MIN_ROWS,
    check: (_o, task) => checkColumns(variant, task),
    series: (options, task) => {
      // The fits carried between forecast calls (a call whose folds do not refit continues the previous one).
      const carry = {};
      const baseline: VarianceCarry = {};
      const forecast = (data: Series, folds: readonly FoldWindow[]) => {
        const mine = harFolds(options, folds);
        // On a price-derived volatility target, `har` is the econometric baseline it has always been (its floor
        // and fit on the training window), so results before and after the family's registration agree.
        if (variant === 'har' && task.derived?.transform.kind === 'volatility') {
          const y = data.columnRef(task.target);
          const r = varianceForecasts({ kind: 'har' }, y, task.derived, mine, task.horizon, undefined, baseline);
          return { values: r.predicted };
        }
        return { values: harFoldForecasts(data, task.target, variant, options.spans, mine, task.horizon, carry) };
      };
      return { forecast };
    },
  };
}

/** The HAR family's registry entries. @internal */
export const harModels = {
  har: harModel(
    'har',
    'HAR regression (Corsi 2009) of a volatility or realized variance target on its daily, weekly and monthly ' +
      'averages, floored at the smallest positive training value',
  ),
  'har-log': harModel('har-log', 'HAR on logs of the target, forecasts exp(fit + s2/2) (log-normal bias correction)'),
  'har-j': harModel(
    'har-j',
    'HAR-CJ: daily, weekly and monthly continuous (rv - jump) and jump parts; needs the jump column',
  ),
  shar: harModel(
    'shar',
    'semivariance HAR: positive and negative daily semivariances (rsPos, rsNeg), weekly and monthly rv',
  ),
  harq: harModel('harq', 'HARQ: the daily term scaled by sqrt(rq), realized quarticity (needs the rq column)'),
};
