/**
 * Installs the Node.js implementations behind the seams the shared code calls: the environment, engines and model
 * directories (models/node-setup.ts), and the fold pools of walk-forward backtests (worker threads, the job queue).
 * Every Node entry (the index, the CLI) imports it first; worker-thread entries import what they need.
 */
import './models/node-setup.js';
import { runGroupsInWorkers } from './backtest/fold-pool.js';
import { setFoldRunners } from './backtest/fold-runners.js';
import { runGroupsOnQueue } from './backtest/fold-tasks.js';

setFoldRunners({ workers: runGroupsInWorkers, queue: runGroupsOnQueue });
