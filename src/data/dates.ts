/** Date parsing for ingestion: date-fns format strings, ISO 8601, epoch seconds/ms, and format auto-detection. */
// Per-function entry points: the package index loads every date-fns module (about 0.3 s at start-up).
import { isValid } from 'date-fns/isValid';
import { parse as parseWithDateFns } from 'date-fns/parse';

/** A function from a date string to epoch milliseconds (UTC), NaN when the string does not fit. */
export type DateParser = (value: string) => number;

type Token =
  | { kind: 'num'; field: 'y' | 'M' | 'd' | 'H' | 'm' | 's' | 'S'; min: number; max: number }
  | { kind: 'lit'; text: string };

const NUMERIC_TOKENS: Record<string, Token> = {
  yyyy: { kind: 'num', field: 'y', min: 4, max: 4 },
  MM: { kind: 'num', field: 'M', min: 2, max: 2 },
  M: { kind: 'num', field: 'M', min: 1, max: 2 },
  dd: { kind: 'num', field: 'd', min: 2, max: 2 },
  d: { kind: 'num', field: 'd', min: 1, max: 2 },
  HH: { kind: 'num', field: 'H', min: 2, max: 2 },
  H: { kind: 'num', field: 'H', min: 1, max: 2 },
  mm: { kind: 'num', field: 'm', min: 2, max: 2 },
  ss: { kind: 'num', field: 's', min: 2, max: 2 },
  SSS: { kind: 'num', field: 'S', min: 3, max: 3 },
};

/** Splits a date-fns format into numeric tokens and literals; undefined when it uses anything else. */
function tokenize(format: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < format.length) {
    const ch = format[i];
    if (ch === "'") {
      const end = format.indexOf("'", i + 1);
      if (end < 0) return undefined;
      tokens.push({ kind: 'lit', text: format.slice(i + 1, end) });
      i = end + 1;
    } else if (/[A-Za-z]/.test(ch)) {
      let j = i;
      while (j < format.length && format[j] === ch) j++;
      const token = NUMERIC_TOKENS[format.slice(i, j)];
      if (!token) return undefined;
      tokens.push(token);
      i = j;
    } else {
      tokens.push({ kind: 'lit', text: ch });
      i++;
    }
  }
  return tokens;
}

const FIELD_INDEX = { y: 0, M: 1, d: 2, H: 3, m: 4, s: 5, S: 6 } as const;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days since 1970-01-01 of a proleptic Gregorian date (y, m 1-12, d), without allocating a Date. */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** A parser for numeric-only formats: one pass over the characters with no allocation (hot path for large files). */
function compileNumeric(tokens: Token[]): DateParser {
  // Flattened program: for each token, a literal's text or a field's slot and digit bounds.
  const lits = tokens.map((t) => (t.kind === 'lit' ? t.text : ''));
  const slots = tokens.map((t) => (t.kind === 'num' ? FIELD_INDEX[t.field] : -1));
  const mins = tokens.map((t) => (t.kind === 'num' ? t.min : 0));
  const maxs = tokens.map((t) => (t.kind === 'num' ? t.max : 0));
  const count = tokens.length;
  const f = new Int32Array(7);
  return (value: string) => {
    f[0] = 1970;
    f[1] = 1;
    f[2] = 1;
    f[3] = f[4] = f[5] = f[6] = 0;
    let pos = 0;
    for (let k = 0; k < count; k++) {
      const slot = slots[k];
      if (slot < 0) {
        const lit = lits[k];
        for (let j = 0; j < lit.length; j++) if (value.charCodeAt(pos + j) !== lit.charCodeAt(j)) return Number.NaN;
        pos += lit.length;
        continue;
      }
      let n = 0;
      let digits = 0;
      const max = maxs[k];
      while (digits < max && pos < value.length) {
        const c = value.charCodeAt(pos) - 48;
        if (c < 0 || c > 9) break;
        n = n * 10 + c;
        pos++;
        digits++;
      }
      if (digits < mins[k]) return Number.NaN;
      f[slot] = n;
    }
    if (pos !== value.length) return Number.NaN;
    const y = f[0];
    const M = f[1];
    const d = f[2];
    const H = f[3];
    const m = f[4];
    const sec = f[5];
    const ms = f[6];
    if (M < 1 || M > 12 || d < 1 || H > 23 || m > 59 || sec > 59) return Number.NaN;
    const leap = M === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0);
    // Reject 2021-02-30 rather than rolling it over to March as Date.UTC would.
    if (d > DAYS_IN_MONTH[M - 1] + (leap ? 1 : 0)) return Number.NaN;
    return daysFromCivil(y, M, d) * 86_400_000 + ((H * 60 + m) * 60 + sec) * 1000 + ms;
  };
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const parseIsoDay = compileNumeric(tokenize('yyyy-MM-dd')!);
const parseIsoSpace = compileNumeric(tokenize('yyyy-MM-dd HH:mm:ss')!);
const parseIsoT = compileNumeric(tokenize("yyyy-MM-dd'T'HH:mm:ss")!);

/** ISO 8601 dates and date-times; values without an offset are read as UTC. */
const parseIso: DateParser = (value) => {
  // Fast paths for the two layouts large files use; everything else goes through the full pattern.
  if (value.length === 10) return parseIsoDay(value);
  if (value.length === 19) return value.charCodeAt(10) === 84 ? parseIsoT(value) : parseIsoSpace(value);
  const m = ISO.exec(value);
  if (!m) return Number.NaN;
  if (m[4] === undefined) return parseIsoDay(value);
  const text = value.replace(' ', 'T') + (m[7] === undefined ? 'Z' : '');
  const t = Date.parse(text);
  return Number.isFinite(t) ? t : Number.NaN;
};

/** Fixed-width digits of bytes `[at, at + n)`, or -1 when one is not a digit. */
function digitsAt(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * The ISO layouts large files use, read from UTF-8 bytes with no string made: `yyyy-MM-dd` and
 * `yyyy-MM-dd HH:mm:ss` / `yyyy-MM-ddTHH:mm:ss`, exactly as {@link parseIso} reads them, into `out[at]` (written,
 * not returned: a returned double that is not a small integer is boxed, an object per row).
 * @returns 1 when the date is written; 0 when the bytes have one of these lengths but are no such date; -1 for any
 *   other length (the caller then makes the string and uses the full parser)
 * @internal
 */
export function parseIsoBytes(b: Uint8Array, start: number, end: number, out: Float64Array, at: number): number {
  const n = end - start;
  if (n !== 10 && n !== 19) return -1;
  const y = digitsAt(b, start, 4);
  const M = digitsAt(b, start + 5, 2);
  const d = digitsAt(b, start + 8, 2);
  if (y < 0 || M < 0 || d < 0 || b[start + 4] !== 45 || b[start + 7] !== 45) return 0;
  let H = 0;
  let m = 0;
  let sec = 0;
  if (n === 19) {
    const sep = b[start + 10];
    H = digitsAt(b, start + 11, 2);
    m = digitsAt(b, start + 14, 2);
    sec = digitsAt(b, start + 17, 2);
    if ((sep !== 84 && sep !== 32) || b[start + 13] !== 58 || b[start + 16] !== 58 || H < 0 || m < 0 || sec < 0)
      return 0;
  }
  if (M < 1 || M > 12 || d < 1 || H > 23 || m > 59 || sec > 59) return 0;
  const leap = M === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0);
  if (d > DAYS_IN_MONTH[M - 1] + (leap ? 1 : 0)) return 0;
  out[at] = daysFromCivil(y, M, d) * 86_400_000 + ((H * 60 + m) * 60 + sec) * 1000;
  return 1;
}

function epochParser(scale: number, minDigits: number, maxDigits: number): DateParser {
  const pattern = new RegExp(`^-?\\d{${minDigits},${maxDigits}}(\\.\\d+)?$`);
  return (value) => (pattern.test(value) ? Number(value) * scale : Number.NaN);
}

/**
 * Compiles a date format into a parser. Accepts `iso`, `epoch-s`, `epoch-ms`, or any date-fns format
 * string (`yyyy.M.d`, `MM/dd/yyyy`, `dd MMM yyyy`, ...). Dates are read as UTC.
 *
 * @param format - the format
 * @returns a parser returning epoch ms, or NaN for strings that do not fit
 * @internal
 */
export function compileDateFormat(format: string): DateParser {
  if (format === 'iso') return parseIso;
  if (format === 'epoch-s') return epochParser(1000, 1, 12);
  if (format === 'epoch-ms') return epochParser(1, 1, 15);
  const tokens = tokenize(format);
  if (tokens) return compileNumeric(tokens);
  const reference = new Date(2000, 0, 1);
  return (value) => {
    const d = parseWithDateFns(value, format, reference);
    if (!isValid(d)) return Number.NaN;
    return Date.UTC(
      d.getFullYear(),
      d.getMonth(),
      d.getDate(),
      d.getHours(),
      d.getMinutes(),
      d.getSeconds(),
      d.getMilliseconds(),
    );
  };
}

/** The formats tried by auto-detection, in order of preference. */
export const AUTO_DATE_FORMATS = [
  'iso',
  'yyyy.M.d',
  'yyyy/M/d',
  'yyyy-M-d',
  'M/d/yyyy',
  'd/M/yyyy',
  'd.M.yyyy',
  'M-d-yyyy',
  'd-M-yyyy',
  'yyyyMMdd',
  'MMM d yyyy',
  'MMM d, yyyy',
  'd MMM yyyy',
  'd-MMM-yyyy',
  'epoch-s',
  'epoch-ms',
] as const;

// Auto-detection only reads plausible epoch lengths, so 20210321 is a date, not a 1970 second count.
const AUTO_PARSERS: Record<(typeof AUTO_DATE_FORMATS)[number], DateParser> = {
  ...Object.fromEntries(AUTO_DATE_FORMATS.map((f) => [f, compileDateFormat(f)])),
  'epoch-s': epochParser(1000, 9, 11),
  'epoch-ms': epochParser(1, 12, 14),
} as Record<(typeof AUTO_DATE_FORMATS)[number], DateParser>;

/** Outcome of {@link detectDateFormat}. */
export type DetectedFormat = { format: string } | { error: 'none' | 'ambiguous'; candidates: string[] };

/**
 * Picks the one format among {@link AUTO_DATE_FORMATS} that reads every sample value; formats that read
 * the sample identically count as one. Returns the candidates when several differing ones fit, or none reads any.
 * @internal
 */
export function detectDateFormat(samples: readonly string[]): DetectedFormat {
  const fits = AUTO_DATE_FORMATS.map((format) => {
    const values = samples.map(AUTO_PARSERS[format]);
    return { format, values, count: values.filter((t) => !Number.isNaN(t)).length };
  });
  const complete = fits.filter((f) => f.count === samples.length && f.count > 0);
  if (complete.length === 0) {
    // No format reads every sample: take the one that reads most, so the parser reports the bad value's own line.
    const best = fits.reduce((a, b) => (b.count > a.count ? b : a));
    return best.count > 0 ? { format: best.format } : { error: 'none', candidates: [...AUTO_DATE_FORMATS] };
  }
  const groups: typeof complete = [];
  for (const fit of complete) if (!groups.some((g) => g.values.every((v, i) => v === fit.values[i]))) groups.push(fit);
  return groups.length === 1
    ? { format: groups[0].format }
    : { error: 'ambiguous', candidates: groups.map((g) => g.format) };
}
