/** Seeded daily panels for tests and benchmarks: random walks with regime changes, ragged starts and ends, and gaps. */
import { Panel, Series } from '../../src/index.js';
import { createRng } from '../../src/util/random.js';

const DAY = 86_400_000;

/** What to generate. */
export interface SyntheticPanelOptions {
  /** Number of symbols (named S000, S001, ...). */
  symbols: number;
  /** Business days in the union of the dates, from Monday 2000-01-03. */
  days: number;
  /** Seed: same seed, same panel. */
  seed?: number;
  /** Value columns: `close` always; `open`, `high`, `low`, `volume` as asked (default all five). */
  columns?: ReadonlyArray<'open' | 'high' | 'low' | 'close' | 'volume'>;
  /** Largest fraction of the span a symbol may start late by (default 0.3; symbol 0 always starts on day 0). */
  raggedStart?: number;
  /** Fraction of symbols that delist before the end (default 0.2; symbol 0 never does). */
  delisted?: number;
  /** Probability that a business day is missing for a symbol (a halt), default 0.002. */
  gapRate?: number;
}

/** Business days (Monday to Friday) from 2000-01-03, as epoch ms. */
export function businessDays(n: number, start = Date.UTC(2000, 0, 3)): Float64Array {
  const out = new Float64Array(n);
  let t = start;
  for (let i = 0; i < n; i++) {
    while ([0, 6].includes(new Date(t).getUTCDay())) t += DAY;
    out[i] = t;
    t += DAY;
  }
  return out;
}

/**
 * A reproducible panel: each symbol is a geometric random walk whose drift and volatility switch between a
 * calm and a turbulent regime (a two-state Markov chain, about one switch a year), starting late and ending
 * early at random, with random one-day gaps.
 */
export function syntheticPanel(options: SyntheticPanelOptions): Panel {
  const {
    symbols,
    days,
    seed = 7,
    columns = ['open', 'high', 'low', 'close', 'volume'],
    raggedStart = 0.3,
    delisted = 0.2,
    gapRate = 0.002,
  } = options;
  const rng = createRng(seed);
  const calendar = businessDays(days);
  const normal = () => {
    const u = Math.max(rng.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
  };
  const entries: Array<[string, Series]> = [];
  for (let k = 0; k < symbols; k++) {
    const start = k === 0 ? 0 : rng.int(Math.max(1, Math.floor(days * raggedStart)));
    const end = k > 0 && rng.next() < delisted ? days - rng.int(Math.max(1, Math.floor((days - start) / 3))) : days;
    const ts: number[] = [];
    const cols: Record<string, number[]> = Object.fromEntries(columns.map((c) => [c, []]));
    let price = 20 + rng.next() * 180;
    let turbulent = false;
    for (let i = start; i < end; i++) {
      if (rng.next() < 1 / 250) turbulent = !turbulent;
      const drift = turbulent ? -0.0008 : 0.0004;
      const vol = turbulent ? 0.03 : 0.01;
      const open = price;
      price *= Math.exp(drift + vol * normal());
      if (i > start && i < end - 1 && rng.next() < gapRate) continue;
      ts.push(calendar[i]);
      const hi = Math.max(open, price) * (1 + rng.next() * vol);
      const lo = Math.min(open, price) * (1 - rng.next() * vol);
      const values = {
        open,
        high: hi,
        low: lo,
        close: price,
        volume: Math.round(1e6 * (1 + rng.next()) * (turbulent ? 2 : 1)),
      };
      for (const c of columns) cols[c].push(values[c]);
    }
    entries.push([`S${String(k).padStart(3, '0')}`, Series.create({ timestamps: ts, columns: cols })]);
  }
  return Panel.create(entries, { source: 'synthetic' });
}
