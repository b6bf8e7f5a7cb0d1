import { describe, expect, it } from 'vitest';
import { QueueError, ValidationError } from '../../src/index.js';
import { checkJob, foldJob, JOB_SCHEMA, jobId, STOCKCAST_VERSION } from '../../src/queue/jobs.js';

const hash = 'ab'.repeat(32);
const job = foldJob(
  hash,
  {
    spec: 'lstm',
    options: { lookback: 10, units: 4, epochs: 2 },
    task: { target: 'close', horizon: 1, targetKind: 'price' },
    threads: 1,
  },
  [{ origin: 100, trainStart: 0, refit: true }],
);

describe('fold-group jobs', () => {
  it('carry the schema version and the package version', () => {
    expect(job).toMatchObject({ schema: JOB_SCHEMA, stockcast: STOCKCAST_VERSION, kind: 'fold-group', data: hash });
    expect(STOCKCAST_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('ids: the run and the content; key order does not matter, content does', () => {
    const reordered = { ...job, model: { options: { epochs: 2, units: 4, lookback: 10 }, spec: 'lstm' } };
    expect(jobId('run1', reordered)).toBe(jobId('run1', job));
    expect(jobId('run1', job)).toMatch(/^run1-[0-9a-f]{40}$/);
    expect(jobId('run2', job)).not.toBe(jobId('run1', job));
    expect(jobId('run1', { ...job, model: { ...job.model, options: { ...job.model.options, units: 8 } } })).not.toBe(
      jobId('run1', job),
    );
  });

  it('a worker accepts a well-formed job and gives back its model, options and task', async () => {
    expect((await checkJob(JSON.parse(JSON.stringify(job)), 'redis://h:1/0')).model).toEqual({
      spec: 'lstm',
      options: job.model.options,
      task: job.task,
      threads: 1,
    });
  });

  it('a job of the same schema from another stockcast release is refused naming both versions', async () => {
    await expect(checkJob({ ...job, stockcast: '9.9.9' }, 'redis://h:1/0')).rejects.toThrow(
      `refused a job from stockcast 9.9.9 (job schema ${JOB_SCHEMA}): this worker runs stockcast ${STOCKCAST_VERSION}, and results are only identical within one version`,
    );
    await expect(checkJob(job, 'redis://h:1/0')).resolves.toBeDefined();
  });

  it('a job of another schema, newer or older, is refused naming both versions', async () => {
    for (const schema of [JOB_SCHEMA + 1, JOB_SCHEMA - 1, undefined]) {
      const e = (await checkJob({ ...job, schema, stockcast: '9.9.9' }, 'redis://h:1/0').then(
        () => {
          throw new Error('accepted');
        },
        (x: unknown) => x,
      )) as QueueError;
      expect(e).toBeInstanceOf(QueueError);
      expect(e.message).toBe(
        `refused a job of schema ${JSON.stringify(schema ?? null)} (stockcast 9.9.9, from the submitter): this worker runs stockcast ${STOCKCAST_VERSION} with job schema ${JOB_SCHEMA} (hint: run the same stockcast version on the submitting machine and on every worker)`,
      );
    }
    await expect(checkJob('not a job', 'x')).rejects.toThrow(QueueError);
  });

  it('malformed jobs fail with the path of what is wrong', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ ...job, data: '../../etc/passwd' }, /data: expected the SHA-256 hex digest/],
      [{ ...job, group: [] }, /group/],
      [{ ...job, group: [{ origin: 10, trainStart: 10, refit: true }] }, /trainStart must come before the origin/],
      [{ ...job, extra: 1 }, /Unrecognized key.*extra/],
      [
        { ...job, model: { ...job.model, options: { ...job.model.options, units: -1 } } },
        /options of model "lstm": units/,
      ],
      [
        { ...job, model: { ...job.model, options: { ...job.model.options, saveTo: '/tmp/x' } } },
        /options of model "lstm": .*saveTo/,
      ],
      [{ ...job, model: { ...job.model, spec: 'my-model' } }, /unknown model "my-model"/],
      [{ ...job, kind: 'shell' }, /kind/],
    ];
    for (const [raw, pattern] of cases) {
      await expect(checkJob(raw, 'x'), JSON.stringify(raw).slice(0, 80)).rejects.toThrow(ValidationError);
      await expect(checkJob(raw, 'x')).rejects.toThrow(pattern);
    }
  });
});
