/** File-system helpers shared by caches and model persistence: atomic writes and safe file names. */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Writes a file atomically: the data goes to a temporary sibling, which is then renamed over the target,
 * so readers never see a half-written file and an interrupted write leaves the old file intact.
 * @internal
 */
export async function atomicWriteFile(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
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
