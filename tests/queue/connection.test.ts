import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueError, ValidationError } from '../../src/index.js';
import { checkRedis, redact, resolveConnection } from '../../src/queue/connection.js';
import { freePort, startRedis, TEST_CA, type RedisServer } from '../helpers/redis.js';

const SECRET = 'pa:ss/w@rd-7Qx';

describe('Redis URLs and connection objects', () => {
  it('reads redis:// and rediss:// URLs: credentials, port, database; the address never holds credentials', () => {
    const c = resolveConnection({ connection: `redis://alice:${encodeURIComponent(SECRET)}@cache.example:6380/3` });
    expect(c.redis).toMatchObject({ host: 'cache.example', port: 6380, db: 3, username: 'alice', password: SECRET });
    expect(c.redis.tls).toBeUndefined();
    expect(c.address).toBe('redis://cache.example:6380/3');
    expect(c.reconnectMs).toBe(60_000);
    const tls = resolveConnection({ connection: 'rediss://127.0.0.1', reconnectMs: 5000 });
    expect(tls.redis).toMatchObject({ host: '127.0.0.1', port: 6379, db: 0, tls: {} });
    expect(tls.address).toBe('rediss://127.0.0.1:6379/0');
    expect(resolveConnection({ connection: 'redis://[::1]:7000' }).address).toBe('redis://[::1]:7000/0');
    expect(resolveConnection({ connection: { port: 7001, password: SECRET, tls: { ca: 'PEM' } } }).redis).toMatchObject(
      { host: '127.0.0.1', port: 7001, password: SECRET, tls: { ca: 'PEM' } },
    );
  });

  it('refuses malformed URLs with a message that names what is wrong and not the password', () => {
    for (const [url, why] of [
      [`http://u:${encodeURIComponent(SECRET)}@host`, /unsupported scheme http:.*received "http:\/\/\*\*\*@host"/],
      [`redis://u:${SECRET}@host:6379`, /received "redis:\/\/\*\*\*@host:6379"/],
      [`redis://u:${encodeURIComponent(SECRET)}@host/db`, /database number/],
      [`redis://u:${encodeURIComponent(SECRET)}@host?tls=1`, /query strings/],
      ['not a url', /not a URL/],
    ] as const) {
      const e = (() => {
        try {
          resolveConnection({ connection: url });
        } catch (err) {
          return err as ValidationError;
        }
        throw new Error(`accepted ${url}`);
      })();
      expect(e).toBeInstanceOf(ValidationError);
      expect(e.message).toMatch(why);
      expect(e.message).not.toContain(SECRET);
      expect(e.message).not.toContain(encodeURIComponent(SECRET));
    }
    expect(() => resolveConnection({ connection: 'redis://h', reconnectMs: 10 })).toThrow(/reconnectMs/);
  });

  it('redacts secrets, and any URL credentials, from text', () => {
    expect(redact(`auth ${SECRET} failed`, [SECRET])).toBe('auth *** failed');
    expect(redact('see rediss://bob:hunter2@10.0.0.1:6379 or redis://u:a/b@c@h', [])).toBe(
      'see rediss://***@10.0.0.1:6379 or redis://***@h',
    );
  });
});

describe('connecting to a real Redis', () => {
  let plain: RedisServer;
  let tls: RedisServer;
  beforeAll(async () => {
    [plain, tls] = await Promise.all([startRedis({ password: SECRET }), startRedis({ password: SECRET, tls: true })]);
  });
  afterAll(async () => {
    await Promise.all([plain?.dispose(), tls?.dispose()]);
  });

  it('the right password connects; a wrong one fails at once with a clear QueueError that does not print it', async () => {
    await checkRedis(resolveConnection({ connection: plain.url }));
    const wrong = `redis://:${encodeURIComponent(`not-${SECRET}`)}@127.0.0.1:${plain.port}`;
    const e = await checkRedis(resolveConnection({ connection: wrong })).then(
      () => expect.fail('no error'),
      (x: unknown) => x as QueueError,
    );
    expect(e).toBeInstanceOf(QueueError);
    expect(e.code).toBe('QUEUE_ERROR');
    expect(e.message).toMatch(new RegExp(`^cannot use Redis at redis://127.0.0.1:${plain.port}/0: WRONGPASS`));
    expect(e.message).toMatch(/hint: check the user name and password/);
    expect(e.address).toBe(`redis://127.0.0.1:${plain.port}/0`);
    expect(e.message).not.toContain(SECRET);
    const none = await checkRedis(resolveConnection({ connection: `redis://127.0.0.1:${plain.port}` })).then(
      () => expect.fail('no error'),
      (x: unknown) => x as QueueError,
    );
    expect(none.message).toMatch(/NOAUTH/);
  });

  it('nothing listening: a QueueError naming the address, not a hang', async () => {
    const port = await freePort();
    const e = await checkRedis(resolveConnection({ connection: `redis://127.0.0.1:${port}` })).then(
      () => expect.fail('no error'),
      (x: unknown) => x as QueueError,
    );
    expect(e).toBeInstanceOf(QueueError);
    expect(e.message).toMatch(/ECONNREFUSED.*is redis-server running/);
  });

  it('rediss:// with a password: works with the CA, and fails clearly without it', async () => {
    await checkRedis(
      resolveConnection({ connection: { host: '127.0.0.1', port: tls.port, password: SECRET, tls: { ca: TEST_CA } } }),
    );
    const e = await checkRedis(resolveConnection({ connection: tls.url })).then(
      () => expect.fail('no error'),
      (x: unknown) => x as QueueError,
    );
    expect(e).toBeInstanceOf(QueueError);
    expect(e.message).toMatch(/self[- ]signed|certificate/i);
    expect(e.message).toMatch(/hint: check the TLS setup/);
    expect(e.message).not.toContain(SECRET);
  });
});
