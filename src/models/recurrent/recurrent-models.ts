/**
 * The recurrent forecasters (`rnn`, `lstm`, `gru`) as registered models: a fresh forecaster from the seed at every
 * refit on one series, one global forecaster over every symbol on a panel.
 */
import { ValidationError } from '../../errors.js';
import { parseOptions } from '../../validate.js';
import { CELL_TABLE, CELLS } from '../../vocabulary.js';
import type { CellType } from '../engines/weights.js';
import type {
  ModelDefinition,
  ModelEnvironment,
  ModelTask,
  PanelModel,
  ResolvedModel,
  SeriesModel,
} from '../contract.js';
import { createForecaster, type RecurrentForecaster } from './forecaster.js';
import { ForecasterFields, ForecasterOptionsSchema, type ForecasterOptions } from './forecaster-options.js';
import { createGlobalForecaster, type GlobalForecaster } from './global-forecaster.js';
import { GlobalForecasterFields, GlobalForecasterOptionsSchema } from './global-forecaster-options.js';
import type { GlobalForecasterOptions } from './global-forecaster-options.js';
import { volatilityFloor } from '../baselines/variance-baselines.js';
import { hybridPanelModel, hybridSeriesModel } from './hybrid-model.js';
import { HybridFields, hybridOptionsInput, planRecurrent, VOLATILITY_DEFAULTS } from './volatility-defaults.js';

/**
 * Inputs the target kind needs when the user chose none, the one rule for every recurrent model on one series and
 * on panels: windows relative to their last value divide by it, which log returns (they cross zero) and realized
 * volatilities and variances (a quiet span can make them exactly 0) cannot promise; their windows read values
 * standardized on each training window (per symbol on a panel) instead. Prices keep the default `last`.
 * @internal
 */
export function inputsFor(
  options: { windowNorm?: unknown; scaler?: unknown },
  task: ModelTask,
): { windowNorm?: 'none'; scaler?: 'standard' } {
  if (task.targetKind === 'price' || options.windowNorm !== undefined) return {};
  return { windowNorm: 'none', ...(options.scaler === undefined ? { scaler: 'standard' as const } : {}) };
}

/**
 * Forecasts of a volatility or variance target raised to the positive floor of the rows before the origin
 * ({@link volatilityFloor}): a network in levels can extrapolate below 0, which such a target never is.
 */
function floored(values: Float64Array, task: ModelTask, y: ArrayLike<number>, from: number, to: number): Float64Array {
  if (task.targetKind !== 'volatility' && task.targetKind !== 'variance') return values;
  const floor = volatilityFloor(y, from, to);
  return values.map((v) => Math.max(floor, v));
}

/** The task's part of the forecaster options: target, horizon, quantiles and threads. */
function taskOptions(task: ModelTask, threads: number | 'auto' | undefined): Partial<ForecasterOptions> {
  return {
    target: task.target,
    horizon: task.horizon,
    ...(task.quantiles ? { quantiles: [...task.quantiles] } : {}),
    ...(threads !== undefined ? { threads } : {}),
  };
}

function seriesModel(options: ForecasterOptions, task: ModelTask, threads: number | 'auto' | undefined): SeriesModel {
  let forecaster: RecurrentForecaster | undefined;
  const complete: ForecasterOptions = { ...options, ...inputsFor(options, task), ...taskOptions(task, threads) };
  return {
    async fit(data, window) {
      forecaster?.dispose();
      forecaster = createForecaster(complete);
      await forecaster.fit(data.slice(window.trainStart, window.origin));
    },
    async forecast(data, folds) {
      const origins = folds.map((f) => f.origin);
      // One origin: the model sees the series cut at it; several read their own windows, each ending before its origin.
      const view = origins.length === 1 ? data.slice(0, origins[0]) : data;
      const H = task.horizon;
      const values = await forecaster!.predictAt(view, origins);
      const K = task.quantiles?.length ?? 0;
      const q = K > 0 ? await forecaster!.predictQuantilesAt(view, origins) : undefined;
      const y = data.columnRef(task.target);
      const at = (k: number, a: Float64Array) => floored(a, task, y, folds[k].trainStart, folds[k].origin);
      return {
        values: origins.map((_, k) => at(k, values.subarray(k * H, (k + 1) * H))),
        ...(q
          ? {
              quantiles: origins.map((_, k) =>
                Array.from({ length: H }, (_, h) => at(k, q.subarray((k * H + h) * K, (k * H + h + 1) * K))),
              ),
            }
          : {}),
      };
    },
    training: () => forecaster?.training,
    dispose: () => forecaster?.dispose(),
  };
}

/**
 * Checks a hybrid's options and base against the task: options a plain network alone has are refused, the base
 * must forecast the target and not be learned itself.
 */
function checkHybrid(options: Record<string, unknown>, task: ModelTask, base: ResolvedModel): void {
  if (base.definition.learned)
    throw new ValidationError('model spec', [
      {
        path: '',
        message: `the base of a hybrid is fitted without training (har, garch, ewma): received ${base.spec}`,
      },
    ]);
  if (task.targetKind !== 'volatility' && task.targetKind !== 'variance') {
    const message = `a hybrid (rnn, lstm or gru on a base) corrects a volatility or variance forecast: the target is a ${task.targetKind}; use a target transform such as rv:5, or the plain spec`;
    throw new ValidationError('model spec', [{ path: '', message }]);
  }
  const parsed = HybridFields.safeParse(hybridOptionsInput(options));
  if (!parsed.success) throw ValidationError.fromZod(`options of a hybrid on ${base.spec}`, parsed.error);
  if (base.definition.targets && !base.definition.targets.includes(task.targetKind)) {
    throw new ValidationError('model spec', [
      {
        path: '',
        message: `the base ${base.spec} forecasts ${base.definition.targets.join(' or ')} targets, not ${task.targetKind}s`,
      },
    ]);
  }
  base.definition.check?.(base.options, task, 'series');
}

function recurrentModel(cell: CellType): ModelDefinition<ForecasterOptions> {
  const given = (o: object) => o as Record<string, unknown>;
  return {
    description: `${CELL_TABLE[cell].model}, a fresh model from the seed at every refit (a global model on panels)`,
    // Fields only: the rules that tie options together (quantiles and calibration, windowNorm and scaler) depend on
    // the task too, and are checked with it (check).
    options: ForecasterFields.extend({ seeds: HybridFields.shape.seeds }).partial() as never,
    panelOptions: GlobalForecasterFields.extend({ seeds: HybridFields.shape.seeds }).partial() as never,
    presets: { cell },
    learned: true,
    forecaster: true,
    composes: true,
    // A hybrid (the volatility default, or a spec on a base) gives point forecasts only.
    quantiles: (o, task) => planRecurrent(given(o), task, undefined).kind === 'plain',
    history: (o, task) =>
      o.lookback ?? (planRecurrent(given(o), task, undefined).kind === 'hybrid' ? VOLATILITY_DEFAULTS.lookback : 30),
    check: (o, task, scope, base) => {
      if (o.cell !== undefined && o.cell !== cell)
        throw new ValidationError('model spec', [
          {
            path: 'cell',
            message: `the spec "${cell}" sets cell ${cell}: leave cell out, or use the spec "${o.cell}"`,
          },
        ]);
      const plan = planRecurrent(given(o), task, base);
      if (plan.kind === 'hybrid') {
        for (const b of plan.bases!) checkHybrid(given(o), task, b);
        return;
      }
      if (given(o).seeds !== undefined)
        throw new ValidationError('model spec', [
          {
            path: 'seeds',
            message:
              'seeds (a seed ensemble) applies to recurrent volatility models (a hybrid): this one is a plain network',
          },
        ]);
      const schema = scope === 'panel' ? GlobalForecasterOptionsSchema : ForecasterOptionsSchema;
      parseOptions(schema, { ...o, ...inputsFor(o, task), ...taskOptions(task, undefined) }, 'forecaster options');
    },
    series: (options, task, env) => {
      const plan = planRecurrent(given(options), task, env.base);
      if (plan.kind === 'hybrid')
        return hybridSeriesModel({ ...options, cell }, task, plan.bases!, plan.applied, env.threads);
      return seriesModel({ ...options, cell }, task, env.threads);
    },
    panel: (options, task, env) => {
      const plan = planRecurrent(given(options), task, env.base);
      if (plan.kind === 'hybrid') return hybridPanelModel({ ...options, cell }, task, plan.bases!, plan.applied, env);
      return globalModel(cell, options, task, env);
    },
  };
}

function globalModel(cell: CellType, options: ForecasterOptions, task: ModelTask, env: ModelEnvironment): PanelModel {
  let global: GlobalForecaster | undefined;
  const o = options as GlobalForecasterOptions;
  const complete = {
    ...o,
    cell,
    ...inputsFor(o, task),
    ...(taskOptions(task, env.threads) as GlobalForecasterOptions),
  };
  return {
    async fit(train) {
      global?.dispose();
      global = await createGlobalForecaster(complete).fit(train);
    },
    async forecast(history, known) {
      const predicted = await global!.predict(history, known ? { known } : {});
      return Object.fromEntries(
        Object.entries(predicted).map(([symbol, f]) => {
          const y = history.get(symbol).columnRef(task.target);
          const at = (a: Float64Array) => floored(a, task, y, 0, y.length);
          return [symbol, { values: at(f.values), ...(f.quantiles ? { quantiles: at(f.quantiles.values) } : {}) }];
        }),
      );
    },
    training: () => global?.training,
    dispose: () => global?.dispose(),
  };
}

/** The recurrent forecasters' registry entries. @internal */
export const recurrentModels = Object.fromEntries(CELLS.map((cell) => [cell, recurrentModel(cell)])) as Record<
  CellType,
  ModelDefinition<ForecasterOptions>
>;
