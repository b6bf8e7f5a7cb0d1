import { describe, expect, it } from 'vitest';
import { applyTargetTransform, readCsv, walkForward } from '../../../src/index.js';
import { resolveModel } from '../../../src/models/resolve.js';
import { modelTask, planFolds } from '../../../src/backtest/folds.js';
import { baseForecasts } from '../../../src/models/recurrent/hybrid-model.js';
import { VolatilityHybrid, type HybridPart } from '../../../src/models/recurrent/hybrid.js';
import { correctionSpec, startWeights } from '../../../src/models/recurrent/correction-net.js';
import { hybridOptions } from '../../../src/models/recurrent/volatility-defaults.js';
import type { ModelTask } from '../../../src/models/contract.js';
import type { Series } from '../../../src/data/series.js';

const sp = (await readCsv('fixtures/sp500-2000.csv')).slice(3000, 3450);
const t = applyTargetTransform(sp, 'rv:5');
const data = t.series;
const derived = { returns: t.returns, transform: t.transform, periodsPerYear: t.periodsPerYear, daily: t.daily };
// No validation windows: the networks are always kept (the check against the base needs validation windows).
const small = { lookback: 5, units: 4, epochs: 3, batchSize: 32, seeds: 2, threads: 1, validation: 0 };

async function taskFor(
  spec: string,
  H = 2,
): Promise<{ task: ModelTask; model: Awaited<ReturnType<typeof resolveModel>> }> {
  const model = await resolveModel({ model: spec, options: small });
  return { model, task: modelTask(model, { target: t.target, horizon: H, derived }) };
}

/** A fitted hybrid on the rows before `origin`, with its base's forecasts at the training origins. */
async function fitted(spec: string, series: Series, task: ModelTask, origin: number, returns = derived.returns) {
  const model = await resolveModel({ model: spec, options: small });
  const base = model.base!;
  const h = new VolatilityHybrid(
    hybridOptions({ ...model.options, cell: model.key }),
    'volatility',
    task.horizon,
    base.spec,
    true,
  );
  const seen = series.slice(0, origin);
  const part: HybridPart = {
    key: '',
    rows: { y: seen.columnRef(t.target), returns },
    from: 0,
    to: origin,
    warm: 100,
    bases: [
      {
        spec: base.spec,
        at: (origins: number[]) =>
          baseForecasts(
            base,
            task,
            seen,
            origins.map((o, i) => ({ origin: o, trainStart: 0, refit: i % 100 === 0 })),
          ),
      },
    ],
  };
  return { hybrid: await h.fit([part]), base };
}

describe('hybrid volatility models (lstm+har, lstm+garch, gru+ewma)', () => {
  it('resolve through the registry: the learned model composes on any variance base', async () => {
    for (const spec of ['lstm+har', 'lstm+garch', 'gru+ewma', 'rnn+garch-t']) {
      const { model, task } = await taskFor(spec);
      expect(model.spec).toBe(spec);
      expect(task.quantiles).toBeUndefined();
    }
    await expect(taskFor('lstm+lstm')).rejects.toThrow(/base of a hybrid is fitted without training/);
    await expect(
      resolveModel({ model: 'lstm+har', options: { features: ['close'] } }).then((m) =>
        modelTask(m, { target: t.target, horizon: 1, derived }),
      ),
    ).rejects.toThrow(/features/);
  });

  it("the base through the contract is the base's own backtest, and the untrained start is the base bit for bit", async () => {
    const { task } = await taskFor('lstm+har', 2);
    const plan = planFolds(data.length, { horizon: 2, testSize: 60, window: 'expanding', refit: 20, step: 2 }).folds;
    const har = await walkForward(sp, 'har', { targetTransform: 'rv:5', horizon: 2, testSize: 60, refit: 20 });
    const viaContract = await baseForecasts(await resolveModel('har'), task, data, plan);
    expect(viaContract.map((v) => Array.from(v))).toEqual(har.folds.map((f) => f.predicted));
    const { hybrid } = await fitted('lstm+har', data, task, plan[0].origin);
    const spec = correctionSpec(hybrid.options, hybrid.inputs.length, 2);
    expect(hybrid.engines).toHaveLength(2);
    hybrid.engines.forEach((e, k) => e.setWeights(startWeights(spec, hybrid.options.seed + k)));
    const origins = plan.map((f) => f.origin);
    const start = await hybrid.predict(
      '',
      { y: data.columnRef(t.target), returns: derived.returns },
      origins,
      viaContract,
    );
    start.forEach((v, k) => Array.from(v).forEach((x, h) => expect(Object.is(x, viaContract[k][h])).toBe(true)));
    hybrid.dispose();
  });

  it('reads nothing at or after the origin (1e9 poison in the target, the returns and the prices)', async () => {
    const { task } = await taskFor('lstm+garch', 2);
    const origin = 400;
    const poison = (x: number[] | Float64Array) => Array.from(x, (v, i) => (i >= origin ? 1e9 : v));
    const poisoned = data.columns.reduce((s, c) => s.withColumn(c, poison(data.column(c))), data);
    const ret = Float64Array.from(poison(derived.returns));
    const run = async (series: Series, returns: Float64Array) => {
      const tk = { ...task, derived: { ...derived, returns } };
      const model = await resolveModel({ model: 'lstm+garch', options: small });
      const m = model.definition.series(model.options, tk, { base: model.base! });
      await m.fit!(series, { origin, trainStart: 0, refit: true });
      const f = await m.forecast(series, [{ origin, trainStart: 0, refit: true }]);
      m.dispose?.();
      return Array.from(f.values[0]);
    };
    const clean = await run(data, derived.returns);
    expect(await run(poisoned, ret)).toEqual(clean);
    expect(clean.every((x) => Number.isFinite(x) && x > 0)).toBe(true);
  });

  it('a seed ensemble forecasts the mean of its members; save and load give the same forecasts', async () => {
    const { task } = await taskFor('gru+ewma', 1);
    const { hybrid, base } = await fitted('gru+ewma', data, task, 380);
    expect(hybrid.engines).toHaveLength(2);
    expect(hybrid.training!.members.map((m) => m.seed)).toEqual([hybrid.options.seed, hybrid.options.seed + 1]);
    const origins = [380, 390, 400];
    const b = await baseForecasts(
      base,
      task,
      data,
      origins.map((o, i) => ({ origin: o, trainStart: 0, refit: i === 0 })),
    );
    const rows = { y: data.columnRef(t.target), returns: derived.returns };
    const members = await hybrid.memberForecasts('', rows, origins, b);
    const mean = await hybrid.predict('', rows, origins, b);
    mean.forEach((v, k) => expect(v[0]).toBe((members[0][k][0] + members[1][k][0]) / 2));
    const loaded = await VolatilityHybrid.fromJSON(JSON.parse(JSON.stringify(hybrid.toJSON())));
    expect(await loaded.predict('', rows, origins, b)).toEqual(mean);
    expect(loaded.training).toEqual(hybrid.training);
    hybrid.dispose();
    loaded.dispose();
  });

  it('worker threads give the forecasts of the calling thread', async () => {
    const o = { targetTransform: 'rv:5', horizon: 1, testSize: 40, refit: 20, forecaster: small } as const;
    const serial = await walkForward(sp, 'lstm+har', { ...o, concurrency: 1 });
    const parallel = await walkForward(sp, 'lstm+har', { ...o, concurrency: 2 });
    expect(parallel.folds.map((f) => f.predicted)).toEqual(serial.folds.map((f) => f.predicted));
  });
});
