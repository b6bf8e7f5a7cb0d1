import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { bundlePage, haveBrowser, launchChromium, openPage, serveStatic } from '../../../helpers/browser-page.js';
import { relError } from '../../../helpers/webgpu.js';

// The webgpu engine in headless Chromium on SwiftShader: navigator.gpu in the page and in a dedicated worker
// trains the same model as the fused (WebAssembly) engine in the same page, within float32 tolerance.
describe.skipIf(!haveBrowser)('the webgpu engine in Chromium (SwiftShader)', () => {
  const options = {
    cell: 'gru',
    units: 8,
    layers: 2,
    dropout: 0.2,
    lookback: 6,
    horizon: 2,
    epochs: 2,
    batchSize: 32,
    seed: 4,
    validation: 0.2,
    target: 'close',
  } as const;
  let page: Awaited<ReturnType<typeof bundlePage>>;
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveStatic>>;

  beforeAll(async () => {
    page = await bundlePage('tests/helpers/browser-app.ts', { 'sp500.csv': 'fixtures/sp500-2000.csv' });
    await build({
      entryPoints: [resolve('tests/helpers/webgpu-worker-app.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      logLevel: 'error',
      outfile: join(page.dir, 'gpu-worker.js'),
    });
    browser = await launchChromium({ webgpu: true });
    server = await serveStatic(page.dir, false);
  });
  afterAll(async () => {
    await server?.close();
    await browser?.close();
    page?.remove();
  });

  it('trains in the page and in a worker as the fused engine does in the page; run names the adapter', async () => {
    const { page: tab, errors } = await openPage(browser, server.url);
    const out = await tab.evaluate(async (o) => {
      const sc = (globalThis as unknown as { stockcast: typeof import('../../../../src/browser.js') }).stockcast;
      const sp = (await sc.readCsv((await fetch('./sp500.csv')).body!)).slice(-150);
      const fit = async (engine: 'fused' | 'webgpu') => {
        const m = await sc.createForecaster({ ...o, engine }).fit(sp);
        const r = { values: Array.from((await m.predict(sp)).values), run: m.training!.run };
        m.dispose();
        return r;
      };
      const adapter = await sc.gpuAdapter();
      const [fused, gpu] = [await fit('fused'), await fit('webgpu')];
      type Reply = { values?: number[]; run?: unknown; error?: string };
      type PageWorker = { onmessage: (e: { data: Reply }) => void; postMessage(m: unknown): void; terminate(): void };
      const WorkerCtor = (globalThis as unknown as { Worker: new (url: string, o: { type: 'module' }) => PageWorker })
        .Worker;
      const worker = new WorkerCtor('./gpu-worker.js', { type: 'module' });
      const inWorker = await new Promise<Reply>((done) => {
        worker.onmessage = (e) => done(e.data);
        worker.postMessage({ ...o, engine: 'webgpu' });
      });
      worker.terminate();
      return { adapter, fused, gpu, inWorker };
    }, options);
    await tab.close();
    expect(out.adapter).toMatchObject({ vendor: 'google', architecture: 'swiftshader', software: true });
    expect(out.gpu.run).toMatchObject({
      engine: 'webgpu',
      kernels: 'webgpu',
      adapter: expect.stringMatching(/swiftshader/),
    });
    expect(out.fused.run).toMatchObject({ engine: 'fused' });
    expect(relError(out.gpu.values, out.fused.values)).toBeLessThan(1e-4);
    expect(out.inWorker.error).toBeUndefined();
    expect(out.inWorker.run).toMatchObject({ engine: 'webgpu' });
    expect(relError(out.inWorker.values!, out.gpu.values)).toBeLessThan(1e-6);
    expect(errors).toEqual([]);
  }, 120_000);

  it("engine: 'webgpu' without WebGPU fails with a typed error saying why", async () => {
    const plain = await launchChromium();
    try {
      const { page: tab } = await openPage(plain, server.url);
      const out = await tab.evaluate(
        async (o) => {
          const sc = (globalThis as unknown as { stockcast: typeof import('../../../../src/browser.js') }).stockcast;
          const sp = (await sc.readCsv((await fetch('./sp500.csv')).body!)).slice(-100);
          return sc
            .createForecaster({ ...o, engine: 'webgpu' })
            .fit(sp)
            .then(
              () => 'trained',
              (e: Error) => `${e.name}: ${e.message}`,
            );
        },
        { ...options, epochs: 1 },
      );
      expect(out).toMatch(
        /^BackendError: the webgpu engine cannot run here: (no WebGPU adapter|this browser has no WebGPU)/,
      );
    } finally {
      await plain.close();
    }
  }, 60_000);
});
