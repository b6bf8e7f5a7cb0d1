/** File-system helpers shared by caches, reports and model persistence: crash-safe writes and safe file names. */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Test-only fault injection: each named step of a crash-safe write calls this first, so a test can make a write
 * fail (as a crash would) between any two steps and check what a reader then finds.
 * @internal
 */
export const writeFaults: { at?: (step: string, path: string) => void } = {};

/** Calls the test hook for a step. @internal */
export function faultPoint(step: string, path: string): void {
  writeFaults.at?.(step, path);
}

/**
 * Writes a file atomically: the data goes to a temporary sibling, is flushed to disk, and the sibling is renamed
 * over the target, so readers never see a half-written file and an interrupted write leaves the old file intact;
 * the directory is then flushed too, so the new name survives a power loss.
 * @internal
 */
export async function atomicWriteFile(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    faultPoint('before-rename', path);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await syncDirectory(dirname(path));
}

/**
 * Flushes a directory's entries to disk, so a rename into it survives a power loss (the file's own fsync does not
 * cover its name). Callers that delete an older file after a rename must call this first: otherwise a power loss
 * can bring back the old name pointing at a file already removed.
 * @internal
 */
export async function syncDirectory(dir: string): Promise<void> {
  faultPoint('before-dir-sync', dir);
  // Windows cannot open a directory for flushing, and NTFS journals renames itself.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Turns a user string (a ticker symbol, a model name) into one safe path component: characters outside
 * `[A-Za-z0-9._=^-]` become `_`, leading dots are escaped, and the result can never be `.`/`..` or contain a separator.
 * @internal
 */
export function safeFileComponent(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._=^-]/g, '_').replace(/^\.+/, (dots) => '_'.repeat(dots.length));
  return cleaned.length === 0 ? '_' : cleaned.slice(0, 120);
}
