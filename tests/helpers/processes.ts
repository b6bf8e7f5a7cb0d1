/** CLI processes for fault tests: a `stockcast worker` (or any subcommand) run from the sources, its stderr read line by line. */
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI_ENTRY } from './cli.js';

/** A running CLI process. */
export interface CliProcess {
  child: ChildProcess;
  /** stdout and stderr, line by line, as they came. */
  lines: string[];
  /** Resolves with the first line from line `from` on (already seen or to come) matching, or rejects after the timeout. */
  waitFor(pattern: RegExp, options?: { timeoutMs?: number; from?: number }): Promise<string>;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `stockcast ...args` with CI=true (no progress bars). */
export function startCli(args: string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [...CLI_ENTRY, ...args], {
    env: { ...process.env, CI: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve(line: string): void }> = [];
  const onData = (buffer: { rest: string }) => (chunk: Buffer) => {
    const parts = (buffer.rest + chunk.toString()).split('\n');
    buffer.rest = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.filter((x) => x.pattern.test(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout!.on('data', onData({ rest: '' }));
  child.stderr!.on('data', onData({ rest: '' }));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    exited,
    waitFor(pattern, { timeoutMs = 60_000, from = 0 } = {}) {
      const seen = lines.slice(from).find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no line matching ${pattern} in ${timeoutMs} ms; output:\n${lines.join('\n')}`)),
          timeoutMs,
        );
        waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
        void exited.then(() =>
          setTimeout(
            () => reject(new Error(`exited before a line matching ${pattern}; output:\n${lines.join('\n')}`)),
            100,
          ),
        );
      });
    },
  };
}

/** Ids of the jobs a worker's log says it finished. */
export function doneJobs(p: CliProcess): string[] {
  return p.lines.flatMap((l) => /job (\S+) done in/.exec(l)?.[1] ?? []);
}
