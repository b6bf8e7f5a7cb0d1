/**
 * The Node.js runtime, installed once when an entry loads (the index, the CLI, job threads): the platform (cores,
 * kernels, worker threads, files), the engine factory (TensorFlow.js, the fused engine, webgpu), model directories,
 * and where backtest folds may run (worker threads, the job queue). See src/platform/runtime.ts.
 */
import { runGroupsOnQueue, runGroupsOnThreads } from './jobs/run.js';
import { createEngine } from './models/engines/engines.js';
import { readModelDir, writeModelDir } from './models/persistence/model-dir.js';
import { nodePlatform } from './platform/node.js';
import { installRuntime } from './platform/runtime.js';

installRuntime({
  platform: nodePlatform,
  createEngine,
  modelDirs: { write: writeModelDir, read: readModelDir },
  folds: { workers: runGroupsOnThreads, queue: runGroupsOnQueue },
});
