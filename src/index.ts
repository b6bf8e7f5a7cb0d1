/**
 * stockcast: forecasting stock prices with recurrent neural networks.
 *
 * Data flows one way: data (Series, CSV, Yahoo, danfojs) -> prep (windows, scalers, transforms, splits)
 * -> models (recurrent forecasters) -> backtest -> report (charts, HTML). Character-level sequence models live
 * in seq. Every option and CLI flag uses one word per idea: see docs/glossary.md.
 *
 * @packageDocumentation
 */
import './node-runtime.js';
// Everything that runs in both environments (src/portable.ts), then what only this entry has.
export * from './portable.js';

// Market data with a disk cache.
export { fetchYahoo, YahooOptionsSchema } from './data/yahoo/yahoo.js';
export type { YahooOptions } from './data/yahoo/yahoo.js';
// danfojs DataFrames (optional peer).
export { toDataFrame, fromDataFrame, FromDataFrameOptionsSchema } from './data/dataframe/dataframe.js';
export type { DataFrameLike, FromDataFrameOptions } from './data/dataframe/dataframe.js';

// TensorFlow.js backends (optional peers) and engine selection.
export { setBackend, getBackend } from './models/engines/backend.js';
export type { BackendName, BackendChoice, BackendInfo, PackageLoader } from './models/engines/backend.js';
export { resolveEngine } from './models/engines/engines.js';
export type { EngineChoice } from './models/engines/engines.js';

// Panels from Yahoo and danfojs.
export { fetchYahooPanel, YahooPanelOptionsSchema } from './data/yahoo/panel-yahoo.js';
export type { YahooPanelOptions, YahooPanelResult, SymbolFailure } from './data/yahoo/panel-yahoo.js';
export {
  panelFromDataFrame,
  panelFromDataFrames,
  panelToDataFrame,
  PanelDataFrameOptionsSchema,
} from './data/dataframe/panel-dataframe.js';
export type { PanelDataFrameOptions } from './data/dataframe/panel-dataframe.js';

// The engine: which kernels run, what a training ran on, and sharing cores between parallel jobs.
export { fusedKernels } from './models/engines/engines.js';

// Sweeps and distributed runs over a BullMQ queue (issue 16).
export { QueueError, ThreadStartError } from './errors.js';
export { sweep, SweepOptionsSchema } from './sweep/sweep.js';
export type { SweepOptions, SweepResult, SweepBest, SpanInfo } from './sweep/sweep.js';
export type { Trial, SweepProgress, Objective } from './sweep/trials.js';
export { parseSpaceArg, TUNABLE_OPTIONS, SearchSpaceSchema } from './sweep/space.js';
export type { SearchSpace, Dimension, Range, Params, TunableOption } from './sweep/space.js';
export type { Rung } from './sweep/search.js';
export { sweepChart, sweepReport } from './sweep/report.js';
export { runWorker, WorkerOptionsSchema } from './jobs/queue-worker.js';
export type { WorkerOptions, QueueWorker } from './jobs/queue-worker.js';
export { QueueOptionsSchema } from './queue/options.js';
export type { QueueOptions } from './queue/options.js';
export type { JobProgress } from './queue/submit.js';
export type { JobEvent } from './queue/serve.js';
