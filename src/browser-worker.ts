/**
 * The helper-thread script of the browser build, as a package entry (`stockcast/browser-worker`) for bundlers that
 * do not bundle workers themselves (esbuild): bundle it on its own and pass its URL to `useAssets({ workerUrl })`.
 *
 * @packageDocumentation
 */
import './models/engines/fused/gradient-web-worker.js';
