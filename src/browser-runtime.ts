/**
 * The browser runtime, installed once when the browser entry loads: the platform (the WebAssembly kernels fetched
 * beside the package, Web Workers when the page is cross-origin isolated). Engines are the fused engine (or webgpu
 * on `navigator.gpu`), models are saved as bytes, and backtest folds run in the page's thread (the defaults of the
 * parts a browser runtime leaves out). See src/platform/runtime.ts.
 */
import { browserPlatform } from './platform/browser.js';
import { installRuntime } from './platform/runtime.js';

installRuntime({ platform: browserPlatform });
