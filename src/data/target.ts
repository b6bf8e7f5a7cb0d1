/** Which column a forecast is for: the one asked for, else a close-price column, else the only column. */
import { DataError } from '../errors.js';

/** Column names taken as the close price when no target is given, in order of preference. */
export const CLOSE_COLUMNS: readonly string[] = ['close', 'Close', 'adjclose', 'Adj Close', 'adjClose'];

/**
 * Resolves the target column of a forecast or backtest: the one asked for (it must exist), else the first of
 * {@link CLOSE_COLUMNS} the data has, else the data's only column.
 *
 * @param columns - the data's columns
 * @param target - the column asked for, if any
 * @returns the target column
 * @throws {@link DataError} when the asked-for column is missing, or none can be chosen (naming the columns)
 * @example
 * ```ts
 * import { resolveTarget } from 'stockcast';
 * resolveTarget(['open', 'close'], undefined); // 'close'
 * ```
 */
export function resolveTarget(columns: readonly string[], target: string | undefined): string {
  const list = columns.map((c) => `"${c}"`).join(', ');
  if (target !== undefined) {
    if (!columns.includes(target))
      throw new DataError(
        `the target "${target}" is not a column; the data has ${list}`,
        {},
        { hint: 'pass target (CLI: --target) with one of those names' },
      );
    return target;
  }
  const found = CLOSE_COLUMNS.find((c) => columns.includes(c)) ?? (columns.length === 1 ? columns[0] : undefined);
  if (found === undefined)
    throw new DataError(
      `no target given and no close column: the data has ${list}`,
      {},
      { hint: 'pass target (CLI: --target) to say which column to forecast' },
    );
  return found;
}
