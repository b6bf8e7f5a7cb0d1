import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveBrowser, launchChromium, serveStatic, watchPage } from './helpers/browser-page.js';

// A new app imports the packed package as a user would, and a bundler builds it with its defaults: Vite (no config,
// no plugins: it follows the package's `new Worker(new URL(...))` and `new URL('….wasm', import.meta.url)`), and
// esbuild --platform=browser (which does not copy those files: the app says where they are with useAssets).
// The page trains and forecasts in Chromium, and its forecast equals the same package's in Node.
const dir = mkdtempSync(join(tmpdir(), 'stockcast-bundlers-'));
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
  });
const versionOf = (name: string) =>
  (JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { version: string }).version;

// The app's code, shared by both bundlers: a seeded GRU on a synthetic series, two threads asked for.
const APP = `import { createForecaster, parseCsv } from 'stockcast';
const rows = ['date,close'];
for (let i = 0; i < 400; i++) rows.push(new Date(Date.UTC(2020, 0, 1) + i * 864e5).toISOString().slice(0, 10) + ',' + (100 + 10 * Math.sin(i / 7) + i / 10).toFixed(4));
export async function run() {
  const s = parseCsv(rows.join('\\n'));
  const m = await createForecaster({ cell: 'gru', units: 64, lookback: 20, horizon: 2, epochs: 2, batchSize: 128, seed: 5, threads: 2 }).fit(s);
  const f = await m.predict(s);
  return { values: Array.from(f.values), run: m.training.run };
}
`;
const PAGE = (extra: string) =>
  `${extra}\nimport { run } from './app.js';\nrun().then((r) => { globalThis.result = r; }, (e) => { globalThis.result = { error: String(e && e.stack || e) }; });\n`;
const HTML =
  '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>app</title><script type="module" src="./main.js"></script>\n';

let nodeValues: number[];
beforeAll(() => {
  // dist/ is fresh (tests/helpers/global-setup.ts builds it before the suite); packing without the `prepare` build
  // keeps dist/ stable for the CLI tests that run it at the same time.
  npm(['pack', '--silent', '--ignore-scripts', '--pack-destination', dir], resolve('.'));
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  npm(
    [
      'install',
      '--prefer-offline',
      '--no-save',
      `./${tarball}`,
      `vite@${versionOf('vite')}`,
      `esbuild@${versionOf('esbuild')}`,
    ],
    dir,
  );
  writeFileSync(join(dir, 'app.js'), APP);
  // The same app in Node, on the same WebAssembly kernels.
  writeFileSync(
    join(dir, 'node.mjs'),
    "import { run } from './app.js';\nconsole.log(JSON.stringify((await run()).values));\n",
  );
  nodeValues = JSON.parse(
    execFileSync(process.execPath, ['node.mjs'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, STOCKCAST_KERNELS: 'wasm' },
    }),
  ) as number[];
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function openApp(root: string): Promise<{
  values: number[];
  run: { threads: number; kernels: string };
  error?: string;
  errors: string[];
  foreign: string[];
  requests: string[];
}> {
  const server = await serveStatic(root, true);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const { errors, foreign } = watchPage(page, server.url);
    await page.goto(server.url);
    await page.waitForFunction(() => (globalThis as { result?: unknown }).result !== undefined, undefined, {
      timeout: 60_000,
    });
    const result = (await page.evaluate(() => (globalThis as { result?: unknown }).result)) as {
      values: number[];
      run: { threads: number; kernels: string };
      error?: string;
    };
    return { ...result, errors, foreign, requests: server.requests };
  } finally {
    await browser.close();
    await server.close();
  }
}

describe.skipIf(!haveBrowser)('bundlers: a new app that imports the packed stockcast', () => {
  it('Vite (default config, no plugins) builds it; it trains on Web Workers in Chromium and forecasts what Node does', async () => {
    const app = join(dir, 'vite-app');
    mkdirSync(app);
    writeFileSync(join(app, 'index.html'), HTML);
    writeFileSync(join(app, 'main.js'), PAGE(''));
    copyFileSync(join(dir, 'app.js'), join(app, 'app.js'));
    execFileSync(process.execPath, [join(dir, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
      cwd: app,
      encoding: 'utf8',
    });
    const assets = readdirSync(join(app, 'dist/assets'));
    expect(assets.some((f) => f.endsWith('.wasm'))).toBe(true);
    expect(assets.filter((f) => f.startsWith('gradient-web-worker')).length).toBe(1);
    const r = await openApp(join(app, 'dist'));
    expect(r.error).toBeUndefined();
    expect(r.run).toMatchObject({ engine: 'fused', kernels: 'wasm', threads: 2 });
    expect(r.values).toEqual(nodeValues);
    expect(r.errors).toEqual([]);
    expect(r.foreign).toEqual([]);
    expect(r.requests.some((p) => /gradient-web-worker.*\.js$/.test(p))).toBe(true);
  }, 120_000);

  it('esbuild --platform=browser --bundle --format=esm builds it; with the kernels and the worker bundle beside it, it trains and forecasts what Node does', async () => {
    const app = join(dir, 'esbuild-app');
    const out = join(app, 'out');
    mkdirSync(out, { recursive: true });
    writeFileSync(
      join(app, 'main.js'),
      PAGE(
        "import { useAssets } from 'stockcast';\nuseAssets({ kernelsUrl: new URL('./kernels.wasm', import.meta.url), workerUrl: new URL('./worker.js', import.meta.url) });",
      ),
    );
    copyFileSync(join(dir, 'app.js'), join(app, 'app.js'));
    const esbuild = join(dir, 'node_modules/esbuild/bin/esbuild');
    execFileSync(
      esbuild,
      [
        'main.js',
        '--bundle',
        '--platform=browser',
        '--format=esm',
        `--outfile=${join(out, 'main.js')}`,
        '--log-level=error',
      ],
      { cwd: app },
    );
    execFileSync(
      esbuild,
      [
        'stockcast/browser-worker',
        '--bundle',
        '--platform=browser',
        '--format=esm',
        `--outfile=${join(out, 'worker.js')}`,
        '--log-level=error',
      ],
      { cwd: app },
    );
    copyFileSync(join(dir, 'node_modules/stockcast/wasm/kernels.wasm'), join(out, 'kernels.wasm'));
    writeFileSync(join(out, 'index.html'), HTML);
    expect(readFileSync(join(out, 'main.js'), 'utf8')).not.toMatch(/@tensorflow|node:fs|worker_threads/);
    const r = await openApp(out);
    expect(r.error).toBeUndefined();
    expect(r.run).toMatchObject({ engine: 'fused', kernels: 'wasm', threads: 2 });
    expect(r.values).toEqual(nodeValues);
    expect(r.errors).toEqual([]);
    expect(r.foreign).toEqual([]);
  }, 120_000);
});
