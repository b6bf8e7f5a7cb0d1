/** Where the job queue lives: Redis URLs and connection objects, parsed once, with the credentials kept out of every message. */
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import { QueueError, ValidationError } from '../errors.js';
import { QueueOptionsSchema, RedisEndpointSchema, type QueueOptions } from './options.js';
import { loadQueueLibraries } from './peers.js';

/** The BullMQ queue every stockcast job goes through (separate deployments use separate Redis databases). @internal */
export const QUEUE_NAME = 'stockcast';

/** The Redis key prefix of stockcast's queue. @internal */
export const QUEUE_PREFIX = 'stockcast';

/** A connection ready for BullMQ, with a printable address and the secrets to scrub from any text. */
export interface ResolvedConnection {
  /** Options for ioredis (through BullMQ); spelled out here so no declaration names the optional peer's types. */
  redis: RedisConnectionOptions;
  /** `redis://host:port/db` or `rediss://...`, without credentials. */
  address: string;
  /** Strings that must never be printed (the password and user name, as given and URL-encoded). */
  secrets: string[];
  /** How long a submitter waits for an unreachable Redis. */
  reconnectMs: number;
}

/** The ioredis options stockcast sets (a subset of ioredis' `RedisOptions`). @internal */
export interface RedisConnectionOptions {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls?: Record<string, unknown>;
  connectTimeout: number;
  retryStrategy: (times: number) => number | null;
}

/** Replaces every secret in `text` with `***`. @internal */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('***');
  // A URL with credentials that reached a message some other way (up to its last @: a password may hold / or @).
  return out.replace(/(rediss?:\/\/)\S*@/g, '$1***@');
}

/** A URL as it may be printed: everything between the scheme and the last @ hidden. */
function describeUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)?.*@/i, (_, scheme: string | undefined) => `${scheme ?? ''}***@`);
}

function fromUrl(url: string): z.output<typeof RedisEndpointSchema> {
  const bad = (why: string) =>
    new ValidationError('queue options', [
      {
        path: 'connection',
        message: `${why}: expected redis://[user:password@]host[:port][/db] or rediss://..., received "${describeUrl(url)}"`,
      },
    ]);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw bad('not a URL');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw bad(`unsupported scheme ${u.protocol}`);
  if (u.search || u.hash)
    throw bad('query strings and fragments are not supported (give TLS options with a connection object)');
  const db = u.pathname === '' || u.pathname === '/' ? 0 : Number(u.pathname.slice(1));
  if (!Number.isInteger(db) || db < 0) throw bad('the path must be a database number');
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    host: host || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: true } : {}),
  };
}

/**
 * Parses queue options into a connection for BullMQ.
 * @throws {@link ValidationError} for a malformed URL or object (the message never contains the password)
 * @internal
 */
export function resolveConnection(options: QueueOptions): ResolvedConnection {
  const parsed = QueueOptionsSchema.safeParse(options);
  if (!parsed.success) {
    // zod's messages name paths, not values, so no secret can be echoed here.
    throw ValidationError.fromZod('queue options', parsed.error);
  }
  const c = parsed.data.connection;
  const e = typeof c === 'string' ? fromUrl(c) : RedisEndpointSchema.parse(c);
  const tls = e.tls === true ? {} : e.tls === false || e.tls === undefined ? undefined : e.tls;
  const secrets = [e.password, e.username].flatMap((s) => (s ? [s, encodeURIComponent(s)] : []));
  const hostText = e.host.includes(':') ? `[${e.host}]` : e.host;
  return {
    redis: {
      host: e.host,
      port: e.port,
      db: e.db,
      ...(e.username ? { username: e.username } : {}),
      ...(e.password ? { password: e.password } : {}),
      ...(tls ? { tls } : {}),
      connectTimeout: 10_000,
      // Reconnect with a capped backoff; the submitter bounds the total wait with reconnectMs.
      retryStrategy: (times: number) => Math.min(200 * times, 2000),
    },
    address: `${tls ? 'rediss' : 'redis'}://${hostText}:${e.port}/${e.db}`,
    secrets,
    reconnectMs: parsed.data.reconnectMs,
  };
}

/**
 * Turns a Redis or network failure into a QueueError that says what to check, with every secret removed.
 * @internal
 */
export function queueError(e: unknown, conn: ResolvedConnection, doing: string): QueueError {
  const raw = e instanceof Error ? e.message : String(e);
  const message = redact(raw, conn.secrets);
  let hint: string | undefined;
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(raw))
    hint = 'check the user name and password in the Redis URL';
  else if (/ECONNREFUSED/.test(raw)) hint = 'is redis-server running and listening on that address?';
  else if (/ENOTFOUND|EAI_AGAIN/.test(raw)) hint = 'check the host name';
  else if (/certificate|SSL|TLS|EPROTO|self[- ]signed/i.test(raw))
    hint =
      'check the TLS setup: rediss:// needs a server with TLS, and a private CA is given with NODE_EXTRA_CA_CERTS or a connection object with tls.ca';
  return new QueueError(`${doing} at ${conn.address}: ${message}`, conn.address, hint ? { hint } : {});
}

/** Resolves a promise or fails after `ms` with `what` timed out. @internal */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Connects once, without retrying, and pings: a wrong password, a refused connection or a TLS mismatch fails
 * here with a clear message instead of retrying forever.
 * @throws {@link QueueError} naming the address (never the credentials) and what to check, or naming bullmq and
 *   ioredis when they are not installed
 * @internal
 */
export async function checkRedis(conn: ResolvedConnection): Promise<void> {
  const { Redis } = await loadQueueLibraries(conn.address);
  const probe = new Redis({ ...conn.redis, retryStrategy: () => null, maxRetriesPerRequest: 0, lazyConnect: true });
  let failure: unknown;
  probe.on('error', (e) => (failure ??= e));
  try {
    await withTimeout(probe.connect(), 15_000, 'connecting');
    await withTimeout(probe.ping(), 10_000, 'ping');
  } catch (e) {
    throw queueError(failure ?? e, conn, 'cannot use Redis');
  } finally {
    probe.disconnect();
  }
}

/** A client for stockcast's own keys (input data), reconnecting like BullMQ's. @internal */
export async function dataClient(conn: ResolvedConnection): Promise<Redis> {
  const { Redis } = await loadQueueLibraries(conn.address);
  return new Redis({ ...conn.redis, maxRetriesPerRequest: 1 });
}

/** Closes BullMQ objects, or drops their connections when Redis does not answer, so nothing keeps the process alive. @internal */
export async function closeAll(
  objects: ReadonlyArray<{ close(): Promise<void>; disconnect(): Promise<void> }>,
): Promise<void> {
  await Promise.all(
    objects.map((o) => withTimeout(o.close(), 5000, 'closing').catch(() => o.disconnect().catch(() => undefined))),
  );
}
