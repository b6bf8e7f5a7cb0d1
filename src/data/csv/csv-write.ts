/** Writes a Series or a Panel back to CSV text (ISO dates, full-precision numbers) with papaparse. */
import Papa from 'papaparse';
import type { Panel } from '../panel.js';
import type { Series } from '../series.js';

/**
 * Formats a series as CSV: a `date` column (ISO date for daily and longer data, ISO date-time for intraday),
 * then one column per series column. `parseCsv` reads it back to the same series.
 *
 * @param series - the series
 * @returns CSV text with a header line
 * @example
 * ```ts
 * import { formatCsv, Series } from 'stockcast';
 * formatCsv(Series.create({ timestamps: [0], columns: { close: [1.5] } })); // 'date,close\n1970-01-01,1.5\n'
 * ```
 */
export function formatCsv(series: Series): string {
  const intraday =
    series.meta.frequency === 'intraday' || Array.from(series.timestamps).some((t) => t % 86_400_000 !== 0);
  const columns = series.columns;
  const values = columns.map((c) => series.columnRef(c));
  const rows = Array.from({ length: series.length }, (_, i) => {
    const iso = new Date(series.timestampAt(i)).toISOString();
    return [intraday ? iso : iso.slice(0, 10), ...values.map((v) => String(v[i]))];
  });
  return `${Papa.unparse({ fields: ['date', ...columns], data: rows }, { newline: '\n' })}\n`;
}

/**
 * Formats a panel as one long CSV: `symbol`, `date`, then one column per panel column, rows grouped by symbol
 * in the panel's order. `parsePanelCsv` reads it back to the same panel.
 *
 * @param panel - the panel
 * @returns CSV text with a header line
 * @example
 * ```ts
 * import { formatPanelCsv, Panel, Series } from 'stockcast';
 * const s = Series.create({ timestamps: [0], columns: { close: [1.5] } });
 * formatPanelCsv(Panel.create({ A: s })); // 'symbol,date,close\nA,1970-01-01,1.5\n'
 * ```
 */
export function formatPanelCsv(panel: Panel): string {
  const columns = panel.columns;
  const intraday =
    [...panel].some(([, s]) => s.meta.frequency === 'intraday') ||
    Array.from(panel.timestamps).some((t) => t % 86_400_000 !== 0);
  const data: string[][] = [];
  for (const [symbol, s] of panel) {
    const values = columns.map((c) => s.columnRef(c));
    for (let i = 0; i < s.length; i++) {
      const iso = new Date(s.timestampAt(i)).toISOString();
      data.push([symbol, intraday ? iso : iso.slice(0, 10), ...values.map((v) => String(v[i]))]);
    }
  }
  return `${Papa.unparse({ fields: ['symbol', 'date', ...columns], data }, { newline: '\n' })}\n`;
}
