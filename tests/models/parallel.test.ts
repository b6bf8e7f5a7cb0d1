import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/models/engines.js';
import { initWeights, type RecurrentSpec } from '../../src/models/weights.js';
import { createRng } from '../../src/util/random.js';

// Large enough that every batch is split across the worker thread.
const spec: RecurrentSpec = { cell: 'lstm', inputSize: 5, units: 48, layers: 1, outputSize: 1 };
const rng = createRng(3);
const count = 256;
const steps = 30;
const data = { x: Float32Array.from({ length: count * steps * 5 }, () => rng.uniform(-1, 1)), y: Float32Array.from({ length: count }, () => rng.uniform(-1, 1)), count, steps };

async function train(threads: number): Promise<{ losses: number[]; weights: Record<string, Float32Array> }> {
  const e = await createEngine('fused', spec, initWeights(spec, 1), { loss: 'mse', optimizer: 'adam', learningRate: 0.003, dropout: 0, threads });
  const losses: number[] = [];
  for (let epoch = 0; epoch < 3; epoch++) losses.push(await e.trainEpoch(data, 64, createRng(epoch)));
  const weights = e.getWeights();
  e.dispose();
  return { losses, weights };
}

describe('fused engine on two threads', () => {
  it('repeats exactly for a given seed and thread count, and matches one thread to float rounding', async () => {
    const [a, b, one] = [await train(2), await train(2), await train(1)];
    expect(a.losses).toEqual(b.losses);
    for (const k of Object.keys(a.weights)) expect(Array.from(a.weights[k])).toEqual(Array.from(b.weights[k]));
    a.losses.forEach((l, i) => expect(Math.abs(l - one.losses[i])).toBeLessThan(1e-5));
    for (const k of Object.keys(a.weights)) a.weights[k].forEach((v, i) => expect(Math.abs(v - one.weights[k][i])).toBeLessThan(1e-4));
    expect(a.losses[2]).toBeLessThan(a.losses[0]);
  });
});
