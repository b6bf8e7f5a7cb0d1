/** One self-contained HTML report (inline SVG charts, tables, options): it opens offline, with no scripts. */
import { platform } from '../platform/runtime.js';

/** A table in the report. */
export interface ReportTable {
  /** Heading above the table. */
  title: string;
  /** Column headers. */
  columns: string[];
  /** Cell values, one array per row. */
  rows: Array<Array<string | number>>;
}

/** The report's content. */
export interface ReportContent {
  /** Page title. */
  title: string;
  /** A sentence under the title. */
  subtitle?: string;
  /** Findings in words, shown above the charts (for example that a model loses to the naive forecast). */
  findings?: string[];
  /** A warning shown prominently above the charts. */
  warning?: string;
  /** SVG charts, in order. */
  charts: string[];
  /** Tables, in order. */
  tables: ReportTable[];
  /** The run's options and the data signature, shown as JSON. */
  details: Record<string, unknown>;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** Integers as they are, large values with one decimal, others with five significant digits; NaN (undefined) as n/a. */
const cell = (v: string | number) => {
  if (typeof v !== 'number') return v;
  if (Number.isNaN(v)) return 'n/a';
  if (!Number.isFinite(v) || Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1000 ? v.toFixed(1) : v.toPrecision(5);
};

/**
 * Renders the report to an HTML string. Charts are inlined SVG produced by stockcast itself; every text is escaped.
 * @param content - title, charts, tables and details
 * @returns the HTML document
 * @example
 * ```ts
 * import { renderReport } from 'stockcast';
 * const html = renderReport({ title: 'Backtest', charts: [], tables: [{ title: 'Metrics', columns: ['model', 'rmse'], rows: [['naive', 1.2]] }], details: {} });
 * ```
 */
export function renderReport(content: ReportContent): string {
  const tables = content.tables
    .map(
      (t) =>
        `<h2>${escapeHtml(t.title)}</h2>\n<table>\n<thead><tr>${t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>\n<tbody>\n${t.rows
          .map(
            (r) =>
              `<tr>${r.map((v) => `<td${typeof v === 'number' ? ' class="num"' : ''}>${escapeHtml(String(cell(v)))}</td>`).join('')}</tr>`,
          )
          .join('\n')}\n</tbody>\n</table>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="stockcast">
<title>${escapeHtml(content.title)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 64rem; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
.subtitle { color: #666; margin-top: 0; }
.chart { margin: 1rem 0; overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #ddd; padding: .25rem .6rem; text-align: left; } td.num { text-align: right; }
pre { background: #f6f6f6; padding: .8rem; overflow-x: auto; font-size: 12px; }
.note { color: #8a5a00; }
.warning { background: #fff4e0; border-left: 4px solid #d98a00; padding: .5rem .8rem; }
.finding { font-weight: 500; }
</style>
</head>
<body>
<h1>${escapeHtml(content.title)}</h1>
${content.subtitle ? `<p class="subtitle">${escapeHtml(content.subtitle)}</p>` : ''}
${content.warning ? `<p class="warning"><strong>Warning:</strong> ${escapeHtml(content.warning)}</p>` : ''}
${(content.findings ?? []).map((f) => `<p class="finding">${escapeHtml(f)}</p>`).join('\n')}
${content.charts.map((svg) => `<div class="chart">${svg}</div>`).join('\n')}
${tables}
<h2>Run details</h2>
<pre>${escapeHtml(JSON.stringify(content.details, null, 2))}</pre>
<p class="note">Backtests and strategy results are simulations on past data, not investment advice.</p>
</body>
</html>
`;
}

/**
 * Writes a report atomically.
 * @param path - the .html file
 * @param content - the report's content
 * @throws Error from the file system when the file cannot be written; {@link PersistenceError} in a browser (use renderReport)
 * @example
 * ```ts
 * import { writeReport } from 'stockcast';
 * await writeReport('report.html', { title: 'Run', charts: [], tables: [], details: { note: 'empty' } });
 * ```
 */
export async function writeReport(path: string, content: ReportContent): Promise<void> {
  await platform().writeTextFile(path, renderReport(content));
}
