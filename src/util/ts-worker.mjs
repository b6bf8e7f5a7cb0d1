// Development-only worker bootstrap: when stockcast runs from its TypeScript sources (tests, tsx), a worker first
// registers the tsx loader, then loads the TypeScript entry named in workerData. Published packages start the
// compiled .js entries directly (see startWorker in workers.ts).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
