/**
 * A user's model, as a plain JavaScript module registered by URL, so that worker threads and queue workers
 * (`stockcast worker --module examples/models/seasonal-drift.mjs`) can run it too: the value one season earlier
 * plus the average step over the last season, per step ahead. `stockcast backtest --module` takes this file.
 */
import { z } from 'zod';
import { registerModel } from 'stockcast';

/** Its options: the season length m (rows). */
const Options = z.object({ m: z.number().int().min(1).default(5) }).strict();

/** @type {import('stockcast').ModelDefinition<{ m: number }>} */
export const seasonalDrift = {
  description: 'the value one season (m rows) earlier plus the average step over the last season',
  options: Options,
  parameter: 'm',
  // Learned: it fits at each refit origin, so its refits may run on worker threads.
  learned: true,
  history: (o) => o.m + 1,
  series: (options, task) => {
    const { m } = options;
    let drift = 0;
    return {
      // The backtest hands a user's model the rows before the origin only.
      fit(data, window) {
        const y = data.columnRef(task.target);
        drift = (y[window.origin - 1] - y[window.origin - 1 - m]) / m;
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
