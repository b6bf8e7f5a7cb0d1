/**
 * Installs the Node.js implementations behind the seams the shared code calls: the environment (cores, kernels,
 * worker threads), the engine choice between TensorFlow.js and the fused engine, model directories, and the fold
 * pools of walk-forward backtests. Every Node entry (the index, the CLI, worker threads) imports it first.
 */
import { runGroupsInWorkers } from './backtest/fold-pool.js';
import { setFoldRunners } from './backtest/fold-runners.js';
import { runGroupsOnQueue } from './backtest/fold-tasks.js';
import { setEngineFactory } from './models/engine-factory.js';
import { createEngine } from './models/engines.js';
import { readModelDir, writeModelDir } from './models/model-dir.js';
import { setModelDirStore } from './models/persistence.js';
import { nodePlatform } from './platform/node.js';
import { setPlatform } from './platform/platform.js';

setPlatform(nodePlatform);
setEngineFactory(createEngine);
setModelDirStore({ write: writeModelDir, read: readModelDir });
setFoldRunners({ workers: runGroupsInWorkers, queue: runGroupsOnQueue });
