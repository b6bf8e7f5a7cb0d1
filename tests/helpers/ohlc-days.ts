/** Seeded daily OHLC bars from simulated intraday paths with a known variance per day, and a regime-switching walk (volatility tests). */
import { Series } from '../../src/index.js';
import { createRng, type Rng } from '../../src/util/random.js';

const DAY = 86_400_000;
const gauss = (rng: Rng) => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
const days = (n: number) => Array.from({ length: n }, (_, i) => Date.UTC(2010, 0, 4) + i * DAY);

/** Options of {@link simulateOhlcDays}. */
export interface OhlcDaysOptions {
  seed: number;
  /** Intraday steps per day (default 78: five-minute bars of a 6.5-hour session). */
  steps?: number;
  /** Share of each day's variance in the overnight gap before the open (default 0.25). */
  overnightShare?: number;
  /** Mean daily log variance (default ln(1e-4): 1% a day). */
  meanLogVariance?: number;
  /** AR(1) persistence of the daily log variance (default 0.95). */
  persistence?: number;
  /** Standard deviation of the log-variance shocks (default 0.15). */
  volOfVol?: number;
}

/**
 * Daily bars whose close-to-close return on day t has variance `variance[t]` (a log-AR(1) stochastic volatility):
 * an overnight gap with `overnightShare` of it, then a Brownian path of `steps` increments whose first price is
 * the open, maximum the high, minimum the low and last the close.
 */
export function simulateOhlcDays(n: number, options: OhlcDaysOptions): { series: Series; variance: Float64Array } {
  const {
    seed,
    steps = 78,
    overnightShare = 0.25,
    meanLogVariance = Math.log(1e-4),
    persistence = 0.95,
    volOfVol = 0.15,
  } = options;
  const rng = createRng(seed);
  const variance = new Float64Array(n);
  const open: number[] = [];
  const high: number[] = [];
  const low: number[] = [];
  const close: number[] = [];
  let lv = meanLogVariance;
  let lp = Math.log(100);
  for (let t = 0; t < n; t++) {
    lv = meanLogVariance + persistence * (lv - meanLogVariance) + volOfVol * gauss(rng);
    variance[t] = Math.exp(lv);
    lp += Math.sqrt(overnightShare * variance[t]) * gauss(rng);
    let hi = lp;
    let lo = lp;
    open.push(Math.exp(lp));
    const sd = Math.sqrt(((1 - overnightShare) * variance[t]) / steps);
    for (let s = 0; s < steps; s++) {
      lp += sd * gauss(rng);
      if (lp > hi) hi = lp;
      if (lp < lo) lo = lp;
    }
    high.push(Math.exp(hi));
    low.push(Math.exp(lo));
    close.push(Math.exp(lp));
  }
  return { series: Series.create({ timestamps: days(n), columns: { open, high, low, close } }), variance };
}

/** Closes of a walk whose daily volatility jumps between calm (0.2-0.6%) and turbulent (3-8%) regimes (2% a day). */
export function regimeSwitchingWalk(n: number, seed: number): Series {
  const rng = createRng(seed);
  let lp = Math.log(100);
  let vol = 0.01;
  const close = days(n).map(() => {
    if (rng.next() < 0.02) vol = rng.next() < 0.5 ? 0.002 + 0.004 * rng.next() : 0.03 + 0.05 * rng.next();
    lp += vol * gauss(rng);
    return Math.exp(lp);
  });
  return Series.create({ timestamps: days(n), columns: { close } });
}
