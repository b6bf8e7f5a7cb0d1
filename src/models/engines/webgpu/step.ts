/**
 * The per-batch step values of the webgpu engine (learning rate, Adam's bias corrections, clip, dropout draw), as
 * the `st` uniform lays them out.
 */

/**
 * The 48 bytes of the step uniform: f = (lr, 1 - b1^step, 1 - b2^step, clipNorm or 0), g = (dropout seed, keep
 * threshold, flags, loss slot), h = (1 / keep, ...). A draw u (a 32-bit integer) is kept when u / 2^32 < keep,
 * which for integers is u < ceil(keep 2^32); flag 1 turns dropout on, flag 2 keeps every draw (keep 2^32 > u always).
 * @internal
 */
export function stepValues(s: {
  lr: number;
  step: number;
  clip?: number;
  seed?: number;
  dropout: number;
  slot: number;
}): Uint32Array {
  const buf = new ArrayBuffer(48);
  const f = new Float32Array(buf);
  const u = new Uint32Array(buf);
  f[0] = s.lr;
  f[1] = s.step > 0 ? 1 - 0.9 ** s.step : 1;
  f[2] = s.step > 0 ? 1 - 0.999 ** s.step : 1;
  f[3] = s.clip ?? 0;
  const keep = 1 - s.dropout;
  const threshold = Math.ceil(keep * 2 ** 32);
  u[4] = (s.seed ?? 0) >>> 0;
  u[5] = Math.min(threshold, 2 ** 32 - 1);
  u[6] = (s.seed === undefined ? 0 : 1) | (threshold >= 2 ** 32 ? 2 : 0);
  u[7] = s.slot;
  f[8] = 1 / keep;
  return u;
}
