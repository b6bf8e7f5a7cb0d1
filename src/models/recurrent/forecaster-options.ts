/** The forecaster's options: one zod schema, built from the SDK's vocabulary, that is the runtime check, the TypeScript type and the docs. */
import { z } from 'zod';
import { Series } from '../../data/series.js';
import { deprecationNotice, vocabulary as v } from '../../vocabulary.js';
import { recurrentFields, recurrentRules, windowNormFor } from './recurrent-options.js';

/**
 * The forecaster's option fields, without the rules that tie them together (checked by the full schema): the
 * fields every recurrent forecaster shares, with a later Series accepted as validation data. @internal
 */
export const ForecasterFields = z
  .object({
    ...recurrentFields,
    /**
     * Validation data (default 0.2): the last fraction of the rows given to fit (0 for none), or a separate later
     * Series. It selects the epoch (early stopping), checks the model against the naive forecast
     * (`training.validation`) and calibrates prediction intervals.
     */
    validation: z
      .union([v.validation.schema, z.custom<Series>((x) => x instanceof Series, 'expected a Series')])
      .default(v.validation.default!),
    /** @deprecated Use `coverage`; accepted for one release with a notice on stderr. */
    interval: v.coverage.optional(),
  })
  .strict();

/** Options of {@link createForecaster}. */
export const ForecasterOptionsSchema = ForecasterFields.transform(({ interval, windowNorm, ...rest }) => {
  const o = {
    ...rest,
    /** Per-window normalization: the one given, else `last`, or `none` when a `scaler` was given. */
    windowNorm: windowNormFor(rest.scaler, windowNorm, rest.loss),
  };
  if (interval === undefined) return o;
  deprecationNotice('the forecaster option `interval` (coverage)', '`coverage`');
  return { ...o, coverage: o.coverage ?? interval };
}).superRefine(recurrentRules);

/** Options of {@link createForecaster}, as accepted. */
export type ForecasterOptions = z.input<typeof ForecasterOptionsSchema>;
/** Options after defaults. */
export type ResolvedForecasterOptions = z.output<typeof ForecasterOptionsSchema>;
