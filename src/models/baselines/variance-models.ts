/**
 * The econometric baselines (`ewma`, `garch`, `garch-t`) as registered models of volatility and return targets
 * made from prices, and (`ewma`) of realized variance columns; the HAR family is in econometric/har-models.ts.
 */
import { z } from 'zod';
import { DataError } from '../../errors.js';
import type { Series } from '../../data/series.js';
import type { FoldWindow, ModelDefinition, ModelTask } from '../contract.js';
import {
  varianceForecasts,
  type VarianceCarry,
  type VarianceContext,
  type VarianceModelSpec,
} from './variance-baselines.js';
import { realizedEwmaForecasts } from './realized-ewma.js';
import { harModels } from '../econometric/har-models.js';

const NEEDS_TRANSFORM =
  'forecasts a volatility or return target: give targetTransform (rv:K, parkinson:K, gk:K, yz:K or logret)';

function context(name: string, task: ModelTask): VarianceContext {
  if (!task.derived)
    throw new DataError(`${name} ${NEEDS_TRANSFORM}`, {}, { hint: 'on the command line: --target-transform rv:5' });
  return task.derived;
}

/** Whether the task is a declared or realized variance/volatility column (no price transform behind it). */
function realizedColumn(task: ModelTask): boolean {
  return !task.derived && (task.targetKind === 'variance' || task.targetKind === 'volatility');
}

/**
 * GARCH models daily returns: a realized measure's column carries none (its days are made of intraday returns that
 * the series no longer holds), so GARCH is refused there rather than fitted on something else.
 */
function refuseRealized(name: string, task: ModelTask): void {
  if (!realizedColumn(task)) return;
  throw new DataError(
    `${name} is fitted on daily returns: the ${task.targetKind} column "${task.target}" has no returns beside it`,
    {},
    { hint: 'on realized measures use har, har-log, har-j, shar, harq or ewma; garch runs on targetTransform rv:K' },
  );
}

/** A variance baseline as a registered model: one pass over the origins, refitting where `refit` is set. */
function varianceModel<O extends object>(
  name: string,
  description: string,
  spec: (o: O) => VarianceModelSpec,
  extra: Partial<ModelDefinition<O>> = {},
): ModelDefinition<O> {
  return {
    description,
    targets: ['volatility', 'return'],
    quantiles: (_o, task) => task.derived?.transform.kind === 'log-returns',
    check: (_o, task) => {
      refuseRealized(name, task);
      context(name, task);
    },
    ...extra,
    series: (options, task) => {
      // The fits carried between forecast calls: a call whose folds do not refit continues the previous one.
      const carry: VarianceCarry = {};
      return {
        forecast: (data, folds) => {
          const ctx = context(name, task);
          const y = data.columnRef(task.target);
          const r = varianceForecasts(spec(options), y, ctx, folds, task.horizon, task.quantiles, carry);
          return { values: r.predicted, ...(r.quantiles ? { quantiles: r.quantiles } : {}) };
        },
      };
    },
  };
}

type EwmaOptions = { lambda: number };
const EWMA = 'RiskMetrics EWMA variance of the returns (lambda 0.94); on a realized column, EWMA of the measure itself';
const ewma = varianceModel('ewma', EWMA, (o: EwmaOptions) => ({ kind: 'ewma', lambda: o.lambda }), {
  options: z.object({ lambda: z.number().gt(0).lt(1).default(0.94) }).strict(),
  targets: ['volatility', 'return', 'variance'],
});
const ewmaPrices = ewma.series;

/** The econometric baselines' registry entries. @internal */
export const varianceModels = {
  ewma: {
    ...ewma,
    check: (_o: EwmaOptions, task: ModelTask) => {
      if (!realizedColumn(task)) context('ewma', task);
    },
    series: (options: EwmaOptions, task: ModelTask, env) => {
      if (!realizedColumn(task)) return ewmaPrices(options, task, env);
      const forecast = (data: Series, folds: readonly FoldWindow[]) => ({
        values: realizedEwmaForecasts(data.columnRef(task.target), task, options.lambda, folds),
      });
      return { forecast };
    },
  } satisfies ModelDefinition<EwmaOptions>,
  // The HAR family's `har` (econometric/har-models.ts), here too: the baselines' entries name every base model.
  har: harModels.har,
  garch: varianceModel(
    'garch',
    'GARCH(1,1) with normal innovations, fitted by maximum likelihood at each refit',
    () => ({ kind: 'garch', distribution: 'normal' }),
  ),
  'garch-t': varianceModel('garch-t', 'GARCH(1,1) with Student-t innovations', () => ({
    kind: 'garch',
    distribution: 'student-t',
  })),
};
