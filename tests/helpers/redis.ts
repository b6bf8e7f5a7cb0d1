/**
 * A real redis-server (Debian's /usr/bin/redis-server) for tests: started on a free loopback port in a temporary
 * folder, optionally with a password or TLS (the self-signed test certificate in tests/helpers/tls, made with
 * `openssl req -x509 -days 36500 ... -addext subjectAltName=IP:127.0.0.1`), restartable, and stopped after.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TLS_DIR = new URL('./tls/', import.meta.url).pathname;

/** The test certificate (also the CA that trusts it). */
export const TEST_CA = readFileSync(join(TLS_DIR, 'redis-cert.pem'), 'utf8');
/** Its path, for NODE_EXTRA_CA_CERTS in child processes. */
export const TEST_CA_FILE = join(TLS_DIR, 'redis-cert.pem');

/** A running test Redis. */
export interface RedisServer {
  host: string;
  port: number;
  /** redis:// or rediss:// URL, with the password when there is one. */
  url: string;
  /** Stops the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Stops and starts it again on the same port; without persistence, every key is gone. */
  restart(): Promise<void>;
  /** Stops it and removes its folder. */
  dispose(): Promise<void>;
}

/** A free TCP port on the loopback address. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts redis-server; resolves when it accepts connections. */
export async function startRedis(options: { password?: string; tls?: boolean } = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'stockcast-redis-'));
  const port = await freePort();
  const args = [
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--maxmemory-policy',
    'noeviction',
  ];
  if (options.password) args.push('--requirepass', options.password);
  if (options.tls)
    args.push(
      '--port',
      '0',
      '--tls-port',
      String(port),
      '--tls-cert-file',
      join(TLS_DIR, 'redis-cert.pem'),
      '--tls-key-file',
      join(TLS_DIR, 'redis-key.pem'),
      '--tls-auth-clients',
      'no',
    );
  else args.push('--port', String(port));
  let child: ChildProcess | undefined;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const proc = spawn('/usr/bin/redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start in 10 s:\n${output}`)), 10_000);
      proc.stdout!.on('data', (d: Buffer) => {
        output += d.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${output}`));
      });
    });
  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  };
  await start();
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    host: '127.0.0.1',
    port,
    url: `${options.tls ? 'rediss' : 'redis'}://${auth}127.0.0.1:${port}`,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
