import { describe, expect, it } from 'vitest';
import {
  BackendError,
  CharVocab,
  createCharModel,
  createForecaster,
  createGlobalForecaster,
  loadForecaster,
  readCsv,
} from '../../../../src/index.js';
import { syntheticPanel } from '../../../helpers/panels.js';
import type { RecurrentEngine, TrainConfig } from '../../../../src/models/engines/engine.js';
import { createEngine } from '../../../../src/models/engines/engines.js';
import { gpuDevice } from '../../../../src/models/engines/webgpu/device.js';
import { initWeights, type CellType, type RecurrentSpec } from '../../../../src/models/engines/weights.js';
import { createRng } from '../../../../src/util/random.js';
import { relError, skipGpu } from '../../../helpers/webgpu.js';

const gpu = await skipGpu();
const CELLS: CellType[] = ['rnn', 'lstm', 'gru'];
const LOSSES = ['mse', 'pinball', 'xent', 'qlike'] as const;
type Loss = (typeof LOSSES)[number];

/** Small shapes (SwiftShader runs about 0.1 GFLOP/s): two layers, steps and rows that fill no tile evenly. */
function problem(cell: CellType, loss: Loss) {
  const rng = createRng(CELLS.indexOf(cell) * 10 + LOSSES.indexOf(loss));
  const [count, steps, F, units] = [14, 6, 3, 9];
  const outputSize = loss === 'xent' ? 5 : loss === 'pinball' ? 2 * 3 : 2;
  const spec: RecurrentSpec = { cell, units, layers: 2, inputSize: F, outputSize };
  const x = Float32Array.from({ length: count * steps * F }, () => rng.uniform(-1, 1));
  const y =
    loss === 'xent'
      ? Int32Array.from({ length: count * steps }, () => rng.int(5))
      : Float32Array.from({ length: count * 2 }, () => rng.uniform(-1, 1));
  // QLIKE reads the targets as log variances, each window with its factor to log-variance units.
  const lossScale =
    loss === 'qlike' ? { lossScale: Float32Array.from({ length: count }, () => rng.uniform(0.5, 2)) } : {};
  const config: TrainConfig = {
    loss: loss === 'xent' || loss === 'qlike' ? loss : 'mse',
    optimizer: 'adam',
    learningRate: 0.01,
    dropout: 0.25,
    clipNorm: 0.5,
    ...(loss === 'pinball' ? { quantiles: [0.1, 0.5, 0.9] } : {}),
  };
  return { spec, data: { x, y, count, steps, ...lossScale }, config };
}

async function both(spec: RecurrentSpec, config: TrainConfig, seed = 1): Promise<[RecurrentEngine, RecurrentEngine]> {
  const w = initWeights(spec, seed);
  return [await createEngine('fused', spec, w, config), await createEngine('webgpu', spec, w, config)];
}

describe.skipIf(gpu.skip)(`the webgpu engine against the fused engine${gpu.title}`, () => {
  for (const cell of CELLS)
    for (const loss of LOSSES)
      it(`${cell}, ${loss}: gradients within 1e-5; with dropout and clipping, 2 epochs' forecasts 1e-4`, async () => {
        const { spec, data, config } = problem(cell, loss);
        const [fused, gpuEngine] = await both(spec, config);
        try {
          const [gf, gg] = [await fused.gradients(data), await gpuEngine.gradients(data)];
          expect(Math.abs(gg.loss - gf.loss) / gf.loss).toBeLessThan(1e-5);
          for (const name of Object.keys(gf.grads))
            expect(relError(gg.grads[name], gf.grads[name]), name).toBeLessThan(1e-5);
          for (let epoch = 0; epoch < 2; epoch++) {
            const [lf, lg] = [
              await fused.trainEpoch(data, 5, createRng(epoch)),
              await gpuEngine.trainEpoch(data, 5, createRng(epoch)),
            ];
            expect(Math.abs(lg - lf) / lf).toBeLessThan(1e-5);
          }
          const [pf, pg] = [
            await fused.predict(data.x, data.count, data.steps),
            await gpuEngine.predict(data.x, data.count, data.steps),
          ];
          expect(relError(pg, pf)).toBeLessThan(1e-4);
          const [ef, eg] = [await fused.evaluate(data), await gpuEngine.evaluate(data)];
          expect(Math.abs(eg - ef) / ef).toBeLessThan(1e-5);
          const [wf, wg] = [fused.getWeights(), gpuEngine.getWeights()];
          for (const name of Object.keys(wf)) expect(relError(wg[name], wf[name]), name).toBeLessThan(1e-4);
        } finally {
          fused.dispose();
          gpuEngine.dispose();
        }
      });

  it('gradients over 2,080 steps x rows (weight gradients split over K) within 1e-5', async () => {
    const rng = createRng(99);
    const [count, steps] = [130, 16];
    const spec: RecurrentSpec = { cell: 'lstm', units: 4, layers: 1, inputSize: 2, outputSize: 1 };
    const data = {
      x: Float32Array.from({ length: count * steps * 2 }, () => rng.uniform(-1, 1)),
      y: Float32Array.from({ length: count }, () => rng.uniform(-1, 1)),
      count,
      steps,
    };
    const [fused, gpuEngine] = await both(spec, { loss: 'mse', optimizer: 'adam', learningRate: 0.01, dropout: 0 });
    try {
      const [gf, gg] = [await fused.gradients(data), await gpuEngine.gradients(data)];
      for (const name of Object.keys(gf.grads))
        expect(relError(gg.grads[name], gf.grads[name]), name).toBeLessThan(1e-5);
    } finally {
      fused.dispose();
      gpuEngine.dispose();
    }
  });

  it('a layer wider than a workgroup (260 units: two units per invocation, fewer rows per workgroup)', async () => {
    const rng = createRng(7);
    const [count, steps] = [3, 2];
    const spec: RecurrentSpec = { cell: 'lstm', units: 260, layers: 1, inputSize: 2, outputSize: 1 };
    const x = Float32Array.from({ length: count * steps * 2 }, () => rng.uniform(-1, 1));
    const data = { x, y: Float32Array.from({ length: count }, () => rng.uniform(-1, 1)), count, steps };
    const [fused, gpuEngine] = await both(spec, { loss: 'mse', optimizer: 'adam', learningRate: 0.01, dropout: 0 });
    try {
      const [gf, gg] = [await fused.gradients(data), await gpuEngine.gradients(data)];
      for (const name of Object.keys(gf.grads)) {
        expect(relError(gg.grads[name], gf.grads[name]), name).toBeLessThan(1e-5);
      }
    } finally {
      fused.dispose();
      gpuEngine.dispose();
    }
  });

  it.each(['rmsprop', 'sgd'] as const)('%s trains to the same weights within 1e-4', async (optimizer) => {
    const { spec, data, config } = problem('lstm', 'mse');
    const [fused, gpuEngine] = await both(spec, { ...config, optimizer, dropout: 0 });
    try {
      for (let epoch = 0; epoch < 2; epoch++)
        await Promise.all([
          fused.trainEpoch(data, 4, createRng(epoch)),
          gpuEngine.trainEpoch(data, 4, createRng(epoch)),
        ]);
      const [wf, wg] = [fused.getWeights(), gpuEngine.getWeights()];
      for (const name of Object.keys(wf)) expect(relError(wg[name], wf[name]), name).toBeLessThan(1e-4);
    } finally {
      fused.dispose();
      gpuEngine.dispose();
    }
  });

  it("a character model (cross-entropy at every step) learns hihello with the fused engine's losses", async () => {
    const fit = async (engine: 'fused' | 'webgpu') => {
      const model = createCharModel({
        vocab: CharVocab.fromChars(['h', 'i', 'e', 'l', 'o']),
        cell: 'rnn',
        units: 5,
        learningRate: 0.1,
        epochs: 60,
        seed: 0,
        engine,
      });
      await model.fit('hihello');
      const out = { prediction: await model.predict('hihell'), losses: model.training!.history.map((h) => h.loss) };
      model.dispose();
      return out;
    };
    const [cpu, gpuModel] = [await fit('fused'), await fit('webgpu')];
    expect(gpuModel.prediction).toBe('ihello');
    expect(relError(gpuModel.losses, cpu.losses)).toBeLessThan(1e-4);
  });

  it('a global model over a panel forecasts every symbol as on the fused engine', async () => {
    const panel = syntheticPanel({ symbols: 4, days: 90, seed: 2, columns: ['close'] });
    const fit = async (engine: 'fused' | 'webgpu') =>
      (
        await createGlobalForecaster({ lookback: 8, units: 6, epochs: 2, batchSize: 32, seed: 1, engine }).fit(panel)
      ).predict(panel);
    const [cpu, gpuForecasts] = [await fit('fused'), await fit('webgpu')];
    for (const s of panel.symbols) expect(relError(gpuForecasts[s].values, cpu[s].values), s).toBeLessThan(1e-4);
  });

  it('names the engine and the adapter in the run, and says what threads means', async () => {
    const { spec, config } = problem('gru', 'mse');
    const e = await createEngine('webgpu', spec, initWeights(spec, 1), { ...config, threads: 2 });
    const run = e.describe();
    e.dispose();
    expect(run).toMatchObject({ engine: 'webgpu', kernels: 'webgpu', requestedThreads: 2, threads: 1 });
    expect(run.adapter).toMatch(/\w/);
    expect(run.note).toContain('share one device');
  });

  it('a forecaster trained on webgpu loads on the fused engine and the other way round', async () => {
    const ncsoft = await readCsv('fixtures/ncsoft-weekly.csv');
    const small = {
      units: 6,
      lookback: 5,
      target: 'stock_price',
      features: ['num_search', 'stock_price'],
      epochs: 2,
      batchSize: 4,
      learningRate: 0.01,
      cell: 'lstm' as const,
      seed: 3,
    };
    const onGpu = await createForecaster({ ...small, engine: 'webgpu' }).fit(ncsoft);
    const onCpu = await createForecaster({ ...small, engine: 'fused' }).fit(ncsoft);
    expect(onGpu.training?.run).toMatchObject({ engine: 'webgpu' });
    const gpuOnCpu = await loadForecaster(await onGpu.toBytes(), { engine: 'fused' });
    const cpuOnGpu = await loadForecaster(await onCpu.toBytes(), { engine: 'webgpu' });
    const values = async (m: { predict(s: typeof ncsoft): Promise<{ values: ArrayLike<number> }> }) =>
      Array.from((await m.predict(ncsoft)).values);
    expect(relError(await values(gpuOnCpu), await values(onGpu))).toBeLessThan(1e-5);
    expect(relError(await values(cpuOnGpu), await values(onCpu))).toBeLessThan(1e-5);
    // Two epochs of the same seed on either engine give the same model within float32 tolerance.
    expect(relError(await values(onGpu), await values(onCpu))).toBeLessThan(1e-4);
    for (const m of [onGpu, onCpu, gpuOnCpu, cpuOnGpu]) m.dispose();
  });

  it('turns a lost device into a BackendError, and the next engine gets a new device', async () => {
    const { spec, data, config } = problem('rnn', 'mse');
    const e = await createEngine('webgpu', spec, initWeights(spec, 1), config);
    (await gpuDevice()).device.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(e.trainEpoch(data, 4, createRng(0))).rejects.toThrow(BackendError);
    await expect(e.predict(data.x, data.count, data.steps)).rejects.toThrow('the GPU device was lost');
    e.dispose();
    const again = await createEngine('webgpu', spec, initWeights(spec, 1), config);
    expect((await again.predict(data.x, data.count, data.steps)).length).toBe(data.count * 2);
    again.dispose();
  });
});
