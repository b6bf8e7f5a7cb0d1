import { describe, expect, it } from 'vitest';
import {
  BackendError,
  createForecaster,
  createGlobalForecaster,
  createScaler,
  Panel,
  readCsv,
  Series,
  ValidationError,
} from '../../../src/index.js';
import { targetSpread } from '../../../src/models/recurrent/loss-scale.js';
import { WebGpuEngine } from '../../../src/models/engines/webgpu/webgpu-engine.js';
import { initWeights } from '../../../src/models/engines/weights.js';

const daily = await readCsv('fixtures/realized/daily-measures.csv');
const lrv = daily.withColumn('lrv', daily.column('rv').map(Math.log)).select(['lrv']);

describe("loss: 'qlike' options", () => {
  it('take windowNorm none (the default with qlike, recorded) and no quantiles, on both forecasters', () => {
    const model = createForecaster({ loss: 'qlike' });
    expect(model.options.windowNorm).toBe('none');
    expect(model.adjusted).toEqual([
      {
        option: 'windowNorm',
        value: 'none',
        reason:
          "loss 'qlike' was given without windowNorm, and the default 'last' would rescale log variances " +
          'window by window',
      },
    ]);
    expect(() => createForecaster({ loss: 'qlike', windowNorm: 'last' })).toThrow(ValidationError);
    expect(() => createForecaster({ loss: 'qlike', windowNorm: 'zscore' })).toThrow(
      /loss 'qlike' reads the target as log variances, which windowNorm would rescale window by window: use window/,
    );
    expect(() => createForecaster({ loss: 'qlike', windowNorm: 'none', quantiles: [0.1, 0.5, 0.9] })).toThrow(
      /quantiles train with the pinball loss/,
    );
    expect(createForecaster({ loss: 'qlike', windowNorm: 'none', scaler: 'standard' }).options.loss).toBe('qlike');
    expect(createForecaster({}).options.loss).toBe('mse');
    expect(createGlobalForecaster({ loss: 'qlike' }).options.windowNorm).toBe('none');
    expect(() => createGlobalForecaster({ loss: 'qlike', windowNorm: 'last' })).toThrow(/use windowNorm: 'none'/);
    expect(createGlobalForecaster({ loss: 'qlike', windowNorm: 'none' }).options.loss).toBe('qlike');
  });

  it('the webgpu engine refuses qlike until its kernels have it, instead of training MSE', async () => {
    const spec = { cell: 'lstm' as const, inputSize: 1, units: 4, layers: 1, outputSize: 1 };
    const config = { loss: 'qlike' as const, optimizer: 'adam' as const, learningRate: 0.01, dropout: 0 };
    await expect(WebGpuEngine.create(spec, initWeights(spec, 1), config)).rejects.toThrow(BackendError);
    await expect(WebGpuEngine.create(spec, initWeights(spec, 1), config)).rejects.toThrow(
      /does not train with loss 'qlike'/,
    );
  });

  it("targetSpread is the scaler's spread of the target: one network unit in target units", () => {
    const s = Series.create({ timestamps: [0, 1, 2], columns: { a: [1, 2, 9], b: [-1, 0, 1] } });
    expect(targetSpread(undefined, 'a')).toBe(1);
    expect(targetSpread(createScaler('minmax').fit(s), 'a')).toBeCloseTo(8, 12);
    expect(targetSpread(createScaler('standard').fit(s), 'b')).toBeCloseTo(Math.sqrt(2 / 3), 12);
  });
});

describe("a forecaster trained with loss: 'qlike'", () => {
  it.each(['none', 'standard', 'minmax'] as const)(
    'scaler %s: the validation loss is QLIKE of the forecast variances, in log-variance units',
    async (scaler) => {
      const series = lrv.slice(0, 300);
      const model = await createForecaster({
        target: 'lrv',
        loss: 'qlike',
        windowNorm: 'none',
        scaler,
        lookback: 10,
        units: 8,
        epochs: 4,
        learningRate: 0.01,
        engine: 'fused',
        seed: 3,
        // The model validation chose, not a retrained one: its validation loss is in the history.
        finalFit: 'training',
      }).fit(series);
      const { history, bestEpoch } = model.training!;
      expect(bestEpoch).toBeGreaterThan(0);
      // Early stopping selects on the earlier half of the validation windows (the later half checks the model).
      const trainRows = series.length - Math.round(series.length * 0.2);
      const half = Math.floor((series.length - trainRows) / 2);
      const origins = Int32Array.from({ length: half }, (_, i) => trainRows + i);
      const predicted = await model.predictAt(series, origins);
      const y = series.column('lrv');
      let q = 0;
      origins.forEach((t, i) => {
        const d = y[t] - predicted[i];
        q += (Math.exp(d) - d - 1) / origins.length;
      });
      expect(Math.abs(q - history[bestEpoch - 1].valLoss!)).toBeLessThan(1e-4 * q);
      model.dispose();
    },
  );

  it("global forecaster: each symbol's scaler spread enters the loss", async () => {
    const a = lrv.slice(0, 200);
    const tripled = a.withColumn(
      'lrv',
      a.column('lrv').map((v) => 3 * v),
    );
    const fit = async (second: Series) => {
      const panel = Panel.create([
        ['A', a],
        ['B', second.withMeta({ symbol: 'B' })],
      ]);
      const model = await createGlobalForecaster({
        target: 'lrv',
        loss: 'qlike',
        windowNorm: 'none',
        scaler: 'standard',
        lookback: 8,
        units: 4,
        epochs: 2,
        engine: 'fused',
        seed: 1,
      }).fit(panel);
      const losses = model.history.map((h) => h.loss);
      model.dispose();
      return losses;
    };
    const same = await fit(a);
    const mixed = await fit(tripled);
    // Standardized, A and 3A are the same inputs: only the spreads (s and 3s) tell them apart in the loss.
    expect(same.every(Number.isFinite) && mixed.every(Number.isFinite)).toBe(true);
    expect(mixed[0]).not.toBeCloseTo(same[0], 4);
  });
});
