// Chromium test rig: bundles a page on src/browser.ts with esbuild (the helper-thread script on its own, the kernels
// copied beside it), serves it from a loopback server with or without COOP/COEP headers, records every request,
// and opens it in Debian's Chromium through playwright-core.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** CI installs Debian's chromium; a developer machine without it skips the browser tests. */
export const haveBrowser = existsSync(CHROMIUM) || process.env.CI === 'true';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** A static server over `root`; `isolated` adds the cross-origin isolation headers. Records each request path. */
export async function serveStatic(
  root: string,
  isolated: boolean,
): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(resolve(root)) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    const headers: Record<string, string> = {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    };
    if (isolated)
      Object.assign(headers, {
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      });
    res.writeHead(200, headers).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, requests, close: () => new Promise((r) => server.close(() => r())) };
}

/** Bundles `entry` (a page script importing src/browser.ts) into a temporary folder with index.html, the helper-thread bundle and the kernels. */
export async function bundlePage(
  entry: string,
  files: Record<string, string> = {},
): Promise<{ dir: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'stockcast-page-'));
  const common = { bundle: true, platform: 'browser', format: 'esm', target: 'es2022', logLevel: 'error' } as const;
  await build({ ...common, entryPoints: [resolve(entry)], outfile: join(dir, 'app.js') });
  await build({ ...common, entryPoints: [resolve('src/browser-worker.ts')], outfile: join(dir, 'worker.js') });
  copyFileSync('wasm/kernels.wasm', join(dir, 'kernels.wasm'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>stockcast</title><link rel="icon" href="data:,"><script type="module" src="./app.js"></script>\n',
  );
  for (const [name, from] of Object.entries(files)) copyFileSync(from, join(dir, name));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Launches headless Chromium with no network beyond what the page asks for; `webgpu` turns on WebGPU on SwiftShader (no GPU needed). */
export function launchChromium(o: { webgpu?: boolean } = {}): Promise<Browser> {
  const gpu = o.webgpu ? ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'] : ['--disable-gpu'];
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      ...gpu,
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Opens `url` and collects console errors and page errors. */
/** Records a page's console errors, uncaught exceptions, and requests to anywhere but `origin`. */
export function watchPage(page: Page, origin: string): { errors: string[]; foreign: string[] } {
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => !r.url().startsWith(origin) && foreign.push(r.url()));
  return { errors, foreign };
}

export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const { errors } = watchPage(page, new URL(url).origin);
  await page.goto(url);
  await page.waitForFunction(() => (globalThis as { stockcastReady?: boolean }).stockcastReady === true, undefined, {
    timeout: 30_000,
  });
  return { page, errors };
}
