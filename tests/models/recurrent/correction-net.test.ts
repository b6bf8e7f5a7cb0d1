import { describe, expect, it } from 'vitest';
import { CORRECTION_LEVEL, trainCorrections } from '../../../src/models/recurrent/correction-net.js';
import { hybridOptions } from '../../../src/models/recurrent/volatility-defaults.js';
import { createRng } from '../../../src/util/random.js';

/** Windows of L steps of one input and one residual each: the residual is `signal` x the last input plus noise. */
function windows(count: number, signal: number, seed: number) {
  const L = 5;
  const rng = createRng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(Math.max(rng.next(), 1e-300))) * Math.cos(2 * Math.PI * rng.next());
  const x = new Float32Array(count * L);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    for (let s = 0; s < L; s++) x[i * L + s] = normal();
    y[i] = signal * x[i * L + L - 1] + 0.3 * normal();
  }
  return { x, y, count, steps: L, features: 1 };
}

const options = (o: Record<string, unknown> = {}) =>
  hybridOptions({ lookback: 5, epochs: 15, seeds: 2, threads: 1, learningRate: 0.01, ...o });

describe('the correction networks of a hybrid', () => {
  it('keep a correction that beats the base on the validation windows, and say by how much', async () => {
    const data = windows(600, 0.5, 1);
    const r = await trainCorrections(options({ finalFit: 'training' }), data, 1);
    const check = r.check!;
    expect(check.kept).toBe(true);
    expect(r.engines).toHaveLength(2);
    expect(check.windows).toBe(120);
    // The base's loss is QLIKE of the residuals with no correction: exp(r) - r - 1 over the last 120 windows.
    const last = Array.from(data.y.subarray(480));
    const base = last.reduce((s, r) => s + Math.exp(r) - r - 1, 0) / 120;
    expect(check.base).toBeCloseTo(base, 6);
    // The ensemble's loss: the members' mean correction of the same windows (no final fit here).
    const x = data.x.subarray(480 * 5);
    const [a, b] = await Promise.all(r.engines.map((e) => e.predict(x, 120, 5)));
    const model = last.reduce((s, y, i) => {
      const e = y - (a[i] + b[i]) / 2;
      return s + Math.exp(e) - e - 1;
    }, 0);
    expect(check.model).toBeCloseTo(model / 120, 5);
    expect(check.model).toBeLessThan(check.base);
    expect(check.statistic!).toBeLessThan(0);
    expect(check.pValue! / 2).toBeLessThan(CORRECTION_LEVEL);
    for (const e of r.engines) e.dispose();
  });

  it('drop a correction that does not beat the base there: no networks, the records kept', async () => {
    const r = await trainCorrections(options(), windows(600, 0, 2), 1);
    expect(r.check!.kept).toBe(false);
    expect(r.engines).toHaveLength(0);
    expect(r.members).toHaveLength(2);
    // Nothing to check without validation windows: the members are kept as trained.
    const noValidation = await trainCorrections(options({ validation: 0, epochs: 2 }), windows(100, 0, 3), 1);
    expect(noValidation.check).toBeUndefined();
    expect(noValidation.engines).toHaveLength(2);
    for (const e of noValidation.engines) e.dispose();
  });
});
