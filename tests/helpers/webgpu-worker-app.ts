// A dedicated Web Worker for the Chromium tests: trains a forecaster on the webgpu engine from inside the worker
// (navigator.gpu in a worker) and posts back its forecast and run, or the error.
import * as sc from '../../src/browser.js';

const scope = globalThis as unknown as {
  onmessage: (e: { data: Record<string, unknown> }) => void;
  postMessage(m: unknown): void;
  location: { href: string };
};
scope.onmessage = async (e) => {
  try {
    sc.useAssets({ kernelsUrl: new URL('./kernels.wasm', scope.location.href) });
    const sp = (await sc.readCsv((await fetch('./sp500.csv')).body!)).slice(-150);
    const m = await sc.createForecaster(e.data as sc.ForecasterOptions).fit(sp);
    scope.postMessage({ values: Array.from((await m.predict(sp)).values), run: m.training!.run });
    m.dispose();
  } catch (err) {
    scope.postMessage({ error: String((err as Error).stack ?? err) });
  }
};
