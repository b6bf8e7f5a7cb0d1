/**
 * Installs the Node.js environment for everything up to the models: the platform (cores, kernels, worker threads),
 * the engine choice between TensorFlow.js and the fused engine, and model directories. Worker-thread entries that
 * train models import it; src/node-runtime.ts adds the backtest's fold runners on top.
 */
import { nodePlatform } from '../platform/node.js';
import { setPlatform } from '../platform/platform.js';
import { setEngineFactory } from './engines/engine-factory.js';
import { createEngine } from './engines/engines.js';
import { readModelDir, writeModelDir } from './persistence/model-dir.js';
import { setModelDirStore } from './persistence/persistence.js';

setPlatform(nodePlatform);
setEngineFactory(createEngine);
setModelDirStore({ write: writeModelDir, read: readModelDir });
