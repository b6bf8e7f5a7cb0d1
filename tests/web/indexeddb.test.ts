import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createForecaster, loadForecaster, readCsv, type Series } from '../../src/index.js';
import type * as Stockcast from '../../src/browser.js';
import { bundlePage, haveBrowser, launchChromium, openPage, serveStatic } from '../helpers/browser-page.js';

// Models move between Node and the browser as bytes (the format of a model directory), and stay in a browser through
// IndexedDB. Predictions are compared on the same WebAssembly kernels, where they are the same bits.
type Page = Awaited<ReturnType<typeof openPage>>['page'];
type W = { stockcast: typeof Stockcast; toBase64(b: Uint8Array): string; fromBase64(t: string): Uint8Array };

const withWasm = async <T>(f: () => Promise<T>): Promise<T> => {
  const before = process.env.STOCKCAST_KERNELS;
  process.env.STOCKCAST_KERNELS = 'wasm';
  try {
    return await f();
  } finally {
    if (before === undefined) delete process.env.STOCKCAST_KERNELS;
    else process.env.STOCKCAST_KERNELS = before;
  }
};

describe.skipIf(!haveBrowser)('models between Node and Chromium', () => {
  let bundle: Awaited<ReturnType<typeof bundlePage>>;
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let sp: Series;
  beforeAll(async () => {
    sp = (await readCsv('fixtures/sp500-2000.csv')).slice(-300);
    bundle = await bundlePage('tests/helpers/browser-app.ts', { 'sp500.csv': 'fixtures/sp500-2000.csv' });
    server = await serveStatic(bundle.dir, false);
    browser = await launchChromium();
    ({ page, errors } = await openPage(browser, server.url));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    bundle?.remove();
  });

  it('a model trained in Node (native kernels) loads in Chromium from its bytes and predicts as Node does on the WebAssembly kernels', async () => {
    const model = await createForecaster({
      cell: 'lstm',
      units: 16,
      lookback: 15,
      horizon: 3,
      epochs: 4,
      seed: 11,
      coverage: 0.9,
    }).fit(sp);
    const bytes = await model.toBytes();
    model.dispose();
    const expected = await withWasm(async () => {
      const m = await loadForecaster(bytes);
      const f = await m.predict(sp);
      m.dispose();
      return { values: Array.from(f.values), lower: Array.from(f.lower!) };
    });
    const got = await page.evaluate(async (b64) => {
      const w = globalThis as unknown as W;
      const sp = (await w.stockcast.readCsv(await (await fetch('./sp500.csv')).blob())).slice(-300);
      const m = await w.stockcast.loadForecaster(new Blob([w.fromBase64(b64)]));
      const f = await m.predict(sp);
      return { values: Array.from(f.values), lower: Array.from(f.lower!) };
    }, Buffer.from(bytes).toString('base64'));
    expect(got).toEqual(expected);
  });

  it('a model trained in Chromium loads in Node from its bytes and predicts as the page did', async () => {
    const out = await page.evaluate(async () => {
      const w = globalThis as unknown as W;
      const sp = (await w.stockcast.readCsv(await (await fetch('./sp500.csv')).blob())).slice(-300);
      const m = await w.stockcast
        .createForecaster({ cell: 'rnn', units: 12, lookback: 10, horizon: 2, epochs: 3, seed: 2 })
        .fit(sp);
      return { bytes: w.toBase64(await m.toBytes()), values: Array.from((await m.predict(sp)).values) };
    });
    const values = await withWasm(async () => {
      const m = await loadForecaster(new Uint8Array(Buffer.from(out.bytes, 'base64')));
      const v = Array.from((await m.predict(sp)).values);
      m.dispose();
      return v;
    });
    expect(values).toEqual(out.values);
  });

  it('saveToIndexedDB / loadFromIndexedDB keep a model across page loads; a missing key is a PersistenceError naming it', async () => {
    const saved = await page.evaluate(async () => {
      const w = globalThis as unknown as W;
      const sp = (await w.stockcast.readCsv(await (await fetch('./sp500.csv')).blob())).slice(-300);
      const m = await w.stockcast.createForecaster({ cell: 'gru', units: 8, lookback: 10, epochs: 2, seed: 9 }).fit(sp);
      await w.stockcast.saveToIndexedDB('sp500-gru', m, { database: 'tests' });
      return Array.from((await m.predict(sp)).values);
    });
    await page.reload();
    await page.waitForFunction(() => (globalThis as { stockcastReady?: boolean }).stockcastReady === true);
    const loaded = await page.evaluate(async () => {
      const w = globalThis as unknown as W;
      const sp = (await w.stockcast.readCsv(await (await fetch('./sp500.csv')).blob())).slice(-300);
      const m = await w.stockcast.loadFromIndexedDB('sp500-gru', { database: 'tests' });
      const missing = await w.stockcast.loadFromIndexedDB('nothing', { database: 'tests' }).then(
        () => 'loaded',
        (e: Error) => `${e.name}: ${e.message}`,
      );
      const badOption = await w.stockcast.loadFromIndexedDB('x', { database: '' }).then(
        () => 'loaded',
        (e: Error) => `${e.name}: ${e.message}`,
      );
      return { values: Array.from((await m.predict(sp)).values), missing, badOption };
    });
    expect(loaded.values).toEqual(saved);
    expect(loaded.missing).toBe('PersistenceError: indexeddb:tests/models/nothing: no model saved under this key');
    expect(loaded.badOption).toMatch(/^ValidationError: invalid IndexedDB options: database:/);
    expect(errors).toEqual([]);
  });

  it('a directory save in the browser is a PersistenceError that points to bytes and IndexedDB', async () => {
    const message = await page.evaluate(async () => {
      const w = globalThis as unknown as W;
      const sp = (await w.stockcast.readCsv(await (await fetch('./sp500.csv')).blob())).slice(-100);
      const m = await w.stockcast.createForecaster({ units: 4, lookback: 5, epochs: 1 }).fit(sp);
      return m.save('models/x').then(
        () => 'saved',
        (e: Error) => `${e.name}: ${e.message}`,
      );
    });
    expect(message).toBe(
      'PersistenceError: models/x: model directories need a file system (Node.js) (hint: in a browser, save with toBytes() and load the bytes, or use saveToIndexedDB / loadFromIndexedDB)',
    );
  });
});
