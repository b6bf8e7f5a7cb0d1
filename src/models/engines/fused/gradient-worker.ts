/** Node worker-thread entry of the fused engine's helper threads: installs the Node environment and runs the helper loop. */
import { workerData, type MessagePort } from 'node:worker_threads';
import { installRuntime } from '../../../platform/runtime.js';
import { nodePlatform } from '../../../platform/node.js';
import { runHelper } from './gradient-loop.js';
import type { WorkerInit } from './thread-pool.js';

// A helper thread computes gradients only: the platform is all of the runtime it needs.
installRuntime({ platform: nodePlatform });
const init = workerData as WorkerInit & { port: MessagePort };
runHelper(init, { post: (m) => init.port.postMessage(m), exit: (code) => process.exit(code) });
init.port.close();
