import { describe, expect, it } from 'vitest';
import type { TrainConfig } from '../../../../src/models/engines/engine.js';
import { createEngine } from '../../../../src/models/engines/engines.js';
import { rowSeed } from '../../../../src/models/engines/fused/rows.js';
import { initWeights, type RecurrentSpec } from '../../../../src/models/engines/weights.js';
import { createRng } from '../../../../src/util/random.js';
import { kernelPaths, withPath } from '../../../helpers/kernel-paths.js';

const rng = createRng(3);
const count = 200;
const steps = 30;
const x = Float32Array.from({ length: count * steps * 5 }, () => rng.uniform(-1, 1));
const y = Float32Array.from({ length: count * 2 }, () => rng.uniform(-1, 1));
const data = { x, y, count, steps };

interface Run {
  losses: number[];
  bytes: Uint8Array;
  threads: number;
}

// Batches of 64 x 30 steps carry enough work that every requested thread gets rows and gradient tiles.
async function train(spec: RecurrentSpec, config: Partial<TrainConfig>, threads: number): Promise<Run> {
  const e = await createEngine('fused', spec, initWeights(spec, 1), {
    loss: 'mse',
    optimizer: 'adam',
    learningRate: 0.003,
    dropout: 0,
    ...config,
    threads,
  });
  try {
    const losses: number[] = [];
    for (let epoch = 0; epoch < 2; epoch++) losses.push(await e.trainEpoch(data, 64, createRng(epoch)));
    const w = e.getWeights();
    const bytes = new Uint8Array(Object.values(w).reduce((n, a) => n + a.byteLength, 0));
    let o = 0;
    for (const a of Object.values(w)) {
      bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), o);
      o += a.byteLength;
    }
    return { losses, bytes, threads: e.describe().threads };
  } finally {
    e.dispose();
  }
}

const cases: Array<[string, RecurrentSpec, Partial<TrainConfig>]> = [
  ['lstm 48 units', { cell: 'lstm', inputSize: 5, units: 48, layers: 1, outputSize: 2 }, {}],
  [
    'gru 2 layers, dropout 0.3, clipped',
    { cell: 'gru', inputSize: 5, units: 40, layers: 2, outputSize: 2 },
    { dropout: 0.3, clipNorm: 0.5 },
  ],
  [
    'rnn 2 layers, sgd',
    { cell: 'rnn', inputSize: 5, units: 64, layers: 2, outputSize: 2 },
    { optimizer: 'sgd', learningRate: 0.01 },
  ],
];

describe('the fused engine gives the same bits on any number of threads', () => {
  for (const path of kernelPaths()) {
    it.each(cases)(`${path.name}: %s trains to identical weights on 1, 2 and 3 threads`, async (_, spec, config) => {
      await withPath(path, async () => {
        const runs = [];
        for (const threads of [1, 2, 3]) runs.push(await train(spec, { ...config, kernels: path.kernels }, threads));
        expect(runs.map((r) => r.threads)).toEqual([1, 2, 3]);
        for (const r of runs.slice(1)) {
          expect(r.losses).toEqual(runs[0].losses);
          expect(Buffer.from(r.bytes).equals(Buffer.from(runs[0].bytes))).toBe(true);
        }
        expect(runs[0].losses[1]).toBeLessThan(runs[0].losses[0]);
      });
    });
  }

  it('the 16-lane build (the AVX-512 code on AVX2) gives the same bits as the 8-lane AVX2 build', async () => {
    const native = kernelPaths().filter((p) => p.isa === 'avx2' || p.isa === 'emu16');
    if (native.length < 2) return expect(native).toEqual([]);
    const runs = [];
    for (const path of native)
      runs.push(await withPath(path, () => train(cases[1][1], { ...cases[1][2], kernels: 'native' }, 2)));
    expect(runs[1].losses).toEqual(runs[0].losses);
    expect(Buffer.from(runs[1].bytes).equals(Buffer.from(runs[0].bytes))).toBe(true);
  });

  it('dropout masks come from per-row generators, so they differ between rows and repeat for a seed', () => {
    const seeds = Array.from({ length: 64 }, (_, r) => rowSeed(12345, r));
    expect(new Set(seeds).size).toBe(64);
    expect(rowSeed(12345, 7)).toBe(seeds[7]);
    expect(rowSeed(54321, 7)).not.toBe(seeds[7]);
  });

  it('dropout changes training (masks are applied) and repeats exactly for a seed', async () => {
    const spec: RecurrentSpec = { cell: 'lstm', inputSize: 5, units: 32, layers: 2, outputSize: 2 };
    const [a, b, none] = [
      await train(spec, { dropout: 0.5 }, 2),
      await train(spec, { dropout: 0.5 }, 2),
      await train(spec, {}, 2),
    ];
    expect(a.losses).toEqual(b.losses);
    expect(a.losses).not.toEqual(none.losses);
  });
});

describe('the training result says what ran', () => {
  const spec: RecurrentSpec = { cell: 'rnn', inputSize: 5, units: 8, layers: 1, outputSize: 2 };
  const small = { x: data.x.subarray(0, 16 * steps * 5), y: data.y.subarray(0, 16 * 2), count: 16, steps };

  it('fused: batches too small to split run on one thread, and the result says so', async () => {
    const e = await createEngine('fused', spec, initWeights(spec, 1), {
      loss: 'mse',
      optimizer: 'adam',
      learningRate: 0.01,
      dropout: 0,
      threads: 2,
    });
    await e.trainEpoch(small, 4, createRng(1));
    expect(e.describe()).toMatchObject({
      engine: 'fused',
      requestedThreads: 2,
      threads: 1,
      note: expect.stringMatching(
        /^2 threads available, but batches had too little work to use them all .* so one thread ran$/,
      ),
    });
    e.dispose();
  });

  it('fused: batches that fill some threads but not all (3 asked, 2 ran): the result says so', async () => {
    // 20 windows of 30 x 5 into an LSTM(48): about 37 MFLOP per batch, enough for two threads of 16, not three.
    const mid: RecurrentSpec = { ...spec, cell: 'lstm', units: 48, outputSize: 1 };
    const rng = createRng(1);
    const d = {
      x: Float32Array.from({ length: 40 * 30 * 5 }, () => rng.uniform(-1, 1)),
      y: new Float32Array(40),
      count: 40,
      steps: 30,
    };
    const e = await createEngine('fused', mid, initWeights(mid, 1), {
      loss: 'mse',
      optimizer: 'adam',
      learningRate: 0.001,
      dropout: 0,
      threads: 3,
    });
    await e.trainEpoch(d, 20, createRng(1));
    expect(e.describe()).toMatchObject({
      requestedThreads: 3,
      threads: 2,
      note: expect.stringMatching(
        /^3 threads available, but batches had too little work to use them all .* so at most 2 threads ran$/,
      ),
    });
    e.dispose();
  });

  it('fused: large batches use the threads asked for, with no note', async () => {
    const big: RecurrentSpec = { ...spec, cell: 'lstm', units: 48 };
    const e = await createEngine('fused', big, initWeights(big, 1), {
      loss: 'mse',
      optimizer: 'adam',
      learningRate: 0.01,
      dropout: 0,
      threads: 2,
    });
    await e.trainEpoch(data, 100, createRng(1));
    const run = e.describe();
    expect(run).toMatchObject({ engine: 'fused', requestedThreads: 2, threads: 2 });
    expect(run.note).toBeUndefined();
    expect(['native', 'wasm']).toContain(run.kernels);
    e.dispose();
  });

  it('tfjs: threads do not apply, and the result says one thread ran', async () => {
    const e = await createEngine('tfjs', spec, initWeights(spec, 1), {
      loss: 'mse',
      optimizer: 'adam',
      learningRate: 0.01,
      dropout: 0,
      threads: 2,
    });
    await e.trainEpoch(small, 8, createRng(1));
    expect(e.describe()).toEqual({
      engine: 'tfjs',
      kernels: expect.any(String),
      requestedThreads: 2,
      threads: 1,
      note: 'the tfjs engine runs each batch on one thread (threads: 2 applies to the fused engine only)',
    });
    e.dispose();
  });
});
