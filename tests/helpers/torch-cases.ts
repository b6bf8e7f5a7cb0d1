/** Loads the PyTorch reference cases committed under fixtures/torch (made by scripts/torch_ref.py and torch_grad_ref.py). */
import { readFileSync } from 'node:fs';
import type { CellType } from '../../src/models/engines/weights.js';

/** A many-to-one PyTorch model with an input batch and its outputs. */
export interface TorchCase {
  cell: CellType;
  num_layers: number;
  input_size: number;
  hidden_size: number;
  state_dict: Record<string, unknown>;
  x: number[][][];
  y: number[][];
}

/** A case with an MSE target `y`, the loss and every parameter's gradient. */
export interface TorchGradCase extends TorchCase {
  output_size: number;
  loss: number;
  grads: Record<string, unknown>;
}

/** The cases of one fixture file. */
export function torchCases<T extends TorchCase>(file: 'torch-cases.json' | 'torch-grad-cases.json'): T[] {
  return (JSON.parse(readFileSync(`fixtures/torch/${file}`, 'utf8')) as { cases: T[] }).cases;
}
