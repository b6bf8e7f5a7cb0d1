import { describe, expect, it } from 'vitest';
import type { RecurrentEngine } from '../../../src/models/engines/engine.js';
import { createEngine, resolveEngine } from '../../../src/models/engines/engines.js';
import {
  initWeights,
  weightsFromStateDict,
  type CellType,
  type RecurrentSpec,
} from '../../../src/models/engines/weights.js';
import { createRng } from '../../../src/util/random.js';
import type { TrainConfig } from '../../../src/models/engines/engine.js';
import { kernelPaths, withPath, type KernelPath } from '../../helpers/kernel-paths.js';
import { expectNoLeakedTensors } from '../../helpers/tensors.js';
import { torchCases, type TorchGradCase } from '../../helpers/torch-cases.js';

const cases = torchCases<TorchGradCase>('torch-grad-cases.json');
const ENGINES = ['tfjs', 'fused'] as const;
const config = (loss: 'mse' | 'xent') => ({ loss, optimizer: 'adam' as const, learningRate: 0.01, dropout: 0 });
// tfjs, then the fused engine on every kernel build this machine can run (wasm, native AVX2, 16-lane, AVX-512).
const PATHS: Array<{ name: string; engine: 'tfjs' | 'fused'; path?: KernelPath }> = [
  { name: 'tfjs', engine: 'tfjs' },
  ...kernelPaths().map((path) => ({ name: `fused ${path.name}`, engine: 'fused' as const, path })),
];
const onPath = <T>(p: (typeof PATHS)[number], fn: (extra: Partial<TrainConfig>) => Promise<T>) =>
  p.path ? withPath(p.path, () => fn({ kernels: p.path!.kernels })) : fn({});

function maxDiff(a: Record<string, Float32Array>, b: Record<string, Float32Array>): number {
  let d = 0;
  for (const k of Object.keys(b)) {
    expect(a[k].length, k).toBe(b[k].length);
    a[k].forEach((v, i) => (d = Math.max(d, Math.abs(v - b[k][i]))));
  }
  return d;
}

describe('engines match PyTorch gradients (scripts/torch_grad_ref.py)', () => {
  it('covers rnn, lstm and gru with 1 and 2 layers', () => {
    expect(cases.map((c) => `${c.cell}${c.num_layers}`).sort()).toEqual([
      'gru1',
      'gru2',
      'lstm1',
      'lstm2',
      'rnn1',
      'rnn2',
    ]);
  });
  for (const p of PATHS) {
    it.each(cases.map((c) => [`${c.cell} x${c.num_layers}`, c] as const))(
      `${p.name}: %s loss and every gradient to 1e-4`,
      async (_, c) => {
        await onPath(p, (extra) =>
          expectNoLeakedTensors(async () => {
            const spec: RecurrentSpec = {
              cell: c.cell,
              inputSize: c.input_size,
              units: c.hidden_size,
              layers: c.num_layers,
              outputSize: c.output_size,
            };
            const e = await createEngine(p.engine, spec, weightsFromStateDict(c.state_dict, spec), {
              ...config('mse'),
              ...extra,
            });
            const { loss, grads } = await e.gradients({
              x: Float32Array.from(c.x.flat(2)),
              y: Float32Array.from(c.y.flat()),
              count: c.x.length,
              steps: c.x[0].length,
            });
            expect(Math.abs(loss - c.loss)).toBeLessThan(1e-5);
            expect(maxDiff(grads, weightsFromStateDict(c.grads, spec))).toBeLessThan(1e-4);
            e.dispose();
          }),
        );
      },
    );
  }
});

describe('the fused engine matches the tfjs engine', () => {
  const shapes: Array<[string, CellType, number, 'mse' | 'xent', KernelPath]> = [];
  for (const path of kernelPaths())
    for (const cell of ['rnn', 'lstm', 'gru'] as const)
      for (const layers of [1, 3])
        for (const loss of ['mse', 'xent'] as const) shapes.push([path.name, cell, layers, loss, path]);
  it.each(shapes)('%s: %s x%i %s: outputs, gradients and a few Adam steps', (_, cell, layers, loss, path) =>
    withPath(path, async () => {
      const spec: RecurrentSpec = { cell, inputSize: 3, units: 10, layers: layers, outputSize: loss === 'mse' ? 2 : 5 };
      const rng = createRng(11);
      const count = 9;
      const steps = 7;
      const x = Float32Array.from({ length: count * steps * 3 }, () => rng.uniform(-2, 2));
      const y =
        loss === 'mse'
          ? Float32Array.from({ length: count * 2 }, () => rng.uniform(-1, 1))
          : Int32Array.from({ length: count * steps }, () => rng.int(5));
      const data = { x, y, count, steps };
      const engines: RecurrentEngine[] = [];
      for (const kind of ENGINES)
        engines.push(
          await createEngine(kind, spec, initWeights(spec, 4), { ...config(loss), clipNorm: 1, kernels: path.kernels }),
        );
      const [t, f] = engines;
      const [pt, pf] = [await t.predict(x, count, steps), await f.predict(x, count, steps)];
      pt.forEach((v, i) => expect(Math.abs(v - pf[i])).toBeLessThan(1e-4));
      const [gt, gf] = [await t.gradients(data), await f.gradients(data)];
      expect(Math.abs(gt.loss - gf.loss)).toBeLessThan(1e-5);
      expect(maxDiff(gf.grads, gt.grads)).toBeLessThan(1e-4);
      for (let e = 0; e < 3; e++) for (const engine of engines) await engine.trainEpoch(data, 4, createRng(e));
      expect(maxDiff(f.getWeights(), t.getWeights())).toBeLessThan(1e-4);
      for (const engine of engines) engine.dispose();
    }),
  );

  it('round-trips weights in PyTorch layout', async () => {
    const spec: RecurrentSpec = { cell: 'gru', inputSize: 4, units: 6, layers: 2, outputSize: 3 };
    const w = initWeights(spec, 9);
    const f = await createEngine('fused', spec, w, config('mse'));
    expect(maxDiff(f.getWeights(), w)).toBe(0);
    f.dispose();
  });

  it("auto picks the fused engine when TensorFlow's native backend is absent", async () => {
    expect(await resolveEngine('auto')).toBe('fused');
    expect(await resolveEngine('tfjs')).toBe('tfjs');
  });
});
