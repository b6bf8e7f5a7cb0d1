/** Runs the built stockcast CLI (dist/, rebuilt before the suite when stale), as a user runs the installed binary. */
import { spawn, spawnSync } from 'node:child_process';

/** The node arguments that start the CLI: the built entry (see tests/helpers/global-setup.ts). */
export const CLI_ENTRY = ['dist/cli/main.js'];

/** Exit code, stdout and stderr of one CLI run. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `stockcast ...args` with CI=true (no progress bars). */
export function cli(...args: string[]): CliRun {
  const r = spawnSync(process.execPath, [...CLI_ENTRY, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    timeout: 300_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `stockcast ...args` without blocking the test process, so several runs can overlap. */
export function cliAsync(...args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI_ENTRY, ...args], {
      env: { ...process.env, CI: 'true' },
      timeout: 300_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
