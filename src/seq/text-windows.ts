/** Sliding text windows for next-character training: x = s[i, i+L), y = s[i+1, i+L+1). */
import { DataError } from '../errors.js';

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
 * @param seqLength - L, at most the text's length minus 1
 * @param stride - distance between window starts (default 1)
 * @returns the windows
 * @throws {@link DataError} when L or the stride is not a positive integer, or the text is too short
 * @example
 * ```ts
 * import { textWindows } from 'stockcast';
 * textWindows('hihello', 6); // { x: ['hihell'], y: ['ihello'], starts: [0] }
 * ```
 */
export function textWindows(text: string, seqLength: number, stride = 1): TextWindows {
  const chars = Array.from(text);
  if (!Number.isInteger(seqLength) || seqLength < 1) throw new DataError(`seqLength must be a positive integer: received ${seqLength}`);
  if (!Number.isInteger(stride) || stride < 1) throw new DataError(`stride must be a positive integer: received ${stride}`);
  if (chars.length < seqLength + 1) throw new DataError(`seqLength ${seqLength} needs a text of at least ${seqLength + 1} characters, received ${chars.length}`);
  const out: TextWindows = { x: [], y: [], starts: [] };
  for (let i = 0; i + seqLength < chars.length; i += stride) {
    out.x.push(chars.slice(i, i + seqLength).join(''));
    out.y.push(chars.slice(i + 1, i + seqLength + 1).join(''));
    out.starts.push(i);
  }
  return out;
}
