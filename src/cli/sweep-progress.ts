/** Progress of a sweep on stderr: a bar with jobs done, running and failed, trials done and an ETA on a terminal; a notice when no worker is connected. */
import cliProgress from 'cli-progress';
import type { SweepProgress } from '../sweep/trials.js';
import { duration } from './common.js';

/**
 * A progress display for sweeps.
 * @param enabled - draw the bar (a terminal, not --json)
 * @param address - the queue's Redis address (no credentials), when jobs go to a queue
 */
export function sweepProgress(
  enabled: boolean,
  address: string | undefined,
): { update(p: SweepProgress): void; stop(): void } {
  let warned = false;
  let bar: cliProgress.SingleBar | undefined;
  let phaseKey = '';
  let phaseStart = 0;
  return {
    update(p) {
      if (address && p.jobs.workers === 0 && p.jobs.running === 0 && !warned) {
        warned = true;
        process.stderr.write(
          `no worker is connected to ${address} yet: the jobs wait in the queue (start one with: stockcast worker --redis URL)\n`,
        );
      }
      if (!enabled) return;
      const key = `${p.phase}:${p.rung?.index ?? 0}`;
      if (key !== phaseKey) {
        bar?.stop();
        phaseKey = key;
        phaseStart = performance.now();
        bar = new cliProgress.SingleBar(
          {
            format:
              '{phase} |{bar}| jobs {value}/{total}, {running} running, {failed} failed | trials {trials} | ETA {eta_text}',
            stream: process.stderr,
            hideCursor: true,
            clearOnComplete: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.jobs.total, 0);
      }
      const elapsed = performance.now() - phaseStart;
      const eta = p.jobs.done > 0 ? duration((elapsed / p.jobs.done) * (p.jobs.total - p.jobs.done)) : '?';
      const phase =
        p.phase === 'test' ? 'test span' : p.rung ? `rung ${p.rung.index + 1}/${p.rung.count}` : 'validation';
      bar!.setTotal(p.jobs.total);
      bar!.update(p.jobs.done, {
        phase,
        running: p.jobs.running,
        failed: p.jobs.failed,
        trials: `${p.trials.done}/${p.trials.total} done`,
        eta_text: eta,
      });
    },
    stop() {
      bar?.stop();
    },
  };
}
