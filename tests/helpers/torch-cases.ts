/**
 * Loads the PyTorch reference cases committed under fixtures/torch (made by scripts/torch_ref.py, torch_grad_ref.py
 * and torch_qlike_ref.py).
 */
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

/** A QLIKE case: targets `y`, each row's factor `scale`, the loss and every gradient (scripts/torch_qlike_ref.py). */
export interface TorchQlikeCase extends TorchGradCase {
  scale: number[];
}

/** The fixture files. */
type CaseFile = 'torch-cases.json' | 'torch-grad-cases.json' | 'torch-qlike-cases.json';

/** The cases of one fixture file. */
export function torchCases<T extends TorchCase>(file: CaseFile): T[] {
  return (JSON.parse(readFileSync(`fixtures/torch/${file}`, 'utf8')) as { cases: T[] }).cases;
}
