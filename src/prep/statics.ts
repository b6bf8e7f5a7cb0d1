/** Static covariates per symbol as numbers: numeric positions as given, category positions one-hot encoded. */
import { DataError } from '../errors.js';

/** The numeric form of static covariates. @internal */
export interface StaticCodec {
  /** Numbers per symbol after encoding. */
  width: number;
  /** Categories of each position (null for a numeric one), in one-hot order. */
  categories: Array<string[] | null>;
  /** One symbol's values as numbers. */
  encode(values: ReadonlyArray<number | string>): Float32Array;
}

/**
 * Builds the encoding of static covariates from every symbol's values: each position holds numbers for every
 * symbol, or category strings for every symbol (one-hot over the sorted categories that appear).
 * @throws {@link DataError} when symbols give different lengths, or a position mixes numbers and strings
 * @internal
 */
export function staticCodec(statics: Record<string, ReadonlyArray<number | string>>): StaticCodec {
  const entries = Object.entries(statics);
  const length = entries[0]?.[1].length ?? 0;
  for (const [symbol, values] of entries) {
    if (values.length !== length)
      throw new DataError(
        `static covariates of "${symbol}" have ${values.length} values, those of "${entries[0][0]}" ${length}`,
      );
  }
  const categories = Array.from({ length }, (_, p) => {
    const kinds = new Set(entries.map(([, v]) => typeof v[p]));
    if (kinds.size > 1)
      throw new DataError(
        `static covariate ${p} mixes numbers and categories across symbols: give all numbers or all strings at one position`,
      );
    return kinds.has('string') ? [...new Set(entries.map(([, v]) => v[p] as string))].sort() : null;
  });
  const width = categories.reduce((w, c) => w + (c ? c.length : 1), 0);
  return {
    width,
    categories,
    encode(values) {
      if (values.length !== length)
        throw new DataError(`static covariates have ${values.length} values, expected ${length}`);
      const out = new Float32Array(width);
      let at = 0;
      categories.forEach((cats, p) => {
        const v = values[p];
        if (cats === null) {
          if (typeof v !== 'number') throw new DataError(`static covariate ${p} is numeric: received "${String(v)}"`);
          out[at++] = v;
          return;
        }
        const k = cats.indexOf(String(v));
        if (typeof v !== 'string' || k < 0)
          throw new DataError(
            `static covariate ${p} is a category (${cats.map((c) => `"${c}"`).join(', ')}): received ${JSON.stringify(v)}`,
          );
        out[at + k] = 1;
        at += cats.length;
      });
      return out;
    },
  };
}
