/** Reads a CSV header (column names; date, symbol and value columns), and the record-numbered problem CSV reading throws. */

/** Thrown inside the parser with a record index; turned into a DataError with a line once the line is known. @internal */
export class RecordProblem extends Error {
  constructor(
    readonly record: number,
    readonly column: number | undefined,
    readonly problem: string,
    readonly hint?: string,
  ) {
    super(problem);
  }
}

const DATE_NAMES = ['date', 'timestamp', 'time', 'datetime'];
const SYMBOL_NAMES = ['symbol', 'ticker'];

/** The header's names as `"a", "b"`, for messages. */
function listed(names: string[]): string {
  return names.map((c) => `"${c}"`).join(', ');
}

/** The column names: a byte-order mark dropped, each trimmed, an empty one named like pandas reads it. @internal */
export function headerColumnNames(fields: string[]): string[] {
  // An empty header (pandas writes one over its index) is named like pandas reads it: "Unnamed: i".
  return fields.map((f, i) => (i === 0 ? f.replace(/^\ufeff/, '') : f).trim() || `Unnamed: ${i}`);
}

/** Refuses a name that appears twice (in a wide file: a symbol with two columns). @internal */
export function checkUniqueNames(names: string[], wide: boolean): void {
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      const what = wide
        ? `symbol "${name}" appears twice in the header (columns ${earlier + 1} and ${i + 1})`
        : `duplicate column name "${name}" in the header`;
      throw new RecordProblem(0, i + 1, what, wide ? 'each symbol needs exactly one column in a wide file' : undefined);
    }
    seen.set(name, i);
  });
}

/** The date column: the one named, else the first called date, timestamp, time or datetime (any case). @internal */
export function dateColumnIndex(names: string[], dateColumn: string | undefined): number {
  const index = dateColumn ? names.indexOf(dateColumn) : names.findIndex((c) => DATE_NAMES.includes(c.toLowerCase()));
  if (index < 0) {
    const what = dateColumn
      ? `no date column "${dateColumn}"`
      : 'no date column (looked for date, timestamp, time, datetime)';
    throw new RecordProblem(
      0,
      undefined,
      `${what}: the header has ${listed(names)}`,
      'pass dateColumn: "<name>" (CLI: --date-column <name>)',
    );
  }
  return index;
}

/** A long file's symbol column: the one named, else the first called symbol or ticker (any case). @internal */
export function symbolColumnIndex(names: string[], given: string | undefined, dateIndex: number): number {
  const index = given ? names.indexOf(given) : names.findIndex((c) => SYMBOL_NAMES.includes(c.toLowerCase()));
  if (index < 0 || index === dateIndex) {
    const what = given ? `no symbol column "${given}"` : 'no symbol column (looked for symbol, ticker)';
    throw new RecordProblem(
      0,
      undefined,
      `${what}: the header has ${listed(names)}`,
      'pass symbolColumn: "<name>" (CLI: --symbol-column <name>), or wide: true (CLI: --wide) for one column per symbol',
    );
  }
  return index;
}

/** Where the date and symbol columns are (-1: none), so value columns can be told apart from them. @internal */
export interface KeyColumns {
  dateIndex: number;
  symbolIndex: number;
}

/**
 * The value columns to read, by name and index: those wanted (default: all but the date and symbol columns).
 * @internal
 */
export function valueColumns(
  fields: string[],
  names: string[],
  wanted: string[] | undefined,
  keys: KeyColumns,
  wide: boolean,
): { name: string; index: number }[] {
  const { dateIndex, symbolIndex } = keys;
  const others = names.filter((_, i) => i !== dateIndex && i !== symbolIndex);
  const chosen = wanted ?? others;
  if (chosen.length === 0)
    throw new RecordProblem(0, undefined, `no value columns besides the date column "${names[dateIndex]}"`);
  return chosen.map((name) => {
    const index = names.indexOf(name);
    if (index < 0 || index === dateIndex || index === symbolIndex) {
      const list = listed(names);
      throw new RecordProblem(
        0,
        undefined,
        wide
          ? `no column for symbol "${name}": the header has ${list}`
          : `no value column "${name}": the header has ${list}`,
      );
    }
    if (wide && /^Unnamed: \d+$/.test(name) && fields[index].trim() === '') {
      throw new RecordProblem(
        0,
        index + 1,
        `empty symbol name in the header of a wide file (column ${index + 1})`,
        'name the column, or list the symbols to read with symbols (CLI: --symbols)',
      );
    }
    return { name, index };
  });
}
