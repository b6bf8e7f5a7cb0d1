/** Character vocabularies: a fixed, ordered character set with encode/decode/one-hot and a JSON form. */
import { DataError, ValidationError } from '../errors.js';

/** The JSON form of a {@link CharVocab}. */
export interface CharVocabJSON {
  /** The characters, in index order. */
  chars: string[];
  /** The character unknown input maps to, if any. */
  unknown?: string;
}

/**
 * An ordered set of characters. Index order is deterministic: sorted unique characters of a text, or the
 * explicit list given (the lecture's `['h', 'i', 'e', 'l', 'o']`).
 *
 * @example
 * ```ts
 * import { CharVocab } from 'stockcast';
 * const v = CharVocab.fromChars(['h', 'i', 'e', 'l', 'o']);
 * v.encode('hihello'); // Int32Array [0, 1, 0, 2, 3, 3, 4]
 * v.decode([1, 0, 2, 3, 3, 4]); // 'ihello'
 * ```
 */
export class CharVocab {
  readonly #chars: string[];
  readonly #index: Map<string, number>;
  /** The character that unknown input maps to, when one was chosen. */
  readonly unknown: string | undefined;

  private constructor(chars: string[], unknown?: string) {
    this.#chars = chars;
    this.#index = new Map(chars.map((c, i) => [c, i]));
    this.unknown = unknown;
  }

  /**
   * The sorted unique characters of a text (by code point).
   * @param text - the text
   * @param options - `unknown`: a character (added if absent) that unknown input maps to
   * @returns the vocabulary
   * @throws {@link DataError} for an empty text
   */
  static fromText(text: string, options: { unknown?: string } = {}): CharVocab {
    if (text.length === 0) throw new DataError('cannot build a vocabulary from an empty text');
    const set = new Set(Array.from(text));
    if (options.unknown !== undefined) set.add(options.unknown);
    return CharVocab.fromChars([...set].sort(), options);
  }

  /**
   * A vocabulary with exactly these characters in this order.
   * @param chars - unique single characters
   * @param options - `unknown`: one of `chars` that unknown input maps to
   * @returns the vocabulary
   * @throws {@link ValidationError} for duplicates, multi-character entries or an unknown token not in the list
   */
  static fromChars(chars: readonly string[], options: { unknown?: string } = {}): CharVocab {
    const issues: { path: string; message: string }[] = [];
    const seen = new Set<string>();
    chars.forEach((c, i) => {
      if (Array.from(c).length !== 1)
        issues.push({ path: `chars[${i}]`, message: `expected one character, received ${JSON.stringify(c)}` });
      if (seen.has(c)) issues.push({ path: `chars[${i}]`, message: `duplicate character ${JSON.stringify(c)}` });
      seen.add(c);
    });
    if (chars.length === 0) issues.push({ path: 'chars', message: 'expected at least one character' });
    if (options.unknown !== undefined && !seen.has(options.unknown))
      issues.push({ path: 'unknown', message: `${JSON.stringify(options.unknown)} is not in the character list` });
    if (issues.length > 0) throw new ValidationError('vocabulary', issues);
    return new CharVocab([...chars], options.unknown);
  }

  /**
   * Restores a vocabulary from {@link CharVocab.toJSON}.
   * @param json - the JSON form
   * @returns the vocabulary
   * @throws {@link ValidationError} when malformed
   */
  static fromJSON(json: CharVocabJSON): CharVocab {
    return CharVocab.fromChars(json.chars, json.unknown !== undefined ? { unknown: json.unknown } : {});
  }

  /** Number of characters. */
  get size(): number {
    return this.#chars.length;
  }

  /** The characters in index order. */
  get chars(): string[] {
    return [...this.#chars];
  }

  /**
   * Character ids of a text.
   * @param text - the text
   * @returns one id per character
   * @throws {@link DataError} for a character outside the vocabulary (with its position), unless `unknown` was set
   */
  encode(text: string): Int32Array {
    const chars = Array.from(text);
    return Int32Array.from(chars, (c, i) => {
      const id = this.#index.get(c) ?? (this.unknown !== undefined ? this.#index.get(this.unknown) : undefined);
      if (id === undefined) {
        throw new DataError(
          `character ${JSON.stringify(c)} at position ${i} is not in the vocabulary (${this.#chars.map((x) => JSON.stringify(x)).join(' ')})`,
          {},
          { hint: 'build the vocabulary from this text, or pass unknown' },
        );
      }
      return id;
    });
  }

  /**
   * The text of character ids.
   * @param ids - ids in [0, size)
   * @returns the text
   * @throws {@link DataError} for an id out of range
   */
  decode(ids: ArrayLike<number>): string {
    let out = '';
    for (let i = 0; i < ids.length; i++) {
      const c = this.#chars[ids[i]];
      if (c === undefined)
        throw new DataError(`id ${ids[i]} at position ${i} is outside the vocabulary of ${this.size}`);
      out += c;
    }
    return out;
  }

  /**
   * One-hot rows for a text or ids: [length, size] row-major.
   * @param input - text or ids
   * @returns the one-hot matrix
   * @throws {@link DataError} for unknown characters or ids
   */
  oneHot(input: string | ArrayLike<number>): Float32Array {
    const ids = typeof input === 'string' ? this.encode(input) : input;
    const out = new Float32Array(ids.length * this.size);
    for (let i = 0; i < ids.length; i++) {
      if (!(ids[i] >= 0 && ids[i] < this.size))
        throw new DataError(`id ${ids[i]} at position ${i} is outside the vocabulary of ${this.size}`);
      out[i * this.size + ids[i]] = 1;
    }
    return out;
  }

  /** The JSON form. */
  toJSON(): CharVocabJSON {
    return this.unknown !== undefined ? { chars: this.chars, unknown: this.unknown } : { chars: this.chars };
  }
}
