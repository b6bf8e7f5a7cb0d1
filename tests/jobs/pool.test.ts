import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BackendError, readCsv, ThreadStartError, ValidationError, type Series } from '../../src/index.js';
import { forecastGroup, planFolds, refitGroups, type FoldPlan, type ModelJob } from '../../src/backtest/folds.js';
import { JobPool, MAX_START_FAILURES, taskThreadsStarted } from '../../src/jobs/pool.js';

// The job pool (src/jobs/pool.ts): a fault in a task thread reaches the caller as a typed
// error at once, the thread is replaced, and the next tasks give the serial results.
let sp: Series;
let groups: FoldPlan[][];
const forecaster: ModelJob = {
  spec: 'gru',
  options: { lookback: 8, epochs: 2, units: 8, validation: 0, seed: 4 },
  task: { target: 'close', horizon: 1, targetKind: 'price' },
  threads: 1,
};
beforeAll(async () => {
  sp = (await readCsv('fixtures/sp500-2000.csv')).select(['close']).slice(-120);
  groups = refitGroups(planFolds(sp.length, { horizon: 1, testSize: 4, window: 'expanding', refit: 'every' }).folds);
});
afterEach(() => delete process.env.STOCKCAST_TEST_TASK_FAULT);

describe('the task pool of sweeps', () => {
  for (const [kind, type, message] of [
    ['exit', BackendError, /^a training thread exited unexpectedly \(exit code 3\)/],
    ['throw', BackendError, /^a training thread failed: injected fault/],
    ['validation', ValidationError, /units: injected fault/],
  ] as const) {
    it(`a thread that fails (${kind}): a typed error within a second, the thread replaced, later tasks exact`, async () => {
      process.env.STOCKCAST_TEST_TASK_FAULT = `${kind}:1`;
      const pool = new JobPool(2);
      try {
        expect((await pool.run('k', sp, forecaster, groups[0])).value).toEqual(
          await forecastGroup(sp, forecaster, groups[0]),
        );
        const started = performance.now();
        const error = await pool.run('k', sp, forecaster, groups[1]).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(performance.now() - started).toBeLessThan(1000);
        expect(error).toBeInstanceOf(type);
        expect((error as Error).message).toMatch(message);
        // Both threads (one of them new) still serve tasks, with the serial numbers.
        const rest = await Promise.all(groups.slice(2).map((g) => pool.run('k', sp, forecaster, g)));
        for (const [i, r] of rest.entries())
          expect(r.value).toEqual(await forecastGroup(sp, forecaster, groups[2 + i]));
      } finally {
        await pool.close();
      }
    });
  }

  it('threads that cannot start: a ThreadStartError after a few attempts in a row, then no more threads', async () => {
    process.env.STOCKCAST_TEST_TASK_FAULT = 'start';
    const before = taskThreadsStarted();
    const pool = new JobPool(2);
    try {
      const tasks = [0, 1, 2].map((i) =>
        pool.run('k', sp, forecaster, groups[i]).then(
          () => undefined,
          (e: unknown) => e,
        ),
      );
      const errors = await Promise.all(tasks);
      // Every task fails with the typed error, none with a plain thread death: a task never ran until then.
      for (const e of errors) {
        expect(e).toBeInstanceOf(ThreadStartError);
        expect(e).toBeInstanceOf(BackendError);
        expect((e as ThreadStartError).attempts).toBe(MAX_START_FAILURES);
        expect((e as Error).message).toMatch(
          /^helper threads cannot start \(3 attempts in a row\): a training thread failed: injected start fault/,
        );
      }
      expect(pool.brokenBy).toBeInstanceOf(ThreadStartError);
      // Nothing is pending and the pool is broken: no thread is started again, however long we wait.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const spawned = taskThreadsStarted() - before;
      expect(spawned).toBeLessThanOrEqual(2 + MAX_START_FAILURES);
      await expect(pool.run('k', sp, forecaster, groups[0])).rejects.toBeInstanceOf(ThreadStartError);
      expect(taskThreadsStarted() - before).toBe(spawned);
    } finally {
      await pool.close();
    }
  });

  it('threads that started and later die do not count as failed starts: the pool keeps replacing them', async () => {
    // Tasks 0-3 each kill their thread (more deaths than the start-failure limit); the replacements start fine.
    process.env.STOCKCAST_TEST_TASK_FAULT = 'exit:0,1,2,3';
    const pool = new JobPool(1);
    try {
      for (let id = 0; id <= MAX_START_FAILURES; id++)
        await expect(pool.run('k', sp, forecaster, groups[0])).rejects.toThrow(/exited unexpectedly/);
      expect(pool.brokenBy).toBeUndefined();
      const g = groups[1];
      expect((await pool.run('k', sp, forecaster, g)).value).toEqual(await forecastGroup(sp, forecaster, g));
    } finally {
      await pool.close();
    }
  });
});
