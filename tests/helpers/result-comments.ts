/**
 * Result comments in documentation snippets: `expr; // 'ihello'` states what a line evaluates to. This module
 * parses the literal at the start of such a comment (numbers, strings, arrays, objects, `Int32Array [...]`, and
 * `83.33...` for a number that starts with those digits) and compares it with the value the line produced.
 */

/** What a comment says a value is. */
export type Expected =
  | number
  | string
  | boolean
  | null
  | Expected[]
  | { [k: string]: Expected }
  | { __typed: string; values: Expected[] }
  | { __prefix: string };

class Parser {
  i = 0;
  constructor(readonly s: string) {}
  ws() {
    while (this.s[this.i] === ' ') this.i++;
  }
  value(): Expected {
    this.ws();
    const c = this.s[this.i];
    if (c === "'" || c === '"') return this.string(c);
    if (c === '[') return this.array();
    if (c === '{') return this.object();
    const typed = /^(Int32Array|Float32Array|Float64Array) /.exec(this.s.slice(this.i));
    if (typed) {
      this.i += typed[0].length;
      const values = this.array();
      return { __typed: typed[1], values };
    }
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    const num = /^-?\d+(\.\d+)?(e-?\d+)?/.exec(this.s.slice(this.i));
    if (!num) throw new Error(`no literal at ${this.i}`);
    this.i += num[0].length;
    if (this.s.startsWith('...', this.i)) {
      this.i += 3;
      return { __prefix: num[0] };
    }
    return Number(num[0]);
  }
  string(q: string): string {
    let out = '';
    this.i++;
    while (this.s[this.i] !== q) {
      if (this.i >= this.s.length) throw new Error('unterminated string');
      if (this.s[this.i] === '\\') {
        const e = this.s[++this.i];
        out += e === 'n' ? '\n' : e === 't' ? '\t' : e;
      } else out += this.s[this.i];
      this.i++;
    }
    this.i++;
    return out;
  }
  array(): Expected[] {
    const out: Expected[] = [];
    this.i++;
    this.ws();
    while (this.s[this.i] !== ']') {
      out.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== ']') throw new Error('bad array');
      this.ws();
    }
    this.i++;
    return out;
  }
  object(): { [k: string]: Expected } {
    const out: { [k: string]: Expected } = {};
    this.i++;
    this.ws();
    while (this.s[this.i] !== '}') {
      const key = /^[A-Za-z_$][\w$]*/.exec(this.s.slice(this.i));
      if (!key) throw new Error('bad key');
      this.i += key[0].length;
      this.ws();
      if (this.s[this.i++] !== ':') throw new Error('expected :');
      out[key[0]] = this.value();
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') throw new Error('bad object');
      this.ws();
    }
    this.i++;
    return out;
  }
}

/** The literal a result comment starts with, or undefined when it starts with prose. */
export function parseResultComment(comment: string): Expected | undefined {
  const p = new Parser(comment.trim());
  try {
    const v = p.value();
    const rest = p.s.slice(p.i).trim();
    // Allowed after the literal: nothing, or an explanation after a colon or a word such as "on"/"where".
    if (rest === '' || rest.startsWith(':') || /^[a-z]/.test(rest)) return v;
    return undefined;
  } catch {
    return undefined;
  }
}

/** Whether a produced value matches what the comment says (numbers to 1e-6 relative: float32 results). */
export function matches(actual: unknown, expected: Expected): boolean {
  if (expected !== null && typeof expected === 'object' && '__prefix' in expected)
    return typeof actual === 'number' && String(actual).startsWith((expected as { __prefix: string }).__prefix);
  if (expected !== null && typeof expected === 'object' && '__typed' in expected) {
    const e = expected as { __typed: string; values: Expected[] };
    return (
      (actual as object)?.constructor?.name === e.__typed && matches(Array.from(actual as ArrayLike<number>), e.values)
    );
  }
  if (typeof expected === 'number')
    return (
      typeof actual === 'number' &&
      (actual === expected || Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected)))
    );
  if (Array.isArray(expected)) {
    const a = ArrayBuffer.isView(actual) ? Array.from(actual as unknown as ArrayLike<number>) : actual;
    return Array.isArray(a) && a.length === expected.length && expected.every((e, i) => matches(a[i], e));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return false;
    const keys = Object.keys(expected);
    return (
      keys.length === Object.keys(actual).length &&
      keys.every((k) => matches((actual as Record<string, unknown>)[k], (expected as Record<string, Expected>)[k]))
    );
  }
  return actual === expected;
}
