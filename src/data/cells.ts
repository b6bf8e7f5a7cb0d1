/** Reading one text cell as a number: the tokens that mean "missing", and the forms refused instead of guessed. */
import { vocabulary as v } from '../vocabulary.js';

/**
 * The cell texts that mean "missing value" by default: exactly pandas' default `na_values`
 * (`STR_NA_VALUES` in pandas/_libs/parsers.pyx), the default of the `naValues` option. Cells are matched after trimming surrounding whitespace, so a
 * whitespace-only cell counts as the empty token. `-`, `inf` and `Infinity` are not on the list.
 *
 * @example
 * ```ts
 * import { DEFAULT_NA_VALUES, parseCsv } from 'stockcast';
 * DEFAULT_NA_VALUES.includes('#N/A'); // true
 * parseCsv('date,close\n2021-01-01,1\n2021-01-02,#N/A\n', { missing: 'drop' }).length; // 1
 * ```
 */
export const DEFAULT_NA_VALUES: readonly string[] = Object.freeze([...(v.naValues.default ?? [])]);

/** Why a cell is not a number, as a sentence fragment and a hint. @internal */
export interface CellProblem {
  problem: string;
  hint?: string;
}

const INFINITE = /^[+-]?(inf|infinity|1\.#inf)$/i;
const NON_DECIMAL = /^0[xob]/i;

/**
 * True when `text` (already known to convert with `+text` to a finite number) is a plain decimal number.
 * JavaScript's `Number` also reads `0x1F`, `0o17` and `0b101`; those are refused, not guessed.
 * The common case (a first character that is a digit 1-9, a sign or a dot) is decided without allocating.
 * @internal
 */
export function isDecimalText(text: string): boolean {
  const first = text.charCodeAt(0);
  if ((first >= 49 && first <= 57) || first === 45 || first === 43 || first === 46) return true;
  const trimmed = first === 48 ? text : text.trim();
  return trimmed.length > 0 && !NON_DECIMAL.test(trimmed);
}

/**
 * Explains why a cell that is neither a decimal number nor a missing-value token was refused.
 * @internal
 */
export function describeBadCell(text: string): CellProblem {
  const trimmed = text.trim();
  if (NON_DECIMAL.test(trimmed)) {
    const kind = /^0x/i.test(trimmed) ? 'hexadecimal' : /^0o/i.test(trimmed) ? 'octal' : 'binary';
    return {
      problem: `expected a decimal number, received the ${kind} literal "${trimmed}"`,
      hint: 'write the value in decimal',
    };
  }
  if (INFINITE.test(trimmed)) {
    return {
      problem: `expected a finite number, received "${trimmed}" (a Series holds finite values)`,
      hint: 'mark the value as missing (for example NA) and choose a missing policy',
    };
  }
  const value = Number(trimmed);
  if (trimmed !== '' && !Number.isNaN(value) && !Number.isFinite(value)) {
    return {
      problem: `expected a finite number, received "${trimmed}", which is beyond the range of a 64-bit float`,
      hint: 'check the value; a Series holds finite values',
    };
  }
  return {
    problem: `expected a number, received "${text}"`,
    hint: 'choose the numeric columns with the columns option, or add the text to naValues if it means missing',
  };
}
