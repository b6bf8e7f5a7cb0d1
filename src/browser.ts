/**
 * stockcast in the browser: the same API as the Node.js entry minus what needs Node (file paths to disk caches,
 * model directories, worker threads, native kernels, TensorFlow.js, danfojs, the job queue, the CLI). Models train
 * on the fused WebAssembly engine, on Web Workers when the page is cross-origin isolated. See docs/browser.md.
 *
 * Data flows one way: data (Series, CSV, Yahoo, danfojs) -> prep (windows, scalers, transforms, splits)
 * -> models (recurrent forecasters) -> backtest -> report (charts, HTML). Character-level sequence models live
 * in seq. Every option and CLI flag uses one word per idea: see docs/glossary.md.
 *
 * @packageDocumentation
 */
import './browser-runtime.js';
// Everything that runs in both environments (src/portable.ts), then what only this entry has.
export * from './portable.js';

export { fetchYahoo } from './data/yahoo/yahoo-browser.js';
export { YahooOptionsSchema } from './data/yahoo/yahoo-chart.js';
export type { YahooOptions } from './data/yahoo/yahoo-chart.js';
