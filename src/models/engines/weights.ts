/** Recurrent network shapes and weights in PyTorch's layout (`weight_ih_l0`, ..., `fc.weight`), shared by every engine. */
import { ValidationError } from '../../errors.js';
import { CELL_TABLE, type CELLS } from '../../vocabulary.js';
import { createRng } from '../../util/random.js';

/** The recurrent cell: the lecture's tanh RNN, LSTM, or GRU (PyTorch semantics, reset gate after the recurrent product). */
export type CellType = (typeof CELLS)[number];

/** The shape of a stacked recurrent network with a linear head. */
export interface RecurrentSpec {
  /** Cell type. */
  cell: CellType;
  /** Features per time step. */
  inputSize: number;
  /** Hidden units per layer. */
  units: number;
  /** Stacked layers. */
  layers: number;
  /** Outputs of the linear head (horizon for forecasters, vocabulary size for character models). */
  outputSize: number;
}

/** Gates per cell: PyTorch stacks them in W_ih as [G*hidden, input] (LSTM i,f,g,o; GRU r,z,n). */
export function gateCount(cell: CellType): number {
  return CELL_TABLE[cell].gates;
}

/** Weights keyed by PyTorch `state_dict` names, each a row-major Float32Array. */
export type RecurrentWeights = Record<string, Float32Array>;

/** The expected shape of every weight of a spec, in PyTorch's names and order. */
export function weightShapes(spec: RecurrentSpec): Array<[string, number[]]> {
  const G = gateCount(spec.cell) * spec.units;
  const shapes: Array<[string, number[]]> = [];
  for (let k = 0; k < spec.layers; k++) {
    const input = k === 0 ? spec.inputSize : spec.units;
    shapes.push(
      [`weight_ih_l${k}`, [G, input]],
      [`weight_hh_l${k}`, [G, spec.units]],
      [`bias_ih_l${k}`, [G]],
      [`bias_hh_l${k}`, [G]],
    );
  }
  shapes.push(['fc.weight', [spec.outputSize, spec.units]], ['fc.bias', [spec.outputSize]]);
  return shapes;
}

/**
 * PyTorch's default initialization, drawn from the seeded generator: every recurrent weight and bias
 * U(-1/sqrt(hidden), 1/sqrt(hidden)); the head U(-1/sqrt(hidden), 1/sqrt(hidden)) like `nn.Linear`.
 */
export function initWeights(spec: RecurrentSpec, seed: number): RecurrentWeights {
  const rng = createRng(seed);
  const bound = 1 / Math.sqrt(spec.units);
  const weights: RecurrentWeights = {};
  for (const [name, shape] of weightShapes(spec)) {
    const size = shape.reduce((a, b) => a * b, 1);
    weights[name] = Float32Array.from({ length: size }, () => rng.uniform(-bound, bound));
  }
  return weights;
}

/** Copies weights so later training cannot change the copy. */
export function cloneWeights(w: RecurrentWeights): RecurrentWeights {
  return Object.fromEntries(Object.entries(w).map(([k, v]) => [k, v.slice()]));
}

function flatten(value: unknown, shape: number[], name: string): Float32Array {
  const out: number[] = [];
  const walk = (v: unknown, depth: number, path: string) => {
    if (depth === shape.length) {
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new ValidationError('state_dict', [
          { path: `${name}${path}`, message: `expected a finite number, received ${JSON.stringify(v)}` },
        ]);
      out.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new ValidationError('state_dict', [
        {
          path: `${name}${path}`,
          message: `expected shape [${shape.join(', ')}], received ${Array.isArray(v) ? `length ${v.length} at dimension ${depth}` : typeof v}`,
        },
      ]);
    }
    v.forEach((item, i) => walk(item, depth + 1, `${path}[${i}]`));
  };
  walk(value, 0, '');
  return Float32Array.from(out);
}

/**
 * Reads a PyTorch `state_dict` exported as JSON (nested arrays) into weights, checking every name and shape.
 * @throws {@link ValidationError} naming the missing key or the first value of the wrong shape
 */
export function weightsFromStateDict(stateDict: Record<string, unknown>, spec: RecurrentSpec): RecurrentWeights {
  if (typeof stateDict !== 'object' || stateDict === null)
    throw new ValidationError('state_dict', [{ path: '', message: 'expected an object of named weights' }]);
  const weights: RecurrentWeights = {};
  const expected = weightShapes(spec);
  for (const [name, shape] of expected) {
    if (!(name in stateDict)) {
      throw new ValidationError('state_dict', [
        { path: name, message: `missing; expected keys ${expected.map(([n]) => n).join(', ')}` },
      ]);
    }
    weights[name] = flatten(stateDict[name], shape, name);
  }
  return weights;
}

/**
 * Transposes a row-major [rows, cols] matrix into [cols, rows]: PyTorch stores W as [out, in], while the engines
 * multiply x·W and keep [in, out].
 * @param values - the matrix, row-major
 * @param rows - its rows
 * @param cols - its columns
 * @param out - where to write (default: a new array)
 * @returns the transposed matrix
 * @internal
 */
export function transpose(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  out: Float32Array<ArrayBufferLike> = new Float32Array(rows * cols),
): Float32Array<ArrayBufferLike> {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c];
  return out;
}
