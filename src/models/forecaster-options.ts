/** The forecaster's options: one zod schema that is the runtime check, the TypeScript type and the docs. */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { Series } from '../data/series.js';
import { EarlyStoppingSchema, type EpochInfo } from './training.js';

/** Options of {@link createForecaster}. */
export const ForecasterOptionsSchema = z
  .object({
    /** Recurrent cell: the lecture's tanh `rnn`, `lstm` (default) or `gru`. */
    cell: z.enum(['rnn', 'lstm', 'gru']).default('lstm'),
    /** Hidden units per layer (default 32). */
    units: z.number().int().positive().max(4096).default(32),
    /** Stacked recurrent layers, like PyTorch's `num_layers` (default 1). */
    layers: z.number().int().positive().max(16).default(1),
    /** Dropout between stacked layers while training (default 0). */
    dropout: z.number().min(0).lt(1).default(0),
    /** Past rows per window. */
    lookback: z.number().int().positive(),
    /** Future target values predicted at once (default 1: many-to-one). */
    horizon: z.number().int().positive().default(1),
    /** Target column. */
    target: z.string().min(1),
    /** Input columns (default: the target alone). */
    features: z.array(z.string().min(1)).min(1).optional(),
    /** Scaler fitted on the training rows (default `minmax`), or `none`. */
    scaler: z.enum(['minmax', 'standard', 'robust', 'none']).default('minmax'),
    /**
     * Per-window normalization after scaling (default `none`): `last` makes each window relative to its own last
     * value (x / x_last - 1), so the model learns changes rather than levels; `zscore` uses the window's mean and std.
     * Use `scaler: 'none'` with `last`, since scaled values can be 0.
     */
    windowNorm: z.enum(['none', 'last', 'zscore']).default('none'),
    /** Training epochs (default 50). */
    epochs: z.number().int().positive().default(50),
    /** Mini-batch size (default 32). */
    batchSize: z.number().int().positive().default(32),
    /** Learning rate (default 0.001). */
    learningRate: z.number().positive().default(0.001),
    /** Optimizer (default `adam`). */
    optimizer: z.enum(['adam', 'sgd', 'rmsprop']).default('adam'),
    /** Clip the global gradient norm (off by default). */
    clipNorm: z.number().positive().optional(),
    /** Validation data: the last fraction of the rows given to fit, or a separate later Series. */
    validation: z.union([z.number().gt(0).lt(1), z.custom<Series>((v) => v instanceof Series, 'expected a Series')]).optional(),
    /** Stop when the validation loss (or training loss without validation) stops improving. */
    earlyStopping: EarlyStoppingSchema.optional(),
    /**
     * Prediction intervals with this coverage (e.g. 0.9), calibrated by split conformal prediction on the
     * validation windows; `predict` then returns `lower` and `upper`. Needs `validation`.
     */
    interval: z.number().gt(0).lt(1).optional(),
    /** Seed for initialization, shuffling and dropout (default 42). */
    seed: z.number().int().default(42),
    /**
     * Threads for one training run on the fused engine: any count up to the machine's cores, or `auto` (default:
     * every core on the main thread, 1 inside worker threads). Results are identical for every count.
     */
    threads: z.union([z.literal('auto'), z.number().int().min(1).max(availableParallelism(), `at most the machine's ${availableParallelism()} cores`)]).optional(),
    /** Engine (default `auto`). */
    engine: z.enum(['auto', 'tfjs', 'fused']).default('auto'),
    /** Called after every epoch with losses and timing (feeds progress bars); training waits for a returned promise. */
    onEpochEnd: z.custom<(info: EpochInfo) => void | Promise<void>>((v) => typeof v === 'function', 'expected a function').optional(),
    /** Stops training early between epochs (Ctrl-C). */
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, 'expected an AbortSignal').optional(),
  })
  .strict()
  .refine((o) => o.interval === undefined || o.validation !== undefined, { message: 'interval needs validation data to calibrate on', path: ['interval'] });

/** Options of {@link createForecaster}, as accepted. */
export type ForecasterOptions = z.input<typeof ForecasterOptionsSchema>;
/** Options after defaults. */
export type ResolvedForecasterOptions = z.output<typeof ForecasterOptionsSchema>;
