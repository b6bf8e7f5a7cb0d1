// Development-only worker bootstrap: when stockcast runs from its TypeScript sources (tests, tsx), the worker
// registers the tsx loader before loading fold-worker.ts. The published package uses dist/backtest/fold-worker.js.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./fold-worker.ts', import.meta.url).href);
