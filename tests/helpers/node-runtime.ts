// Vitest setup: installs the Node.js environment, as the package's Node entry does, for tests that import modules directly.
import '../../src/node-runtime.js';
