/** The global forecaster's options: the fields every recurrent forecaster shares, plus a panel's covariates. */
import { z } from 'zod';
import { vocabulary as v } from '../../vocabulary.js';
import { recurrentFields, recurrentRules, windowNormFor } from './recurrent-options.js';

/** The global forecaster's option fields, without the rules that tie them together. @internal */
export const GlobalForecasterFields = z
  .object({
    ...recurrentFields,
    /** Future-known calendar covariates, read for every forecast step (default none). */
    calendarFeatures: v.calendarFeatures.optional(),
    /**
     * The exchange calendar for calendar features and future dates: a name (`nyse`) or an ExchangeCalendar
     * (default: business days).
     */
    calendar: v.calendar.optional(),
    /** Columns known ahead, read for every forecast step as given; `predict` needs their next values (default none). */
    knownColumns: v.knownColumns.optional(),
    /** Static covariates per symbol (every symbol the same length; default none). */
    statics: v.statics.optional(),
    /** Learn an input vector per training symbol (default false); unseen symbols then cannot be predicted. */
    symbolEmbedding: v.symbolEmbedding.withDefault(),
  })
  .strict();

/** Options of {@link createGlobalForecaster}. */
export const GlobalForecasterOptionsSchema = GlobalForecasterFields.transform(({ windowNorm, ...o }) => ({
  ...o,
  /** Per-window normalization: the one given, else `last`, or `none` when a `scaler` was given. */
  windowNorm: windowNormFor(o.scaler, windowNorm, o.loss),
}))
  .superRefine(recurrentRules)
  .refine((o) => o.windowNorm !== 'zscore', {
    message: "global forecasters take windowNorm 'last' or 'none'",
    path: ['windowNorm'],
  });

/** Options of {@link createGlobalForecaster}, as accepted. */
export type GlobalForecasterOptions = z.input<typeof GlobalForecasterOptionsSchema>;
/** Options of the global forecaster after defaults. */
export type ResolvedGlobalForecasterOptions = z.output<typeof GlobalForecasterOptionsSchema>;
