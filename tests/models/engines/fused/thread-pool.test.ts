import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendError, type StockcastError } from '../../../../src/errors.js';
import type { TrainConfig, WorkerFault } from '../../../../src/models/engines/engine.js';
import { createEngine } from '../../../../src/models/engines/engines.js';
import { liveGradientWorkers } from '../../../../src/models/engines/fused/thread-pool.js';
import { workerExecArgv } from '../../../../src/util/start-worker.js';
import { initWeights, type RecurrentSpec } from '../../../../src/models/engines/weights.js';
import { createRng } from '../../../../src/util/random.js';
import { kernelPaths } from '../../../helpers/kernel-paths.js';

const spec: RecurrentSpec = { cell: 'lstm', inputSize: 5, units: 48, layers: 1, outputSize: 1 };
const rng = createRng(5);
const data = {
  x: Float32Array.from({ length: 128 * 30 * 5 }, () => rng.uniform(-1, 1)),
  y: Float32Array.from({ length: 128 }, () => rng.uniform(-1, 1)),
  count: 128,
  steps: 30,
};
const first = { ...data, count: 64 };

async function noWorkersLeft(): Promise<number> {
  for (let i = 0; i < 100 && liveGradientWorkers() > 0; i++) await new Promise((r) => setTimeout(r, 20));
  return liveGradientWorkers();
}

afterEach(async () => {
  expect(await noWorkersLeft()).toBe(0);
});

describe('a failing gradient worker surfaces as a typed error', () => {
  const faults: Array<[WorkerFault, RegExp]> = [
    ['startup', /could not start: gradient worker [12] of 2: injected start-up failure/],
    ['throw', /worker failed: gradient worker [12] of 2: Error: injected failure/],
    ['exit', /worker failed: gradient worker [12] of 2: exited with code 3/],
  ];
  for (const kernels of kernelPaths()
    .filter((p) => p.isa !== 'emu16')
    .map((p) => p.kernels)) {
    it.each(faults)(`${kernels}: %s`, async (fault, message) => {
      const config: TrainConfig = {
        loss: 'mse',
        optimizer: 'adam',
        learningRate: 0.01,
        dropout: 0,
        threads: 3,
        kernels,
        fault,
      };
      const e = await createEngine('fused', spec, initWeights(spec, 1), config);
      // One clean batch first (workers start and run it), then the failure; startup faults fail in that batch.
      const warm = fault === 'startup' ? undefined : await e.trainEpoch(first, 64, createRng(1));
      expect(warm === undefined || Number.isFinite(warm)).toBe(true);
      const started = performance.now();
      const error = await e.trainEpoch(data, 64, createRng(1)).then(
        () => undefined,
        (err: unknown) => err,
      );
      const seconds = (performance.now() - started) / 1000;
      expect(error).toBeInstanceOf(BackendError);
      expect((error as StockcastError).code).toBe('BACKEND_ERROR');
      expect((error as Error).message).toMatch(message);
      // Start-up includes loading the worker (TypeScript sources here); failures of running workers surface at once.
      expect(seconds).toBeLessThan(fault === 'startup' ? 10 : 1);
      expect(await noWorkersLeft()).toBe(0);
      e.dispose();
    });
  }

  it('wasm: a memory.grow failure at the 4 GiB cap inside a worker', async () => {
    const config: TrainConfig = {
      loss: 'mse',
      optimizer: 'adam',
      learningRate: 0.01,
      dropout: 0,
      threads: 2,
      kernels: 'wasm',
      fault: 'grow',
    };
    const e = await createEngine('fused', spec, initWeights(spec, 1), config);
    await e.trainEpoch(first, 64, createRng(1));
    const started = performance.now();
    const error = await e.trainEpoch(data, 64, createRng(1)).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toMatch(
      /gradient worker 1 of 1: RangeError: .*(Maximum memory size exceeded|grow)/i,
    );
    expect((performance.now() - started) / 1000).toBeLessThan(1);
    e.dispose();
  });
});

describe('workers start from any way of running node', () => {
  it('drops the options only the main script may have', () => {
    expect(
      workerExecArgv(['--input-type=module', '-e', 'code', '--import', 'tsx', '--max-old-space-size=512']),
    ).toEqual(['--import', 'tsx', '--max-old-space-size=512']);
    expect(workerExecArgv(['--input-type', 'module', '--eval=code', '-p', 'x', '--print=y'])).toEqual([]);
  });

  // Two threads with batches large enough to split, from a script given to node -e and on stdin.
  const index = pathToFileURL(resolve('src/index.ts')).href;
  const script = `import { createForecaster, Series } from '${index}';
const n = 400;
const s = Series.create({ timestamps: Float64Array.from({ length: n }, (_, i) => Date.UTC(2020, 0, 1) + i * 864e5), columns: { close: Float64Array.from({ length: n }, (_, i) => 100 + Math.sin(i / 9) * 10 + i / 20) } });
const m = await createForecaster({ cell: 'lstm', units: 64, lookback: 30, target: 'close', epochs: 2, batchSize: 128, threads: 2, seed: 1 }).fit(s);
console.log(JSON.stringify(m.training.run));
m.dispose();`;
  const run = (args: string[], input?: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', ...args], {
      input,
      encoding: 'utf8',
      timeout: 60_000,
    });

  it.each([
    ['node -e', () => run(['-e', script])],
    ['a script on stdin', () => run([], script)],
  ])('%s trains on two threads instead of hanging', (_, go) => {
    const r = go();
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ engine: 'fused', threads: 2, requestedThreads: 2 });
  });
});
