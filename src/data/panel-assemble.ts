/** Turns raw rows tagged with symbols into a Panel: one Series per symbol, each with its own missing and duplicate handling and ingest report. */
import { DataError, type SourceLocation } from '../errors.js';
import { assembleSeries, type DuplicatePolicy, type MissingPolicy } from './assemble.js';
import { Panel } from './panel.js';
import type { Series } from './series.js';

/** Rows of several symbols in source order; missing values are NaN. @internal */
export interface RawPanelRows {
  timestamps: Float64Array;
  columns: Map<string, Float64Array>;
  /** The symbol of each row, as an index into `symbols`. */
  codes: Int32Array;
  symbols: readonly string[];
  /** Where source row `i` is, for error messages. */
  locate: (row: number) => SourceLocation;
}

/** Policies and metadata of a panel assembly. @internal */
export interface PanelPolicy {
  missing: MissingPolicy;
  duplicates: DuplicatePolicy;
  source: string;
  /** The symbols asked for, in order; each must have rows. Default: every symbol, in order of first appearance. */
  symbols?: readonly string[] | undefined;
}

/**
 * A DataError that names the symbol, for sources whose errors carry no file and line.
 * @internal
 */
export function withSymbol(e: unknown, symbol: string): unknown {
  if (!(e instanceof DataError) || e.location.line !== undefined) return e;
  const bare = e.hint ? e.message.slice(0, e.message.length - ` (hint: ${e.hint})`.length) : e.message;
  return new DataError(`symbol "${symbol}": ${bare}`, {}, { cause: e, ...(e.hint ? { hint: e.hint } : {}) });
}

/**
 * Assembles one symbol's rows (source order) into a Series, failing when none are left.
 * @internal
 */
export function assembleSymbol(raw: RawPanelRows, rows: Int32Array, symbol: string, policy: PanelPolicy): Series {
  const timestamps = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) timestamps[i] = raw.timestamps[rows[i]];
  const columns = new Map<string, Float64Array>();
  for (const [name, values] of raw.columns) {
    const out = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]];
    columns.set(name, out);
  }
  let series: Series;
  try {
    series = assembleSeries({ timestamps, columns, locate: (row) => raw.locate(rows[row]) }, policy, {
      source: policy.source,
      symbol,
    });
  } catch (e) {
    throw withSymbol(e, symbol);
  }
  if (series.length === 0) {
    throw new DataError(
      `symbol "${symbol}" has no rows left: the missing policy "${policy.missing}" dropped all ${rows.length}`,
      {},
      { hint: 'try missing: "ffill", or leave the symbol out' },
    );
  }
  return series;
}

/**
 * Groups rows by symbol (keeping source order within each) and assembles a Series per symbol.
 * @internal
 */
export function assemblePanel(raw: RawPanelRows, policy: PanelPolicy): Panel {
  const k = raw.symbols.length;
  const counts = new Int32Array(k + 1);
  for (let i = 0; i < raw.codes.length; i++) counts[raw.codes[i] + 1]++;
  for (let c = 0; c < k; c++) counts[c + 1] += counts[c];
  const order = new Int32Array(raw.codes.length);
  const next = counts.slice(0, k);
  for (let i = 0; i < raw.codes.length; i++) order[next[raw.codes[i]]++] = i;
  const wanted = policy.symbols ?? raw.symbols;
  const index = new Map(raw.symbols.map((s, i) => [s, i]));
  const entries: Array<[string, Series]> = [];
  for (const symbol of wanted) {
    const c = index.get(symbol);
    if (c === undefined) {
      const found =
        raw.symbols
          .slice(0, 10)
          .map((s) => `"${s}"`)
          .join(', ') + (raw.symbols.length > 10 ? ` and ${raw.symbols.length - 10} more` : '');
      const file = raw.codes.length > 0 ? raw.locate(0).file : undefined;
      throw new DataError(
        `symbol "${symbol}" has no rows: the symbols found are ${found || 'none'}`,
        file ? { file } : {},
        { hint: 'check the spelling, or leave it out of symbols' },
      );
    }
    entries.push([symbol, assembleSymbol(raw, order.subarray(counts[c], counts[c + 1]), symbol, policy)]);
  }
  return Panel.create(entries, { source: policy.source });
}
