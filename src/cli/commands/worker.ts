/** `stockcast worker`: trains the jobs of sweeps and backtests from a Redis queue until stopped (SIGTERM finishes the jobs in hand; Ctrl-C twice exits at once). */
import { Command } from 'commander';
import { type QueueWorker, runWorker } from '../../jobs/queue-worker.js';
import type { JobEvent } from '../../queue/serve.js';
import { addWords, UsageError, wordOption, type Flags } from '../common.js';
import { importUserModules } from '../user-models.js';

type WorkerFlags = Flags<'concurrency' | 'cacheDir' | 'lockMs', 'redis' | 'module'>;

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

function describe(e: JobEvent, verbose: boolean): string | undefined {
  const id = e.id ? `job ${e.id}` : '';
  switch (e.type) {
    case 'start':
      return verbose ? `${id} started` : undefined;
    case 'done':
      return `${id} done in ${((e.ms ?? 0) / 1000).toFixed(2)} s`;
    case 'failed':
      return `${id} failed: ${e.message}`;
    case 'refused':
      return `${id} refused: ${e.message}`;
    case 'returned':
      return verbose ? `${id} returned to the queue` : undefined;
    default:
      return e.message;
  }
}

/** Builds the command. */
export function workerCommand(): Command {
  const command = new Command('worker').description(
    'train the jobs of sweeps and backtests from a Redis queue until stopped (SIGTERM: finish the jobs in hand, then exit; Ctrl-C twice: exit at once)',
  );
  command.addOption(wordOption('redis').env('STOCKCAST_REDIS'));
  addWords(command, ['concurrency', 'lockMs'], {
    concurrency: "jobs trained at once, one thread each (default: the machine's cores)",
    lockMs: 'a job whose worker dies goes to another worker after this many ms',
  });
  command.addOption(
    wordOption('cacheDir', "folder for copies of the jobs' input data (files named by content hash)").default(
      '.stockcast-cache',
    ),
  );
  command.addOption(
    wordOption(
      'module',
      'import these modules first: the models they register can run in jobs (a job names a model, never code to load)',
    ),
  );
  return command.action(runWorkerCommand);
}

/** The command's action: start a worker on the queue, log its jobs, and wait until it stops. */
async function runWorkerCommand(flags: WorkerFlags, cmd: Command): Promise<void> {
  if (!flags.redis) throw new UsageError('--redis URL is required (or set STOCKCAST_REDIS)');
  const verbose = Boolean(cmd.optsWithGlobals().verbose);
  await importUserModules(flags.module);
  const worker = await runWorker({
    queue: { connection: flags.redis },
    concurrency: flags.concurrency,
    cacheDir: flags.cacheDir,
    lockMs: flags.lockMs,
    onJob: (e) => {
      const line = describe(e, verbose);
      if (line) log(line);
    },
  });
  log(worker.description);
  await untilStopped(worker);
}

/**
 * Resolves when the worker has stopped: after SIGTERM or a first Ctrl-C once the jobs in hand are done, or when
 * the machine cannot run jobs (exit code 1); a second Ctrl-C exits at once.
 */
function untilStopped(worker: QueueWorker): Promise<void> {
  return new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: 'SIGTERM' | 'SIGINT') => {
      if (stopping) {
        if (signal !== 'SIGINT') return;
        // Like a crash, on purpose: the jobs in hand keep their locks, which expire, and other workers take them.
        log('stopping now: the jobs in hand go to other workers when their locks expire');
        process.exit(130);
      }
      stopping = true;
      log(
        `${signal}: finishing the jobs in hand, then exiting${signal === 'SIGINT' ? ' (Ctrl-C again to exit now)' : ''}`,
      );
      void worker.close().then(() => {
        log('stopped');
        resolve();
      });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    // A machine that cannot run jobs said so (the 'broken' line), handed its jobs back and closed: exit 1, so a
    // supervisor sees it.
    void worker.broken.then(() => {
      stopping = true;
      log('stopped');
      process.exitCode = 1;
      resolve();
    });
  });
}
