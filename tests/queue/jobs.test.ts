import { describe, expect, it } from 'vitest';
import { QueueError, ValidationError } from '../../src/index.js';
import { checkJob, foldJob, JOB_SCHEMA, jobId, STOCKCAST_VERSION } from '../../src/queue/jobs.js';

const hash = 'ab'.repeat(32);
const job = foldJob(hash, { target: 'close', lookback: 10, units: 4, epochs: 2, threads: 1 }, [{ origin: 100, trainStart: 0, refit: true }]);

describe('fold-group jobs', () => {
  it('carry the schema version and the package version', () => {
    expect(job).toMatchObject({ schema: JOB_SCHEMA, stockcast: STOCKCAST_VERSION, kind: 'fold-group', data: hash });
    expect(STOCKCAST_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('ids: the run and the content; key order does not matter, content does', () => {
    const reordered = { ...job, forecaster: { threads: 1, epochs: 2, units: 4, lookback: 10, target: 'close' } };
    expect(jobId('run1', reordered)).toBe(jobId('run1', job));
    expect(jobId('run1', job)).toMatch(/^run1-[0-9a-f]{40}$/);
    expect(jobId('run2', job)).not.toBe(jobId('run1', job));
    expect(jobId('run1', { ...job, forecaster: { ...job.forecaster, units: 8 } })).not.toBe(jobId('run1', job));
  });

  it('a worker accepts a well-formed job and gives back its forecaster options', () => {
    expect(checkJob(JSON.parse(JSON.stringify(job)), 'redis://h:1/0').forecaster).toEqual(job.forecaster);
  });

  it('a job of the same schema from another stockcast release is refused naming both versions', () => {
    expect(() => checkJob({ ...job, stockcast: '9.9.9' }, 'redis://h:1/0')).toThrow(
      `refused a job from stockcast 9.9.9 (job schema ${JOB_SCHEMA}): this worker runs stockcast ${STOCKCAST_VERSION}, and results are only identical within one version`,
    );
    expect(() => checkJob(job, 'redis://h:1/0')).not.toThrow();
  });

  it('a job of another schema, newer or older, is refused naming both versions', () => {
    for (const schema of [JOB_SCHEMA + 1, JOB_SCHEMA - 1, undefined]) {
      const e = (() => {
        try {
          checkJob({ ...job, schema, stockcast: '9.9.9' }, 'redis://h:1/0');
        } catch (x) {
          return x as QueueError;
        }
        throw new Error('accepted');
      })();
      expect(e).toBeInstanceOf(QueueError);
      expect(e.message).toBe(
        `refused a job of schema ${JSON.stringify(schema ?? null)} (stockcast 9.9.9, from the submitter): this worker runs stockcast ${STOCKCAST_VERSION} with job schema ${JOB_SCHEMA} (hint: run the same stockcast version on the submitting machine and on every worker)`,
      );
    }
    expect(() => checkJob('not a job', 'x')).toThrow(QueueError);
  });

  it('malformed jobs fail with the path of what is wrong', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ ...job, data: '../../etc/passwd' }, /data: expected the SHA-256 hex digest/],
      [{ ...job, group: [] }, /group/],
      [{ ...job, group: [{ origin: 10, trainStart: 10, refit: true }] }, /trainStart must come before the origin/],
      [{ ...job, extra: 1 }, /Unrecognized key.*extra/],
      [{ ...job, forecaster: { ...job.forecaster, units: -1 } }, /job forecaster options: units/],
      [{ ...job, forecaster: { ...job.forecaster, saveTo: '/tmp/x' } }, /job forecaster options: .*saveTo/],
      [{ ...job, kind: 'shell' }, /kind/],
    ];
    for (const [raw, pattern] of cases) {
      expect(() => checkJob(raw, 'x'), JSON.stringify(raw).slice(0, 80)).toThrow(ValidationError);
      expect(() => checkJob(raw, 'x')).toThrow(pattern);
    }
  });
});
