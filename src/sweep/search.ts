/** The configurations a sweep tries: every point of a grid, or seeded random draws; and the rungs of successive halving. */
import { ValidationError } from '../errors.js';
import { createRng, type Rng } from '../util/random.js';
import { optionAxes, type Dimension, type OptionAxis, type Params, type Range, type SearchSpace } from './space.js';

/** The most configurations a grid may have. */
export const MAX_GRID = 10_000;

const key = (p: Params) => JSON.stringify(Object.entries(p));

/**
 * Every combination of the lists of a space, the last option varying fastest.
 * @throws {@link ValidationError} for a range (a grid needs lists) or more than {@link MAX_GRID} points
 * @internal
 */
export function gridPoints(space: SearchSpace): Params[] {
  const entries = Object.entries(space) as Array<[string, Dimension]>;
  const ranges = entries.filter(([, d]) => !Array.isArray(d)).map(([n]) => n);
  if (ranges.length > 0)
    throw new ValidationError(
      'sweep space',
      ranges.map((n) => ({
        path: `space.${n}`,
        message: 'a grid search needs a list of values; use search random or halving for ranges',
      })),
    );
  const size = entries.reduce((a, [, d]) => a * (d as unknown[]).length, 1);
  if (size > MAX_GRID)
    throw new ValidationError('sweep space', [
      { path: 'space', message: `the grid has ${size} points, more than ${MAX_GRID}: use search random with trials` },
    ]);
  let points: Params[] = [{}];
  for (const [name, values] of entries)
    points = points.flatMap((p) => (values as Array<number | string>).map((v) => ({ ...p, [name]: v })));
  return points;
}

/** One draw from a dimension; continuous values keep four significant digits, so configurations read and repeat cleanly. */
function draw(rng: Rng, axis: OptionAxis | undefined, dim: Dimension): number | string {
  if (Array.isArray(dim)) return dim[rng.int(dim.length)];
  const { min, max, scale } = dim as Range;
  if (axis?.integer) {
    if (scale === 'log')
      return Math.min(max, Math.max(min, Math.round(Math.exp(rng.uniform(Math.log(min), Math.log(max + 1))) - 0.5)));
    return Math.ceil(min) + rng.int(Math.floor(max) - Math.ceil(min) + 1);
  }
  const x = scale === 'log' ? Math.exp(rng.uniform(Math.log(min), Math.log(max))) : rng.uniform(min, max);
  return Math.min(max, Math.max(min, Number(x.toPrecision(4))));
}

/**
 * `count` configurations drawn with a generator seeded by `seed`, options in the space's order. A configuration
 * drawn before is drawn again (up to 100 times) so small spaces are not tried twice; the same seed gives the same list.
 * @internal
 */
export function randomPoints(
  space: SearchSpace,
  count: number,
  seed: number,
  axes: Map<string, OptionAxis> = optionAxes(),
): Params[] {
  const rng = createRng(seed);
  const entries = Object.entries(space) as Array<[string, Dimension]>;
  const seen = new Set<string>();
  const out: Params[] = [];
  while (out.length < count) {
    let p: Params = {};
    for (let attempt = 0; attempt < 100; attempt++) {
      p = Object.fromEntries(entries.map(([name, dim]) => [name, draw(rng, axes.get(name), dim)]));
      if (!seen.has(key(p))) break;
    }
    seen.add(key(p));
    out.push(p);
  }
  return out;
}

/** One rung of successive halving: how many configurations it trains, with how many epochs. */
export interface Rung {
  /** Configurations trained at this rung. */
  configurations: number;
  /** Their epochs. */
  epochs: number;
}

/**
 * The rungs of synchronous successive halving for `n` configurations and `maxEpochs`: rung i trains
 * floor(n / eta^i) configurations for maxEpochs / eta^(s - i) epochs, where s is the number of promotions (no more
 * than the epochs allow). Synchronous, unlike ASHA's asynchronous promotions, so the survivors never depend on
 * which job finished first: same seed, same trials.
 * @internal
 */
export function halvingRungs(n: number, maxEpochs: number, eta: number): Rung[] {
  const s = Math.max(
    0,
    Math.min(Math.floor(Math.log(n) / Math.log(eta) + 1e-9), Math.floor(Math.log(maxEpochs) / Math.log(eta) + 1e-9)),
  );
  return Array.from({ length: s + 1 }, (_, i) => ({
    configurations: Math.max(1, Math.floor(n / eta ** i)),
    epochs: Math.max(1, Math.round(maxEpochs / eta ** (s - i))),
  }));
}
