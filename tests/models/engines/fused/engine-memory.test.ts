import { describe, expect, it } from 'vitest';
import { BackendError, Series, createForecaster } from '../../../../src/index.js';
import { createEngine } from '../../../../src/models/engines/engines.js';
import { nativeKernels } from '../../../../src/models/engines/fused/kernels.js';
import { engineMemoryStats, memoryLimit } from '../../../../src/models/engines/fused/memory.js';
import { liveGradientWorkers } from '../../../../src/models/engines/fused/thread-pool.js';
import { initWeights, type RecurrentSpec } from '../../../../src/models/engines/weights.js';
import { createRng } from '../../../../src/util/random.js';
import { kernelPaths } from '../../../helpers/kernel-paths.js';

describe('fused engine memory', () => {
  it('a batch too big for the engine fails before training, with the estimate and the limit', async () => {
    const spec: RecurrentSpec = { cell: 'lstm', inputSize: 1, units: 1024, layers: 1, outputSize: 1 };
    const e = await createEngine('fused', spec, initWeights(spec, 1), {
      loss: 'mse',
      optimizer: 'adam',
      learningRate: 1e-3,
      dropout: 0,
      threads: 1,
    });
    const count = 4096;
    const steps = 100;
    const data = { x: new Float32Array(count * steps), y: new Float32Array(count), count, steps };
    const before = Buffer.from(e.getWeights().weight_hh_l0.buffer);
    const error = await e.trainEpoch(data, 4096, createRng(1)).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(BackendError);
    // 100 steps x 4096 windows x 4096 gate values x 4 bytes for the gates alone: 6.25 GiB.
    expect((error as Error).message).toMatch(
      /a batch of 4096 windows x 100 steps needs about (\d+\.\d+) GiB of engine memory \(lstm, 1024 units x 1 layers\), more than the limit of 4\.00 GiB/,
    );
    const gib = Number(/about (\d+\.\d+) GiB/.exec((error as Error).message)![1]);
    expect(gib).toBeGreaterThan(6.25);
    expect(gib).toBeLessThan(30);
    expect(Buffer.from(e.getWeights().weight_hh_l0.buffer).equals(before)).toBe(true);
    e.dispose();
  });

  it('fit() refuses an oversized model before its first epoch', async () => {
    const n = 4400;
    const s = Series.create({
      timestamps: Float64Array.from({ length: n }, (_, i) => Date.UTC(2000, 0, 1) + i * 864e5),
      columns: { close: Float64Array.from({ length: n }, (_, i) => 100 + i) },
    });
    let epochs = 0;
    const model = createForecaster({
      cell: 'lstm',
      units: 1024,
      lookback: 200,
      target: 'close',
      batchSize: 4096,
      epochs: 1,
      engine: 'fused',
      onEpochEnd: () => void epochs++,
    });
    await expect(model.fit(s)).rejects.toThrow(/needs about .* GiB of engine memory .* limit of 4\.00 GiB/);
    expect(epochs).toBe(0);
    model.dispose();
  });

  it('the limit is 4 GiB or the machine memory, whichever is less', () => {
    expect(memoryLimit()).toBeLessThanOrEqual(2 ** 32);
    expect(memoryLimit()).toBeGreaterThan(2 ** 30);
  });

  for (const path of kernelPaths().filter((p) => p.isa !== 'emu16')) {
    it(`${path.name}: dispose releases the engine memory and its worker threads`, async () => {
      const start = engineMemoryStats();
      const regions = nativeKernels()?.addon.stats().regions ?? 0;
      const spec: RecurrentSpec = { cell: 'gru', inputSize: 3, units: 64, layers: 2, outputSize: 1 };
      const rng = createRng(2);
      const data = {
        x: Float32Array.from({ length: 256 * 20 * 3 }, () => rng.uniform(-1, 1)),
        y: new Float32Array(256),
        count: 256,
        steps: 20,
      };
      const e = await createEngine('fused', spec, initWeights(spec, 1), {
        loss: 'mse',
        optimizer: 'adam',
        learningRate: 1e-3,
        dropout: 0,
        threads: 2,
        kernels: path.kernels,
      });
      await e.trainEpoch(data, 128, createRng(1));
      await e.predict(data.x, 256, 20);
      expect(engineMemoryStats().memories).toBe(start.memories + 1);
      expect(engineMemoryStats().bytes).toBeGreaterThan(start.bytes + 256 * 20 * 3 * 64 * 4);
      if (path.kernels === 'native') expect(nativeKernels()!.addon.stats().regions).toBe(regions + 1);
      e.dispose();
      expect(engineMemoryStats()).toEqual(start);
      for (let i = 0; i < 100 && liveGradientWorkers() > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(liveGradientWorkers()).toBe(0);
      // A native region is unmapped once its last attachment (the worker's) is gone.
      if (path.kernels === 'native') {
        for (let i = 0; i < 100 && nativeKernels()!.addon.stats().regions > regions; i++)
          await new Promise((r) => setTimeout(r, 20));
        expect(nativeKernels()!.addon.stats().regions).toBe(regions);
      }
    });
  }
});
