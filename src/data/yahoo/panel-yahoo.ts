/** Several Yahoo Finance symbols into one Panel: bounded concurrency, each through the cache, one failure per symbol. */
import type { z } from 'zod';
import { MarketDataError, StockcastError, ValidationError } from '../../errors.js';
import { parseOptions } from '../../validate.js';
import { vocabulary as v } from '../../vocabulary.js';
import { Panel } from '../panel.js';
import type { Series } from '../series.js';
import { fetchYahoo, YahooOptionsSchema } from './yahoo.js';

/** Options of {@link fetchYahooPanel}: those of {@link fetchYahoo}, applied to every symbol, plus `concurrency`. */
export const YahooPanelOptionsSchema = YahooOptionsSchema.extend({
  /** How many symbols are downloaded at once: a number, or `auto` (default) for 4 (a polite pace for one host, whatever the cores). */
  concurrency: v.concurrency.withDefault(),
}).strict();

/** Downloads at once under `concurrency: 'auto'`: the network, not the cores, is the bound. */
const AUTO_DOWNLOADS = 4;

/** Options of {@link fetchYahooPanel}, as accepted (before defaults). */
export type YahooPanelOptions = z.input<typeof YahooPanelOptionsSchema>;

/** A symbol that could not be fetched, with the typed error {@link fetchYahoo} gave for it. */
export interface SymbolFailure {
  /** The symbol requested. */
  symbol: string;
  /** Why it failed: a {@link MarketDataError} (unknown symbol, HTTP error, timeout) or a {@link DataError}. */
  error: StockcastError;
}

/** What {@link fetchYahooPanel} returns: the symbols that arrived, and one failure per symbol that did not. */
export interface YahooPanelResult {
  /** A panel of every symbol that was fetched, in the requested order. */
  panel: Panel;
  /** The symbols that failed, in the requested order (empty when all arrived). */
  failures: SymbolFailure[];
}

/**
 * Downloads several symbols from Yahoo Finance into a {@link Panel}, at most `concurrency` at a time, each
 * through the on-disk cache when `cacheDir` is given. A symbol that fails does not lose the others: it is
 * reported in `failures` with its typed error, and the panel holds the rest. When every symbol fails, or the
 * request is aborted, the call throws.
 *
 * @param symbols - Yahoo tickers, each once
 * @param options - see {@link YahooPanelOptionsSchema}
 * @returns the panel of the symbols that arrived and the failures of the rest
 * @throws {@link MarketDataError} when every symbol fails (the message lists each failure, `cause` is an
 *   AggregateError of them) or when `signal` aborts
 * @throws {@link ValidationError} for invalid options, an empty list, an empty or repeated symbol
 * @example
 * ```ts
 * import { fetchYahooPanel } from 'stockcast';
 * const { panel, failures } = await fetchYahooPanel(['AAPL', 'MSFT', 'NOPE'], { from: '2020-01-01', cacheDir: '.stockcast-cache' });
 * for (const f of failures) console.warn(`${f.symbol}: ${f.error.message}`);
 * console.log(panel.symbols); // ['AAPL', 'MSFT']
 * ```
 */
export async function fetchYahooPanel(
  symbols: readonly string[],
  options: YahooPanelOptions = {},
): Promise<YahooPanelResult> {
  const { concurrency: asked, ...rest } = parseOptions(YahooPanelOptionsSchema, options, 'Yahoo panel options');
  const concurrency = asked === 'auto' ? AUTO_DOWNLOADS : asked;
  checkSymbols(symbols);
  const results: Array<{ series: Series } | { error: StockcastError } | undefined> = new Array(symbols.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < symbols.length) {
      const i = next++;
      if (rest.signal?.aborted) throw new MarketDataError(symbols[i], 'request aborted');
      try {
        results[i] = { series: await fetchYahoo(symbols[i], rest) };
      } catch (e) {
        // An abort stops everything; a bug is not a per-symbol failure.
        if (rest.signal?.aborted || !(e instanceof StockcastError)) throw e;
        results[i] = { error: e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, symbols.length) }, worker));
  const arrived: Array<[string, Series]> = [];
  const failures: SymbolFailure[] = [];
  results.forEach((r, i) => {
    if (r && 'series' in r) arrived.push([symbols[i], r.series]);
    else if (r) failures.push({ symbol: symbols[i], error: r.error });
  });
  if (arrived.length === 0) {
    throw new MarketDataError(
      symbols.join(','),
      `every symbol failed: ${failures.map((f) => f.error.message).join('; ')}`,
      {
        cause: new AggregateError(failures.map((f) => f.error)),
      },
    );
  }
  return { panel: Panel.create(arrived, { source: 'yahoo' }), failures };
}

function checkSymbols(symbols: readonly string[]): void {
  if (!Array.isArray(symbols) || symbols.length === 0)
    throw new ValidationError('symbols', [{ path: '', message: 'expected at least one symbol' }]);
  const seen = new Set<string>();
  symbols.forEach((s, i) => {
    if (typeof s !== 'string' || s.trim() === '' || s.trim() !== s)
      throw new ValidationError('symbols', [
        {
          path: String(i),
          message: `expected a non-empty ticker without surrounding spaces, received ${JSON.stringify(s)}`,
        },
      ]);
    if (seen.has(s)) throw new ValidationError('symbols', [{ path: String(i), message: `"${s}" is listed twice` }]);
    seen.add(s);
  });
}
