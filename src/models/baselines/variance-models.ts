/** The econometric baselines (`ewma`, `garch`, `garch-t`, `har`) as registered models of volatility and return targets. */
import { z } from 'zod';
import { DataError } from '../../errors.js';
import type { ModelDefinition, ModelTask } from '../contract.js';
import { varianceForecasts, type VarianceCarry, type VarianceContext, type VarianceModelSpec } from './variance-baselines.js';

const NEEDS_TRANSFORM = 'forecasts a volatility or return target: give targetTransform (rv:K, parkinson:K, gk:K, yz:K or logret)';

function context(name: string, task: ModelTask): VarianceContext {
  if (!task.derived) throw new DataError(`${name} ${NEEDS_TRANSFORM}`, {}, { hint: 'on the command line: --target-transform rv:5' });
  return task.derived;
}

/** A variance baseline as a registered model: one pass over the origins, refitting where `refit` is set. */
function varianceModel<O extends object>(name: string, description: string, spec: (o: O) => VarianceModelSpec, extra: Partial<ModelDefinition<O>> = {}): ModelDefinition<O> {
  const quantiles = spec({} as O).kind !== 'har';
  return {
    description,
    targets: quantiles ? ['volatility', 'return'] : ['volatility'],
    quantiles: (_o, task) => quantiles && task.derived?.transform.kind === 'log-returns',
    check: (_o, task) => void context(name, task),
    ...extra,
    series: (options, task) => {
      // The fits carried between forecast calls: a call whose folds do not refit continues the previous one.
      const carry: VarianceCarry = {};
      return {
        forecast: (data, folds) => {
          const ctx = context(name, task);
          const levels = quantiles ? task.quantiles : undefined;
          const r = varianceForecasts(spec(options), data.columnRef(task.target), ctx, folds, task.horizon, levels, carry);
          return { values: r.predicted, ...(r.quantiles ? { quantiles: r.quantiles } : {}) };
        },
      };
    },
  };
}

/** The econometric baselines' registry entries. @internal */
export const varianceModels = {
  ewma: varianceModel('ewma', 'RiskMetrics EWMA variance of the returns (lambda 0.94)', (o: { lambda: number }) => ({ kind: 'ewma', lambda: o.lambda }), {
    options: z.object({ lambda: z.number().gt(0).lt(1).default(0.94) }).strict(),
  }),
  har: varianceModel('har', 'HAR regression of a volatility target on its daily, weekly (5) and monthly (22) averages', () => ({ kind: 'har' })),
  garch: varianceModel('garch', 'GARCH(1,1) with normal innovations, fitted by maximum likelihood at each refit', () => ({ kind: 'garch', distribution: 'normal' })),
  'garch-t': varianceModel('garch-t', 'GARCH(1,1) with Student-t innovations', () => ({ kind: 'garch', distribution: 'student-t' })),
};
