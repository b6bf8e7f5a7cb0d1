import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { shareCores } from '../../../src/index.js';
import { resolveThreads } from '../../../src/models/engines/threads.js';

describe('threads', () => {
  it('auto is every core on the main thread; a count is taken as given', () => {
    expect(resolveThreads('auto')).toBe(availableParallelism());
    expect(resolveThreads(undefined)).toBe(availableParallelism());
    expect(resolveThreads(3)).toBe(3);
    expect(resolveThreads(0)).toBe(1);
  });

  it('shareCores keeps jobs x threads within the cores', () => {
    expect(shareCores(4, 'auto', 16)).toEqual({ jobs: 4, threads: 4 });
    expect(shareCores(3, 'auto', 16)).toEqual({ jobs: 3, threads: 5 });
    expect(shareCores(2, 'auto', 2)).toEqual({ jobs: 2, threads: 1 });
    expect(shareCores(1, 'auto', 2)).toEqual({ jobs: 1, threads: 2 });
    expect(shareCores(64, 'auto', 16)).toEqual({ jobs: 16, threads: 1 });
    expect(shareCores(2, 8, 16)).toEqual({ jobs: 2, threads: 8 });
    expect(shareCores(2, 3, 16)).toEqual({ jobs: 2, threads: 3 });
    expect(shareCores(4, 8, 16)).toEqual({ jobs: 4, threads: 4 });
    for (let cores = 1; cores <= 20; cores++)
      for (let jobs = 1; jobs <= 25; jobs++) {
        const s = shareCores(jobs, 'auto', cores);
        expect(s.jobs * s.threads).toBeLessThanOrEqual(cores);
        expect(s.jobs).toBeGreaterThanOrEqual(1);
      }
  });
});
