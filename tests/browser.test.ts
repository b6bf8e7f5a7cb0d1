import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinModules } from 'node:module';
import type { Browser } from 'playwright-core';
import { createForecaster, readCsv, walkForward } from '../src/index.js';
import { bundlePage, haveBrowser, launchChromium, openPage, serveStatic } from './helpers/browser-page.js';

// The browser entry: nothing of Node is reachable from it, and in Chromium it trains exactly as Node does on the
// same (WebAssembly) kernels, on Web Workers when the page is cross-origin isolated and on one thread otherwise.
const NODE = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

describe('the browser entry', () => {
  it('bundles for the browser with no Node built-in, no TensorFlow.js and no Node-only dependency reachable', async () => {
    const r = await build({
      entryPoints: ['src/browser.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      outdir: 'out',
    });
    const imports = Object.values(r.metafile.inputs).flatMap((i) => i.imports.map((x) => x.path));
    expect(imports.filter((p) => NODE.has(p))).toEqual([]);
    const inputs = Object.keys(r.metafile.inputs);
    for (const banned of [
      '@tensorflow',
      'node-gyp-build',
      'worker_threads',
      'bullmq',
      'ioredis',
      'commander',
      'cli-progress',
      'danfojs',
      'yahoo-finance2',
      'src/platform/node.ts',
      'src/node-runtime.ts',
      'src/models/engines/engines.ts',
      'src/models/persistence/model-dir.ts',
      'src/jobs/pool.ts',
    ]) {
      expect(
        inputs.filter((i) => i.includes(banned)),
        banned,
      ).toEqual([]);
    }
    expect(inputs).toContain('src/platform/browser.ts');
  });

  it('fails the bundle check when a Node built-in is reachable (the check can fail)', async () => {
    const r = await build({
      stdin: { contents: "import { readFileSync } from 'node:fs'; export const x = readFileSync;", resolveDir: '.' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      outdir: 'out',
      external: ['node:*'],
    });
    const imports = Object.values(r.metafile.inputs).flatMap((i) => i.imports.map((x) => x.path));
    expect(imports.filter((p) => NODE.has(p))).toEqual(['node:fs']);
  });
});

describe.skipIf(!haveBrowser)('in Chromium', () => {
  const options = {
    cell: 'lstm',
    units: 48,
    layers: 1,
    lookback: 20,
    horizon: 3,
    epochs: 3,
    batchSize: 128,
    seed: 7,
    validation: 0.2,
    target: 'close',
  } as const;
  let page: Awaited<ReturnType<typeof bundlePage>>;
  let browser: Browser;
  let node: { threads1: number[]; threads2: number[]; backtest: number[][]; rmse: number };
  const backtestOptions = {
    testSize: 12,
    refit: 4,
    horizon: 2,
    target: 'close',
    forecaster: { units: 8, lookback: 10, epochs: 2, seed: 3 },
  } as const;

  beforeAll(async () => {
    page = await bundlePage('tests/helpers/browser-app.ts', { 'sp500.csv': 'fixtures/sp500-2000.csv' });
    browser = await launchChromium();
    // Node on the same WebAssembly kernels (the browser has no native ones).
    const before = process.env.STOCKCAST_KERNELS;
    process.env.STOCKCAST_KERNELS = 'wasm';
    try {
      const sp = (await readCsv('fixtures/sp500-2000.csv')).slice(-700);
      const run = async (threads: number) => {
        const m = await createForecaster({ ...options, threads }).fit(sp);
        const values = Array.from((await m.predict(sp)).values);
        m.dispose();
        return values;
      };
      // Node runs the folds on worker threads; the page runs them one after another: the same forecasts.
      const bt = await walkForward(sp.slice(-200), 'gru', backtestOptions);
      node = {
        threads1: await run(1),
        threads2: await run(2),
        backtest: bt.folds.map((f) => f.predicted),
        rmse: bt.metrics.rmse,
      };
    } finally {
      if (before === undefined) delete process.env.STOCKCAST_KERNELS;
      else process.env.STOCKCAST_KERNELS = before;
    }
  });
  afterAll(async () => {
    await browser?.close();
    page?.remove();
  });

  const trainInPage = (threads: number) => ({ threads, ...options }) as const;

  for (const isolated of [true, false]) {
    it(`${isolated ? 'cross-origin isolated: trains on two Web Workers' : 'not isolated: trains on one thread and says why'}; the forecast equals Node's; no console errors; only local requests`, async () => {
      const server = await serveStatic(page.dir, isolated);
      const requests: string[] = [];
      try {
        const context = await browser.newContext();
        context.on('request', (r) => requests.push(r.url()));
        const { page: tab, errors } = await openPage(context as unknown as Browser, server.url);
        const out = await tab.evaluate(async (o) => {
          const sc = (globalThis as unknown as { stockcast: typeof import('../src/browser.js') }).stockcast;
          const response = await fetch('./sp500.csv');
          // A fetch body is a ReadableStream of bytes: readCsv takes it as it is.
          const sp = (await sc.readCsv(response.body!)).slice(-700);
          const m = await sc.createForecaster(o).fit(sp);
          const f = await m.predict(sp);
          return {
            values: Array.from(f.values),
            run: m.training!.run,
            isolated: (globalThis as unknown as { crossOriginIsolated: boolean }).crossOriginIsolated,
            support: sc.browserThreads(),
          };
        }, trainInPage(2));
        await context.close();
        expect(out.isolated).toBe(isolated);
        const expected = isolated ? node.threads2 : node.threads1;
        const diff = Math.max(...out.values.map((v, i) => Math.abs(v - expected[i])));
        expect(diff).toBeLessThanOrEqual(1e-6);
        // Threads never change the bits: the one-thread page equals Node's two threads too.
        expect(node.threads1).toEqual(node.threads2);
        expect(out.run).toMatchObject({
          engine: 'fused',
          kernels: 'wasm',
          isa: 'simd128',
          requestedThreads: 2,
          threads: isolated ? 2 : 1,
        });
        if (isolated) expect(out.support.reason).toBeUndefined();
        else {
          expect(out.run.note).toMatch(
            /^one thread ran: the page is not cross-origin isolated \(serve it with COOP: same-origin and COEP: require-corp\)/,
          );
          expect(out.support).toEqual({ threads: 1, reason: expect.stringMatching(/not cross-origin isolated/) });
        }
        expect(errors).toEqual([]);
        expect(requests.filter((u) => !u.startsWith(server.url))).toEqual([]);
        expect(new Set(server.requests)).toEqual(
          new Set(['/', '/app.js', '/sp500.csv', '/kernels.wasm', ...(isolated ? ['/worker.js'] : [])]),
        );
      } finally {
        await server.close();
      }
    }, 60_000);
  }

  it('walkForward in the page (folds in its thread) forecasts what Node forecasts with folds on worker threads', async () => {
    const server = await serveStatic(page.dir, false);
    try {
      const { page: tab, errors } = await openPage(browser, server.url);
      const out = await tab.evaluate(async (o) => {
        const sc = (globalThis as unknown as { stockcast: typeof import('../src/browser.js') }).stockcast;
        const sp = (await sc.readCsv((await fetch('./sp500.csv')).body!)).slice(-700).slice(-200);
        const r = await sc.walkForward(sp, 'gru', o);
        return { folds: r.folds.map((f) => f.predicted), rmse: r.metrics.rmse };
      }, backtestOptions);
      await tab.close();
      expect(out.folds).toEqual(node.backtest);
      expect(out.rmse).toBe(node.rmse);
      expect(errors).toEqual([]);
    } finally {
      await server.close();
    }
  }, 60_000);
});
