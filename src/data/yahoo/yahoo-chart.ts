/**
 * What both Yahoo Finance clients share (yahoo-finance2 in Node.js, the chart endpoint through a caller's fetch in
 * browsers): the options, the request range, retries and timeouts around fetch, typed failures, the chart as it is
 * cached, and the chart as a Series.
 */
import { z } from 'zod';
import { MarketDataError } from '../../errors.js';
import { assembleSeries, MissingPolicySchema } from '../assemble.js';
import type { Series, SeriesEvent } from '../series.js';
import { checkIntradayRange } from './yahoo-limits.js';

/** Intraday bar sizes. @internal */
export const INTRADAY = ['1m', '2m', '5m', '15m', '30m', '60m', '90m', '1h'] as const;
const DateLike = z.union([z.date(), z.string().min(1), z.number()]);

/** Options of {@link fetchYahoo}. */
export const YahooOptionsSchema = z
  .object({
    /**
     * Start of the range (Date, ISO string or epoch ms). Default: 1970 for daily and longer bars, 7 days back for 1m,
     * 59 days back for other intraday bars. Yahoo keeps 1m bars 30 days (7 days per request), 2m-30m and 90m bars
     * 60 days, 60m/1h bars 730 days: a range past that is refused before any request.
     */
    from: DateLike.optional(),
    /** End of the range, exclusive (default: now). */
    to: DateLike.optional(),
    /** Bar size. */
    interval: z.enum([...INTRADAY, '1d', '5d', '1wk', '1mo', '3mo']).default('1d'),
    /** Scale open/high/low/close by adjclose/close so all prices are split- and dividend-adjusted (default true). `adjClose` is always kept. */
    adjusted: z.boolean().default(true),
    /**
     * Rows where Yahoo reports some prices as null: `error` (default), `drop`, `ffill` or `interpolate`. Bars where
     * every value is null (no trades) are always dropped and counted in `meta.ingest.emptyRows`.
     */
    missing: MissingPolicySchema.default('error'),
    /** Folder for cached responses; no caching when absent. */
    cacheDir: z.string().min(1).optional(),
    /** Retries on HTTP 429, 5xx, timeouts and network errors (default 3). */
    retries: z.number().int().min(0).max(10).default(3),
    /** Base delay of the exponential backoff in ms (default 500; doubled each retry, plus up to 50% jitter). */
    retryDelayMs: z.number().min(0).max(60_000).default(500),
    /** Per-attempt timeout in ms (default 30000). */
    timeoutMs: z.number().int().positive().default(30_000),
    /** A fetch implementation, passed to yahoo-finance2 (proxies, tests). Default: the global fetch. */
    fetch: z.custom<typeof fetch>((v) => typeof v === 'function', 'expected a fetch function').optional(),
    /** Cancels the request (for example on Ctrl-C). */
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, 'expected an AbortSignal').optional(),
  })
  .strict();

/** Options of {@link fetchYahoo}, as accepted (before defaults). */
export type YahooOptions = z.input<typeof YahooOptionsSchema>;
/** @internal */
export type ParsedYahooOptions = z.output<typeof YahooOptionsSchema>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** @internal */
export function toDate(value: Date | string | number, what: string, symbol: string): Date {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new MarketDataError(symbol, `${what} is not a valid date: received ${String(value)}`);
  return d;
}

/** Wraps fetch with per-attempt timeouts and bounded retries with exponential backoff and jitter. @internal */
export function resilientFetch(opts: ParsedYahooOptions, symbol: string): typeof fetch {
  const base = opts.fetch ?? globalThis.fetch;
  return async (input, init) => {
    for (let attempt = 0; ; attempt++) {
      const timeout = AbortSignal.timeout(opts.timeoutMs);
      const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
      const retryable = attempt < opts.retries;
      const backoff = () =>
        sleep(opts.retryDelayMs * 2 ** attempt * (1 + (crypto.getRandomValues(new Uint16Array(1))[0] / 65535) * 0.5));
      let response: Response;
      try {
        response = await base(input, { ...init, signal });
      } catch (e) {
        if (opts.signal?.aborted) throw new MarketDataError(symbol, 'request aborted', { cause: e });
        if (retryable) {
          await backoff();
          continue;
        }
        const why = timeout.aborted
          ? `no response within ${opts.timeoutMs} ms`
          : `network error: ${(e as Error).message}`;
        throw new MarketDataError(symbol, `${why} (${attempt + 1} attempts)`, {
          cause: e,
          hint: 'check the connection, or raise timeoutMs/retries',
        });
      }
      if (response.status === 429 || response.status >= 500) {
        await response.body?.cancel();
        if (retryable) {
          await backoff();
          continue;
        }
        throw new MarketDataError(symbol, `HTTP ${response.status} from Yahoo Finance after ${attempt + 1} attempts`, {
          status: response.status,
        });
      }
      if (!response.ok) {
        // yahoo-finance2 turns Yahoo's JSON error bodies into errors; anything else it would print, so fail here.
        const text = await response.text();
        if (!text.trimStart().startsWith('{')) {
          throw new MarketDataError(symbol, `HTTP ${response.status} from Yahoo Finance: ${text.slice(0, 120)}`, {
            status: response.status,
          });
        }
        return new Response(text, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      }
      return response;
    }
  };
}

/** Turns a client failure into a MarketDataError naming the symbol. @internal */
export function describeFailure(symbol: string, e: unknown): MarketDataError {
  if (e instanceof MarketDataError) return e;
  const err = e as Error & { code?: number };
  const message = err?.message ?? String(e);
  if (err?.name === 'FailedYahooValidationError') {
    return new MarketDataError(symbol, 'the response did not match the chart schema', { cause: e });
  }
  if (/No data found|delisted|Not Found/i.test(message)) {
    return new MarketDataError(symbol, `no data: ${message}`, {
      status: 404,
      cause: e,
      hint: 'check the symbol and the date range',
    });
  }
  if (/not parsable|expect JSON/i.test(message)) {
    return new MarketDataError(
      symbol,
      `expected a JSON chart, received ${/<html|<!doctype/i.test(message) ? 'an HTML page' : 'non-JSON text'}`,
      { cause: e },
    );
  }
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError')
    return new MarketDataError(symbol, 'the request timed out or was aborted', { cause: e });
  return new MarketDataError(symbol, message, {
    ...(typeof err?.code === 'number' ? { status: err.code } : {}),
    cause: e,
  });
}

/**
 * The request range: `from` (default: 1970, or 7 or 59 days back for intraday bars) to `to` (default: now),
 * checked against Yahoo's intraday limits ({@link checkIntradayRange}) before anything is requested.
 * @throws {@link MarketDataError} for invalid dates, an empty range, or a range Yahoo does not serve at that interval
 * @internal
 */
export function requestRange(
  symbol: string,
  opts: ParsedYahooOptions,
  now: number = Date.now(),
): { from: Date; to: Date } {
  const to = opts.to !== undefined ? toDate(opts.to, 'to', symbol) : new Date(now);
  const lookbackDays = opts.interval === '1m' ? 7 : 59;
  const from =
    opts.from !== undefined
      ? toDate(opts.from, 'from', symbol)
      : (INTRADAY as readonly string[]).includes(opts.interval)
        ? new Date(to.getTime() - lookbackDays * 86_400_000)
        : new Date(0);
  if (from >= to)
    throw new MarketDataError(symbol, `from (${from.toISOString()}) must be before to (${to.toISOString()})`);
  checkIntradayRange(symbol, opts.interval, { from, to }, now);
  return { from, to };
}

const Num = z.number().nullable();

/** A downloaded chart in the form the cache stores (timestamps in epoch seconds, nulls kept). @internal */
export const CachedChartSchema = z
  .object({
    version: z.literal(1),
    symbol: z.string(),
    /** The symbol as requested (Yahoo's `symbol` may differ in case or form); the cache checks it on reads. */
    request: z.string().optional(),
    interval: z.string(),
    gmtoffset: z.number(),
    timestamps: z.array(z.number()),
    open: z.array(Num),
    high: z.array(Num),
    low: z.array(Num),
    close: z.array(Num),
    adjclose: z.array(Num),
    volume: z.array(Num),
    dividends: z.array(z.object({ date: z.number(), amount: z.number() })),
    splits: z.array(z.object({ date: z.number(), numerator: z.number(), denominator: z.number(), ratio: z.string() })),
  })
  .refine(
    (c) =>
      ['open', 'high', 'low', 'close', 'adjclose', 'volume'].every(
        (k) => (c[k as 'open'] as unknown[]).length === c.timestamps.length,
      ),
    {
      message: 'column lengths differ from the timestamps',
    },
  );

/** @internal */
export type CachedChart = z.infer<typeof CachedChartSchema>;

/** The part of a chart result (yahoo-finance2's or the chart endpoint's raw JSON) that a chart is made of. @internal */
export interface ChartResult {
  meta: { symbol?: string; gmtoffset?: number };
  timestamp?: Array<number | Date>;
  indicators: {
    quote: Array<{
      open?: Array<number | null>;
      high?: Array<number | null>;
      low?: Array<number | null>;
      close?: Array<number | null>;
      volume?: Array<number | null>;
    }>;
    adjclose?: Array<{ adjclose?: Array<number | null> }>;
  };
  events?: {
    dividends?: Record<string, { date: number | Date; amount: number }>;
    splits?: Record<string, { date: number | Date; numerator: number; denominator: number; splitRatio: string }>;
  };
}

/** Epoch milliseconds of an event date: yahoo-finance2 gives Dates, the raw endpoint epoch seconds. */
function epochMs(d: number | Date): number {
  return typeof d === 'number' ? d * 1000 : +d;
}

/** A chart result as the cache stores it. @internal */
export function chartFromResult(result: ChartResult, symbol: string, interval: string): CachedChart {
  const quote = result.indicators.quote[0] ?? { open: [], high: [], low: [], close: [], volume: [] };
  const timestamps = (result.timestamp ?? []).map((t) =>
    typeof t === 'number' ? t : +new Date(t as unknown as string) / 1000,
  );
  const adj = result.indicators.adjclose?.[0]?.adjclose;
  const column = (values: Array<number | null> | undefined) => timestamps.map((_, i) => values?.[i] ?? null);
  return {
    version: 1,
    symbol: result.meta.symbol ?? symbol,
    request: symbol,
    interval,
    gmtoffset: result.meta.gmtoffset ?? 0,
    timestamps,
    open: column(quote.open),
    high: column(quote.high),
    low: column(quote.low),
    close: column(quote.close),
    adjclose: adj ? column(adj) : column(quote.close),
    volume: column(quote.volume),
    dividends: Object.values(result.events?.dividends ?? {}).map((d) => ({ date: epochMs(d.date), amount: d.amount })),
    splits: Object.values(result.events?.splits ?? {}).map((s) => ({
      date: epochMs(s.date),
      numerator: s.numerator,
      denominator: s.denominator,
      ratio: s.splitRatio,
    })),
  };
}

/** A chart as a Series: adjusted prices, events, the `missing` policy applied. @internal */
export function toSeries(chart: CachedChart, opts: ParsedYahooOptions, cache: 'hit' | 'miss' | 'off'): Series {
  const daily = !(INTRADAY as readonly string[]).includes(chart.interval);
  // Daily and longer bars are stamped at the session open; keep the exchange-local calendar date at 00:00 UTC.
  const stamp = (s: number) => (daily ? Math.floor((s + chart.gmtoffset) / 86_400) * 86_400_000 : s * 1000);
  const n = chart.timestamps.length;
  const nan = (v: number | null) => (v === null ? Number.NaN : v);
  const columns = new Map<string, Float64Array>();
  const factor = Float64Array.from({ length: n }, (_, i) => {
    const c = chart.close[i];
    const a = chart.adjclose[i];
    return opts.adjusted && c !== null && a !== null && c !== 0 ? a / c : 1;
  });
  for (const key of ['open', 'high', 'low', 'close'] as const)
    columns.set(
      key,
      Float64Array.from(chart[key], (v, i) => nan(v) * factor[i]),
    );
  columns.set('adjClose', Float64Array.from(chart.adjclose, nan));
  columns.set('volume', Float64Array.from(chart.volume, nan));
  const events: SeriesEvent[] = [
    ...chart.dividends.map((d) => ({ timestamp: stamp(d.date / 1000), kind: 'dividend' as const, value: d.amount })),
    ...chart.splits.map((s) => ({
      timestamp: stamp(s.date / 1000),
      kind: 'split' as const,
      value: s.numerator / s.denominator,
      ratio: s.ratio,
    })),
  ].sort((a, b) => a.timestamp - b.timestamp);
  if (n === 0)
    throw new MarketDataError(chart.symbol, `no rows for interval ${chart.interval} in the requested range`, {
      hint: 'widen from/to',
    });
  return assembleSeries(
    { timestamps: Float64Array.from(chart.timestamps, stamp), columns, locate: () => ({}) },
    { missing: opts.missing, duplicates: 'last', dropEmpty: true },
    { symbol: chart.symbol, source: cache === 'hit' ? 'yahoo (cache)' : 'yahoo', events, adjusted: opts.adjusted },
  );
}
