/** Starts worker threads on stockcast's own entry files, from compiled JavaScript or (in development) TypeScript sources. */
import { Worker, type Transferable } from 'node:worker_threads';

/**
 * Starts a worker on `entry`, a URL of a module next to the caller (`new URL('./x.js', import.meta.url)`).
 * From sources, the .ts file is loaded through a bootstrap that registers tsx first.
 * @internal
 */
export function startWorker(entry: URL, workerData: Record<string, unknown>, transferList: Transferable[] = []): Worker {
  if (entry.pathname.endsWith('.ts')) {
    return new Worker(new URL('./ts-worker.mjs', import.meta.url), { workerData: { ...workerData, entry: entry.href }, transferList });
  }
  return new Worker(entry, { workerData, transferList });
}

/** The URL of a sibling entry module, with the extension the caller itself runs from (.ts in development). @internal */
export function siblingEntry(callerUrl: string, name: string): URL {
  return new URL(`./${name}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl);
}
