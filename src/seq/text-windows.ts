/** Sliding text windows for next-character training: x = s[i, i+L), y = s[i+1, i+L+1). */
import { z } from 'zod';
import { DataError } from '../errors.js';
import { parseOptions } from '../validate.js';
import { vocabulary as v } from '../vocabulary.js';

/** Options of {@link textWindows}. */
export const TextWindowOptionsSchema = z
  .object({
    /** L: characters per window, at most the text's length minus 1. */
    lookback: v.lookback.schema,
    /** Characters between window starts (default 1). */
    step: v.step.optional(),
  })
  .strict();

/** Options of {@link textWindows}, as accepted. */
export type TextWindowOptions = z.input<typeof TextWindowOptionsSchema>;

/** Input/target string pairs. */
export interface TextWindows {
  /** Inputs s[i, i+L). */
  x: string[];
  /** Targets s[i+1, i+L+1): each input shifted by one character. */
  y: string[];
  /** The start index i of each window. */
  starts: number[];
}

/**
 * Cuts a text into the lecture's longseq dataset: windows of L characters and the same windows shifted by one.
 *
 * @param text - the text
 * @param options - `lookback` (L) and `step`, see {@link TextWindowOptionsSchema}
 * @returns the windows
 * @throws {@link ValidationError} when L or the step is not a positive integer
 * @throws {@link DataError} when the text is too short
 * @example
 * ```ts
 * import { textWindows } from 'stockcast';
 * textWindows('hihello', { lookback: 6 }); // { x: ['hihell'], y: ['ihello'], starts: [0] }
 * ```
 */
export function textWindows(text: string, options: TextWindowOptions): TextWindows {
  const { lookback: L, step = 1 } = parseOptions(TextWindowOptionsSchema, options, 'text window options');
  const chars = Array.from(text);
  if (chars.length < L + 1)
    throw new DataError(`lookback ${L} needs a text of at least ${L + 1} characters, received ${chars.length}`);
  const out: TextWindows = { x: [], y: [], starts: [] };
  for (let i = 0; i + L < chars.length; i += step) {
    out.x.push(chars.slice(i, i + L).join(''));
    out.y.push(chars.slice(i + 1, i + L + 1).join(''));
    out.starts.push(i);
  }
  return out;
}
