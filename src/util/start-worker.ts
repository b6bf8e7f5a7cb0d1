/** Starts worker threads on stockcast's own entry files, from compiled JavaScript or (in development) TypeScript sources. */
import { Worker, type Transferable } from 'node:worker_threads';

/**
 * The parent's Node options a worker may inherit: those that only make sense for the main script (`-e`/`--eval`,
 * `-p`/`--print` with their code, `--input-type`) are dropped, since a worker given them cannot start.
 * @internal
 */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i];
    if (a === '-e' || a === '--eval' || a === '-p' || a === '--print' || a === '--input-type') i++;
    else if (!a.startsWith('--eval=') && !a.startsWith('--print=') && !a.startsWith('--input-type=')) out.push(a);
  }
  return out;
}

/**
 * Starts a worker on `entry`, a URL of a module next to the caller (`new URL('./x.js', import.meta.url)`).
 * From sources, the .ts file is loaded through a bootstrap that registers tsx first.
 * @internal
 */
export function startWorker(
  entry: URL,
  workerData: Record<string, unknown>,
  transferList: Transferable[] = [],
): Worker {
  const execArgv = workerExecArgv(process.execArgv);
  if (entry.pathname.endsWith('.ts')) {
    return new Worker(new URL('./ts-worker.mjs', import.meta.url), {
      workerData: { ...workerData, entry: entry.href },
      transferList,
      execArgv,
    });
  }
  return new Worker(entry, { workerData, transferList, execArgv });
}

/** The URL of a sibling entry module, with the extension the caller itself runs from (.ts in development). @internal */
export function siblingEntry(callerUrl: string, name: string): URL {
  return new URL(`./${name}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl);
}
