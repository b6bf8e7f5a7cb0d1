// The page the Chromium tests drive: the browser entry on window, plus helpers that move bytes in and out as base64.
import * as stockcast from '../../src/browser.js';

const w = globalThis as unknown as Record<string, unknown>;
stockcast.useAssets({
  kernelsUrl: new URL('./kernels.wasm', import.meta.url),
  workerUrl: new URL('./worker.js', import.meta.url),
});
w.stockcast = stockcast;
w.toBase64 = (bytes: Uint8Array) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
w.fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
w.stockcastReady = true;
