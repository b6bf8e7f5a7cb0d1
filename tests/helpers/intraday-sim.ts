/**
 * Seeded intraday price paths from a stochastic-volatility model with jumps, with each day's integrated variance and
 * jump variation known: the answer realized measures must converge to. Days are 24-hour days from 00:00 UTC.
 *
 * ln s2(t) is an Ornstein-Uhlenbeck process (per day: d ln s2 = kappa (theta - ln s2) dt + eta dW), the log price
 * moves by s(t) sqrt(dt) Z on a fine grid, plus compound-Poisson jumps N(0, jumpSd^2) at `jumpRate` per day.
 */
import { Series } from '../../src/index.js';
import { createRng } from '../../src/util/random.js';

const DAY = 86_400_000;

/** The model's parameters (per day). */
export interface SvJumpOptions {
  seed: number;
  days: number;
  /** Fine-grid steps per day (the finest sampling). */
  steps: number;
  /** Mean reversion of ln s2 per day. */
  kappa?: number;
  /** Long-run mean of ln s2 (default ln 1e-4: 1% daily volatility). */
  theta?: number;
  /** Volatility of ln s2 per sqrt(day). */
  eta?: number;
  /** Expected jumps per day. */
  jumpRate?: number;
  /** Standard deviation of a jump's log size. */
  jumpSd?: number;
  /** First day, epoch ms at 00:00 UTC. */
  start?: number;
}

/** A simulated path: the fine-grid log prices and each day's known variation. */
export interface SvJumpPath {
  /** Epoch ms of every fine-grid price, at the end of its step (a day's last price is stamped 00:00 of the next). */
  timestamps: Float64Array;
  /** Log prices on the grid. */
  logPrice: Float64Array;
  /** Integrated variance of each day: the sum of s2 dt over its steps. */
  iv: Float64Array;
  /** Jump variation of each day: the sum of squared jumps. */
  jv: Float64Array;
  /** Grid steps per day. */
  steps: number;
}

/** Simulates a path; the same seed gives the same path. */
export function simulateSvJumps(o: SvJumpOptions): SvJumpPath {
  const { seed, days, steps } = o;
  const kappa = o.kappa ?? 0.5;
  const theta = o.theta ?? Math.log(1e-4);
  const eta = o.eta ?? 0.5;
  const jumpRate = o.jumpRate ?? 0.3;
  const jumpSd = o.jumpSd ?? 0.01;
  const start = o.start ?? Date.UTC(2024, 0, 1);
  const rng = createRng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const n = days * steps;
  const dt = 1 / steps;
  // Price k is the price at the end of step k; the price before the first step is 100.
  const timestamps = Float64Array.from({ length: n }, (_, k) => start + Math.round(((k + 1) * DAY) / steps));
  const logPrice = new Float64Array(n);
  const iv = new Float64Array(days);
  const jv = new Float64Array(days);
  let lv = theta;
  let lp = Math.log(100);
  for (let k = 0; k < n; k++) {
    const d = Math.floor(k / steps);
    const s2 = Math.exp(lv);
    iv[d] += s2 * dt;
    lp += Math.sqrt(s2 * dt) * normal();
    if (rng.next() < jumpRate * dt) {
      const j = jumpSd * normal();
      lp += j;
      jv[d] += j * j;
    }
    logPrice[k] = lp;
    lv += kappa * (theta - lv) * dt + eta * Math.sqrt(dt) * normal();
  }
  return { timestamps, logPrice, iv, jv, steps };
}

/**
 * The path sampled every `every` grid steps, as bars stamped at their end (read them with `stamp: 'end'`; with
 * `overnight: 'add'` each day from its second on then holds every return of its 24 hours).
 */
export function sampleBars(path: SvJumpPath, every: number): Series {
  const ts: number[] = [];
  const close: number[] = [];
  for (let k = every - 1; k < path.logPrice.length; k += every) {
    ts.push(path.timestamps[k]);
    close.push(Math.exp(path.logPrice[k]));
  }
  return Series.create({ timestamps: ts, columns: { close } });
}
