/**
 * The series `npm run bench -- --volatility` measures on: the bundled S&P 500 file, R's daily series and its
 * 30-minute USD/CHF quotes (exported by scripts/volatility_data.R) and seeded simulations whose volatility process is
 * known (GARCH, HAR, SV with jumps).
 */
import { existsSync } from 'node:fs';
import { readCsv, realizedMeasures, Series } from '../src/index.js';
import { createRng, type Rng } from '../src/util/random.js';
import { sampleBars, simulateSvJumps as simulateIntraday } from '../tests/helpers/intraday-sim.js';

/** One measured case: a series, its target (a transform of daily prices, or a realized column) and horizon. */
export interface VolatilityCase {
  name: string;
  series: Series;
  /** `rv:5` and the like, or `realized rv`: the series' `rv` column, a daily variance. */
  transform: string;
  horizon: number;
  /** simulated (known process) or real. */
  kind: 'real' | 'simulated';
}

const DAY = 86_400_000;

function normal(rng: Rng): number {
  const u = Math.max(rng.next(), 1e-300);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** A close series from daily percent log returns, on business days from 2000-01-03. */
function fromReturns(returns: number[]): Series {
  const timestamps: number[] = [];
  let t = Date.UTC(2000, 0, 3);
  for (let i = 0; i <= returns.length; i++) {
    while ([0, 6].includes(new Date(t).getUTCDay())) t += DAY;
    timestamps.push(t);
    t += DAY;
  }
  const close = [100];
  for (const r of returns) close.push(close[close.length - 1] * Math.exp(r / 100));
  return Series.create({ timestamps, columns: { close } });
}

/** GARCH(1,1) with Student-t(6) innovations: omega 0.02, alpha 0.08, beta 0.9 (percent returns). */
export function simulateGarch(n: number, seed: number): Series {
  const rng = createRng(seed);
  let h = 1;
  const r: number[] = [];
  for (let i = 0; i < n; i++) {
    const chi = Array.from({ length: 6 }, () => normal(rng) ** 2).reduce((a, b) => a + b, 0);
    const z = (normal(rng) / Math.sqrt(chi / 6)) * Math.sqrt(4 / 6);
    const x = Math.sqrt(h) * z;
    r.push(x);
    h = 0.02 + 0.08 * x * x + 0.9 * h;
  }
  return fromReturns(r);
}

/** A HAR process in log variance: ln v_t = c + 0.35 d + 0.35 w + 0.2 m + 0.3 e (Corsi's cascade), returns sqrt(v) z. */
export function simulateHar(n: number, seed: number): Series {
  const rng = createRng(seed);
  const lv: number[] = Array.from({ length: 22 }, () => 0);
  const r: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = lv.length;
    const mean = (span: number) => lv.slice(k - span).reduce((a, b) => a + b, 0) / span;
    const next = 0.35 * mean(1) + 0.35 * mean(5) + 0.2 * mean(22) + 0.3 * normal(rng);
    lv.push(next);
    r.push(Math.exp(next / 2) * normal(rng));
  }
  return fromReturns(r);
}

/** Stochastic volatility with jumps: AR(1) log variance (phi 0.98, sd 0.15) and Poisson jumps (2%, sd 3%). */
export function simulateSvJumps(n: number, seed: number): Series {
  const rng = createRng(seed);
  let lv = 0;
  const r: number[] = [];
  for (let i = 0; i < n; i++) {
    lv = 0.98 * lv + 0.15 * normal(rng);
    const jump = rng.next() < 0.02 ? 3 * normal(rng) : 0;
    r.push(Math.exp(lv / 2) * normal(rng) + jump);
  }
  return fromReturns(r);
}

/** Every case: S&P 500 (rv, Parkinson, Garman-Klass; h 1 and 5), simulations and R's series (when exported). */
export async function volatilityCases(quick: boolean): Promise<VolatilityCase[]> {
  const sp = await readCsv('fixtures/sp500-2000.csv');
  const cases: VolatilityCase[] = [];
  for (const transform of ['rv:5', 'parkinson:5', 'gk:5']) {
    for (const horizon of quick ? [1] : [1, 5])
      cases.push({ name: `S&P 500 ${transform}`, series: sp, transform, horizon, kind: 'real' });
  }
  const n = 3000;
  for (const [name, make] of [
    ['GARCH-t sim', simulateGarch],
    ['HAR sim', simulateHar],
    ['SV+jumps sim', simulateSvJumps],
  ] as const) {
    for (const horizon of quick ? [1] : [1, 5])
      cases.push({ name, series: make(n, 17), transform: 'rv:5', horizon, kind: 'simulated' });
  }
  // Realized variance from simulated 30-minute bars of a stochastic-volatility path with jumps (known process).
  const path = simulateIntraday({ seed: 23, days: quick ? 1200 : 3000, steps: 48 });
  const measures = realizedMeasures(sampleBars(path, 1), { session: '24h', stamp: 'end' });
  for (const horizon of quick ? [1] : [1, 5])
    cases.push({
      name: 'SV+jumps intraday sim',
      series: measures,
      transform: 'realized rv',
      horizon,
      kind: 'simulated',
    });
  const dir = 'bench/data/volatility';
  const files = quick ? [] : ['eu-dax', 'eu-smi', 'eu-cac', 'eu-ftse', 'dem2gbp', 'sp500dge'];
  for (const f of files) {
    if (!existsSync(`${dir}/${f}.csv`)) continue;
    let s = await readCsv(`${dir}/${f}.csv`);
    // sp500dge's 17,055 days: the last 5,000 (the measurement's cost stays that of the S&P file).
    if (s.length > 5000) s = s.slice(s.length - 5000);
    cases.push({ name: f, series: s, transform: 'rv:5', horizon: 1, kind: 'real' });
  }
  // A real intraday series: 30-minute USD/CHF quotes (1996-2001), days from midnight Zurich, stamped at each bar's
  // end; partial days (fewer than 40 of the 48 bars: the edges of the data, holidays) are dropped, as their
  // realized variance can be 0, which HAR on logs cannot read.
  const chf = `${dir}/usdchf-30m.csv`;
  if (!quick && existsSync(chf)) {
    const measures = realizedMeasures(await readCsv(chf), {
      session: '24h',
      timezone: 'Europe/Zurich',
      stamp: 'end',
      minBars: 40,
    });
    for (const horizon of [1, 5])
      cases.push({ name: 'USD/CHF 30-min', series: measures, transform: 'realized rv', horizon, kind: 'real' });
  }
  return cases;
}
