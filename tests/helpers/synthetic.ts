/** Seeded synthetic price series for tests: geometric random walks on business days. */
import { Series } from '../../src/index.js';
import { createRng } from '../../src/util/random.js';

/** A geometric random walk of `n` business days with the given daily log drift and volatility. */
export function randomWalk(n: number, options: { seed: number; drift: number; vol: number; start?: number }): Series {
  const rng = createRng(options.seed);
  const timestamps: number[] = [];
  for (let t = Date.UTC(2015, 0, 5); timestamps.length < n; t += 86_400_000)
    if (![0, 6].includes(new Date(t).getUTCDay())) timestamps.push(t);
  let lp = Math.log(options.start ?? 100);
  const close = timestamps.map(() => {
    lp += options.drift + options.vol * Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    return Math.exp(lp);
  });
  return Series.create({ timestamps, columns: { close } });
}
