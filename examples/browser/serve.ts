/**
 * Builds the browser example with Vite (default settings; `stockcast` is this repository's browser entry, as an app
 * would get it from node_modules) and serves it on 127.0.0.1 with the cross-origin isolation headers (COOP/COEP),
 * so training runs on Web Workers.
 * Run: npm run example:browser   (then open the URL it prints; --port N picks the port, --no-isolation drops the headers)
 */
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../..');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv',
};

/** Builds the example into `out` (Vite bundles the helper-thread script and copies the kernels), plus a sample CSV. */
export async function buildExample(out: string): Promise<void> {
  await build({
    root: here,
    logLevel: 'error',
    configFile: false,
    resolve: { alias: { stockcast: join(root, 'src/browser.ts') } },
    build: { outDir: out, emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  });
  copyFileSync(join(root, 'fixtures/sp500-2000.csv'), join(out, 'sp500-2000.csv'));
}

/** Serves `dir` on 127.0.0.1; `isolated` adds COOP/COEP. Resolves with the URL once listening. */
export function serveExample(dir: string, port: number, isolated = true): Promise<{ url: string; close(): void }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(resolve(dir)) || !existsSync(file)) return void res.writeHead(404).end('not found');
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      ...(isolated
        ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
        : {}),
    });
    res.end(readFileSync(file));
  });
  return new Promise((r) =>
    server.listen(port, '127.0.0.1', () =>
      r({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, close: () => server.close() }),
    ),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = join(root, 'test-artifacts/example-browser');
  await buildExample(out);
  const at = process.argv.indexOf('--port');
  const { url } = await serveExample(
    out,
    at > 0 ? Number(process.argv[at + 1]) : 5173,
    !process.argv.includes('--no-isolation'),
  );
  console.log(
    `stockcast browser example: ${url}  (cross-origin isolated: ${!process.argv.includes('--no-isolation')}; a sample CSV: ${url}sp500-2000.csv; Ctrl-C stops)`,
  );
}
