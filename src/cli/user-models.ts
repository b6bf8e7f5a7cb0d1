/** `--module` and `--models` on the command line: import the modules that register users' models, then check every spec through the registry. */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StockcastError } from '../errors.js';
import { resolveModel } from '../models/resolve.js';
import { UsageError } from './common.js';

/**
 * Imports each module file (relative to the working directory); a module registers its models with `registerModel`.
 * @throws {@link UsageError} naming the file when it cannot be imported
 */
export async function importUserModules(files: readonly string[] | undefined): Promise<void> {
  for (const file of files ?? []) {
    const url = pathToFileURL(resolve(file)).href;
    try {
      await import(url);
    } catch (e) {
      if (e instanceof StockcastError) throw e;
      throw new UsageError(`--module ${file}: could not import it (${(e as Error)?.message ?? String(e)})`);
    }
  }
}

/**
 * Checks every `--models` spec against the registry before any data is read, so a typo fails at once.
 * @throws {@link UsageError} with the registry's message (which lists the registered models)
 */
export async function checkModelSpecs(models: readonly string[], context: { panel: boolean }): Promise<void> {
  for (const m of models) {
    try {
      await resolveModel(m, { panel: context.panel });
    } catch (e) {
      const message =
        e instanceof StockcastError && 'issues' in e
          ? (e as unknown as { issues: Array<{ message: string }> }).issues.map((i) => i.message).join('; ')
          : (e as Error).message;
      throw new UsageError(`--models: ${message}`);
    }
  }
}
