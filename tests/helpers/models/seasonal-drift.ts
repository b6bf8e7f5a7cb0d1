// A user's model registered by module, as a user writes it: worker threads import this file to run its fits.
// It counts its fits in the thread that runs them, so tests can tell where it ran.
import { z } from 'zod';
import { registerModel, type ModelDefinition } from '../../../src/index.js';

const counter = globalThis as { seasonalDriftFits?: number };

/** y[t - m + (h mod m)] plus the average step over the last season, per step ahead; "learned" so its fits are jobs. */
export const seasonalDrift: ModelDefinition<{ m: number }> = {
  description: 'the value one season earlier plus the average step over the last season',
  learned: true,
  options: z.object({ m: z.number().int().min(1).default(5) }).strict(),
  parameter: 'm',
  history: (o) => o.m + 1,
  series: (options, task) => {
    const { m } = options;
    let drift = 0;
    return {
      fit(data, window) {
        counter.seasonalDriftFits = (counter.seasonalDriftFits ?? 0) + 1;
        const y = data.columnRef(task.target);
        const t = window.origin;
        drift = (y[t - 1] - y[t - 1 - m]) / m;
      },
      forecast(data, folds) {
        const y = data.columnRef(task.target);
        return {
          values: folds.map((f) =>
            Array.from({ length: task.horizon }, (_, h) => y[f.origin - m + (h % m)] + drift * (h + 1)),
          ),
        };
      },
    };
  },
};

registerModel('seasonal-drift', { module: import.meta.url, export: 'seasonalDrift' });
