/**
 * Builds dist/ once before the suite when any source is newer than it: the CLI tests run the built binary
 * (`dist/cli/main.js`), as users do, which also spares every spawn a TypeScript transpile.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export default function setup(): void {
  const built = 'dist/cli/main.js';
  const stale =
    !existsSync(built) ||
    newest('src') > statSync(built).mtimeMs ||
    statSync('package.json').mtimeMs > statSync(built).mtimeMs;
  if (stale) execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
}
