/**
 * Installs the browser implementations behind the seams the shared code calls: the environment (the WebAssembly
 * kernels fetched beside the package, Web Workers when the page is cross-origin isolated). Engines are the fused
 * engine alone, models are saved as bytes, and backtest folds run in the page's thread (the shared defaults).
 */
import { browserPlatform } from './platform/browser.js';
import { setPlatform } from './platform/platform.js';

setPlatform(browserPlatform);
