/** Finds a Python interpreter that has the given modules (Debian's python3-torch lives in /usr/bin/python3). */
import { spawnSync } from 'node:child_process';

/** The first interpreter that imports every module, or undefined. */
export function findPython(modules: string[]): string | undefined {
  for (const exe of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(exe, ['-c', modules.map((m) => `import ${m}`).join('; ')], { stdio: 'ignore' });
    if (r.status === 0) return exe;
  }
  return undefined;
}
