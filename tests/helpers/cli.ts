/** Runs the stockcast CLI from its TypeScript sources, as a user would run the installed binary. */
import { spawnSync } from 'node:child_process';

/** Exit code, stdout and stderr of one CLI run. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `stockcast ...args` with CI=true (no progress bars). */
export function cli(...args: string[]): CliRun {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
