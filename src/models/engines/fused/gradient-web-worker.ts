/** Web Worker entry of the fused engine's helper threads: installs the browser environment and runs the helper loop on the first message's data. */
import { installRuntime } from '../../../platform/runtime.js';
import { browserPlatform } from '../../../platform/browser.js';
import { runHelper } from './gradient-loop.js';
import type { WorkerInit } from './thread-pool.js';

interface WorkerScope {
  postMessage(message: unknown): void;
  close(): void;
  addEventListener(type: 'message', listener: (event: { data: WorkerInit }) => void, options: { once: boolean }): void;
}
const scope = globalThis as unknown as WorkerScope;

// A helper thread computes gradients only: the platform is all of the runtime it needs.
installRuntime({ platform: browserPlatform });
scope.addEventListener(
  'message',
  (event) => {
    // A throw here surfaces as the worker's error event, which the pool reports as a failure.
    runHelper(event.data, { post: (m) => scope.postMessage(m), exit: () => scope.close() });
    scope.close();
  },
  { once: true },
);
