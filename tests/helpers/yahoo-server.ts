/** A loopback HTTP server (127.0.0.1) that replays Yahoo-shaped chart responses, for testing the real yahoo-finance2 client offline. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted reply: status, body, optional delay before answering. */
export interface Reply {
  status: number;
  body: string;
  contentType?: string;
  delayMs?: number;
}

/** A running replay server. */
export interface YahooReplay {
  /** Requests received, in order (path with query). */
  requests: string[];
  /** A fetch that sends Yahoo's URLs to this server instead. */
  fetch: typeof fetch;
  close(): Promise<void>;
}

/** Starts a server answering the scripted replies in order (the last one repeats). */
export async function startYahooReplay(replies: Reply[]): Promise<YahooReplay> {
  const requests: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    requests.push(req.url ?? '');
    const reply = replies[Math.min(requests.length - 1, replies.length - 1)];
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'application/json' });
      res.end(reply.body);
    };
    if (reply.delayMs) setTimeout(send, reply.delayMs);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const replayFetch: typeof fetch = (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (!/finance\.yahoo\.com$/.test(url.hostname)) throw new Error(`unexpected host ${url.hostname}`);
    return fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`, init);
  };
  return {
    requests,
    fetch: replayFetch,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Rows for a chart body: epoch seconds and OHLCV with optional nulls. */
export interface ChartRow {
  t: number;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number | null;
  adjclose: number | null;
  volume: number | null;
}

/** A v8 chart JSON body in Yahoo's shape. */
export function chartBody(symbol: string, rows: ChartRow[], events: object = {}, gmtoffset = -18000): string {
  const pick = (k: keyof ChartRow) => rows.map((r) => r[k]);
  const first = rows[0]?.t ?? 0;
  const period = (start: number) => ({ timezone: 'EST', start, end: start + 23400, gmtoffset });
  return JSON.stringify({
    chart: {
      result: [
        {
          meta: {
            currency: 'USD',
            symbol,
            exchangeName: 'SNP',
            fullExchangeName: 'SNP',
            instrumentType: 'INDEX',
            firstTradeDate: -1325583000,
            regularMarketTime: first,
            hasPrePostMarketData: false,
            gmtoffset,
            timezone: 'EST',
            exchangeTimezoneName: 'America/New_York',
            regularMarketPrice: rows.at(-1)?.close ?? 0,
            chartPreviousClose: rows[0]?.close ?? 0,
            priceHint: 2,
            currentTradingPeriod: { pre: period(first - 19800), regular: period(first), post: period(first + 23400) },
            dataGranularity: '1d',
            range: '',
            validRanges: ['1d', '5d', '1mo', '3mo', '6mo', '1y', '2y', '5y', '10y', 'ytd', 'max'],
          },
          timestamp: pick('t'),
          events,
          indicators: {
            quote: [
              {
                open: pick('open'),
                high: pick('high'),
                low: pick('low'),
                close: pick('close'),
                volume: pick('volume'),
              },
            ],
            adjclose: [{ adjclose: pick('adjclose') }],
          },
        },
      ],
      error: null,
    },
  });
}

/** Yahoo's answer for an unknown or delisted symbol. */
export function notFoundBody(): string {
  return JSON.stringify({
    chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } },
  });
}

/** A running server that answers per symbol, and counts how many requests it held at once. */
export interface YahooRoutes extends YahooReplay {
  /** The most requests in flight at the same time. */
  maxInFlight(): number;
}

/** Starts a server that answers each chart request with `route(symbol)` (the symbol from /v8/finance/chart/SYMBOL). */
export async function startYahooRoutes(route: (symbol: string) => Reply): Promise<YahooRoutes> {
  const requests: string[] = [];
  let inFlight = 0;
  let most = 0;
  const server: Server = createServer((req: IncomingMessage, res) => {
    requests.push(req.url ?? '');
    inFlight++;
    most = Math.max(most, inFlight);
    const symbol = decodeURIComponent(/\/v8\/finance\/chart\/([^?]+)/.exec(req.url ?? '')?.[1] ?? '');
    const reply = route(symbol);
    const send = () => {
      inFlight--;
      if (res.destroyed) return;
      res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'application/json' });
      res.end(reply.body);
    };
    if (reply.delayMs) setTimeout(send, reply.delayMs);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const routedFetch: typeof fetch = (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (!/finance\.yahoo\.com$/.test(url.hostname)) throw new Error(`unexpected host ${url.hostname}`);
    return fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`, init);
  };
  return {
    requests,
    fetch: routedFetch,
    maxInFlight: () => most,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
