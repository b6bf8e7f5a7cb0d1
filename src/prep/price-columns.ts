/** The open, high and low columns a range-based volatility target reads, found as the close is, on its basis. */
import { DataError } from '../errors.js';
import type { Series } from '../data/series.js';
import type { OhlcArrays, VolatilityEstimator } from './volatility.js';

/** Names of the price columns, where they differ from `open`, `high`, `low` in any case. */
export interface PriceColumnNames {
  /** The opening price column. */
  open?: string;
  /** The high column. */
  high?: string;
  /** The low column. */
  low?: string;
}

const NEEDS: Record<VolatilityEstimator, ReadonlyArray<'open' | 'high' | 'low'>> = {
  'close-to-close': [],
  parkinson: ['high', 'low'],
  'garman-klass': ['open', 'high', 'low'],
  'yang-zhang': ['open', 'high', 'low'],
};

/** A close column adjusted for splits and dividends (Yahoo's `Adj Close`, `adjclose`, `adjClose`, `adj_close`). */
const ADJUSTED = /^adj(usted)?[ _]?close$/i;

/** The column named `word`: an exact match, else the only one equal to it ignoring case. */
function findColumn(columns: readonly string[], word: string): string | undefined {
  if (columns.includes(word)) return word;
  const matches = columns.filter((c) => c.toLowerCase() === word.toLowerCase());
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * The price arrays an estimator reads, resolved as the target is: `close` is the resolved close column; open,
 * high and low are the columns `names` gives, else the columns called `open`, `high`, `low` in any case (Yahoo's
 * `Open`, `High`, `Low`). When the close is adjusted (`Adj Close`) and open/high/low are not, they are put on the
 * adjusted basis row by row, times adjclose / close (the raw close column, found the same way); without a raw
 * close that cannot be done and the data is refused.
 *
 * @param series - the data
 * @param estimator - the estimator, which says which columns are needed
 * @param close - the close column (the resolved target)
 * @param names - column names given by the user (`prices` option)
 * @returns the arrays, all of the series' length (copies when scaled)
 * @throws {@link DataError} when a column is missing, or an adjusted close has no raw close to scale by
 * @internal
 */
export function priceArrays(
  series: Series,
  estimator: VolatilityEstimator,
  close: string,
  names: PriceColumnNames = {},
): OhlcArrays {
  const columns = series.columns;
  const list = columns.map((c) => `"${c}"`).join(', ');
  const out: OhlcArrays = { close: series.columnRef(close) };
  const needs = NEEDS[estimator];
  if (needs.length === 0) return out;
  const resolved = needs.map((key) => {
    const given = names[key];
    const name = given ?? findColumn(columns, key);
    if (name === undefined || !columns.includes(name)) {
      throw new DataError(
        `the ${estimator} target needs a ${key} price column: ` +
          (given !== undefined ? `"${given}" is not a column` : `none is called "${key}" in any case`) +
          `; the data has ${list}`,
        {},
        { hint: `name it with prices: { ${key}: '...' } (CLI: --prices ${key}=...)` },
      );
    }
    return [key, name] as const;
  });
  const raw = ADJUSTED.test(close) ? findColumn(columns, 'close') : undefined;
  for (const [key, name] of resolved) {
    const values = series.columnRef(name);
    if (!ADJUSTED.test(close) || /adj/i.test(name)) {
      out[key] = values;
      continue;
    }
    if (raw === undefined) {
      throw new DataError(
        `the close "${close}" is adjusted for splits and dividends but the ${key} column "${name}" is not, ` +
          'and there is no raw close column to put it on the same basis',
        {},
        { hint: 'give the raw close as the target (CLI: --target Close), or data whose prices are all adjusted' },
      );
    }
    const adj = series.columnRef(close);
    const rc = series.columnRef(raw);
    // Row by row, times adjclose / close: the split and dividend factor Yahoo applied to that day's close.
    out[key] = Float64Array.from(values, (v, i) => (v * adj[i]) / rc[i]);
  }
  return out;
}
