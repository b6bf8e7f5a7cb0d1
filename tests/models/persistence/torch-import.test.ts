import { describe, expect, it } from 'vitest';
import { importTorchRnn, ValidationError } from '../../../src/index.js';
import { kernelPaths, withPath, type KernelPath } from '../../helpers/kernel-paths.js';
import { expectNoLeakedTensors } from '../../helpers/tensors.js';
import { torchCases, type TorchCase } from '../../helpers/torch-cases.js';

const cases = torchCases<TorchCase>('torch-cases.json');
const optionsOf = (c: TorchCase, engine: 'tfjs' | 'fused' = 'tfjs') => ({
  cell: c.cell,
  layers: c.num_layers,
  inputSize: c.input_size,
  units: c.hidden_size,
  engine,
});

describe('importTorchRnn reproduces PyTorch 1.13', () => {
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

  // tfjs, and the fused engine on every kernel build this machine can run.
  const engines: Array<['tfjs' | 'fused', KernelPath | undefined]> = [
    ['tfjs', undefined],
    ...kernelPaths().map((p): ['fused', KernelPath] => ['fused', p]),
  ];
  const runs = cases.flatMap((c) =>
    engines.map(
      ([engine, path]) =>
        [`${c.cell} x${c.num_layers} on ${path ? `fused ${path.name}` : engine}`, c, engine, path] as const,
    ),
  );
  it.each(runs)('%s matches y to 1e-5', async (_, c, engine, path) => {
    const run = () =>
      expectNoLeakedTensors(async () => {
        const model = await importTorchRnn(c.state_dict, optionsOf(c, engine));
        expect(model.engine).toBe(engine);
        const y = await model.predictWindows(c.x);
        expect(y.length).toBe(c.y.length);
        y.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - c.y[i][j])).toBeLessThan(1e-5)));
        model.dispose();
      });
    await (path ? withPath(path, run) : run());
  });

  it('names a missing key and a mis-shaped weight', async () => {
    const c = cases[0];
    const { weight_hh_l0: _, ...missing } = c.state_dict;
    await expect(importTorchRnn(missing, optionsOf(c))).rejects.toThrow(
      /weight_hh_l0: missing; expected keys weight_ih_l0, weight_hh_l0/,
    );
    await expect(importTorchRnn(c.state_dict, { ...optionsOf(c), units: 3 })).rejects.toThrow(ValidationError);
    await expect(importTorchRnn(c.state_dict, { ...optionsOf(c), units: 3 })).rejects.toThrow(
      /weight_ih_l0: expected shape \[3, 4\], received length 2 at dimension 0/,
    );
    const bad = { ...c.state_dict, 'fc.bias': ['x'] };
    await expect(importTorchRnn(bad, optionsOf(c))).rejects.toThrow(
      /fc.bias\[0\]: expected a finite number, received "x"/,
    );
  });

  it('checks the windows it is given', async () => {
    const c = cases[0];
    const model = await importTorchRnn(c.state_dict, optionsOf(c));
    await expect(model.predictWindows([[[1, 2]]])).rejects.toThrow(
      /x\[0\]\[0\]: expected 4 features \(inputSize\), received 2/,
    );
    expect(await model.predictWindows([])).toEqual([]);
    model.dispose();
  });
});
