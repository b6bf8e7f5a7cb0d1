/** The fused engine's parameter block: where each PyTorch-named weight lives, and conversion to and from PyTorch layout. */
import { transpose, weightShapes, type RecurrentSpec, type RecurrentWeights } from '../weights.js';

/** One weight inside the contiguous parameter block. */
export interface Param {
  name: string;
  shape: number[];
  /** Float offset inside the parameter block. */
  offset: number;
  size: number;
  /** Stored transposed ([in, G*H]) so products run on contiguous rows. */
  transposed: boolean;
}

/**
 * Lays out every weight of a spec in one block, back to back (the kernels load unaligned), so each layer's
 * weight_ih and weight_hh, both stored transposed, form one [in + H, G] matrix whose gradient is one product.
 */
export function paramLayout(spec: RecurrentSpec): Param[] {
  const params: Param[] = [];
  let offset = 0;
  for (const [name, shape] of weightShapes(spec)) {
    const size = shape.reduce((a, b) => a * b, 1);
    params.push({ name, shape, offset, size, transposed: name.startsWith('weight_') });
    offset += size;
  }
  return params;
}

/** Copies a block out in PyTorch layout (weights, or gradients laid out like them). */
export function readParams(params: Param[], block: Float32Array): RecurrentWeights {
  const out: RecurrentWeights = {};
  for (const p of params) {
    const v = block.subarray(p.offset, p.offset + p.size);
    if (!p.transposed) {
      out[p.name] = v.slice();
      continue;
    }
    // Stored [in, G*H]; PyTorch wants [G*H, in].
    const [rows, cols] = p.shape;
    out[p.name] = transpose(v, cols, rows);
  }
  return out;
}

/** Writes PyTorch-layout weights into a block. */
export function writeParams(params: Param[], weights: RecurrentWeights, block: Float32Array): void {
  for (const p of params) {
    const w = weights[p.name];
    if (!p.transposed) {
      block.set(w, p.offset);
      continue;
    }
    const [rows, cols] = p.shape;
    transpose(w, rows, cols, block.subarray(p.offset, p.offset + p.size));
  }
}
