/**
 * Numbers quoted in the README and docs come from docs/figures.json, written by the scripts that measure them
 * (`npm run bench -- --figures`, `node scripts/install-size.mjs --figures`). In the Markdown each one sits between
 * markers, `<!-- fig:name -->text<!-- /fig -->`; this script rewrites the text from the JSON (`--write`) or reports
 * where it differs (`--check`, the default); tests/figures.test.ts runs the check. Whole tables sit between
 * `<!-- table:name -->` and `<!-- /table -->`, their rows in docs/tables/name.md, written by the same scripts.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One measured number and where it came from. */
export interface Figure {
  /** The number as measured. */
  value: number;
  /** Decimals shown in the docs. */
  digits: number;
  /** Text after the number (` s`, ` MB`, `x`), if any. */
  suffix?: string;
  /** What measured it: a script or bench part that rewrites this entry. */
  source: string;
  /** When (ISO date) and on what (machine, load), as the measuring script recorded it. */
  measured: string;
}

export const FIGURES_FILE = 'docs/figures.json';
const MARKER = /<!-- fig:([A-Za-z0-9.-]+) -->([\s\S]*?)<!-- \/fig -->/g;
/** Whole tables: `<!-- table:name -->` ... `<!-- /table -->`, their rows from docs/tables/name.md. */
const TABLE = /<!-- table:([A-Za-z0-9.-]+) -->\n([\s\S]*?)<!-- \/table -->/g;
export const TABLES_DIR = 'docs/tables';

/** The figures, by name. */
export function readFigures(file = FIGURES_FILE): Record<string, Figure> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, Figure>;
}

/** How a figure reads in the docs. */
export function formatFigure(f: Figure): string {
  const shown = f.value.toLocaleString('en-US', { minimumFractionDigits: f.digits, maximumFractionDigits: f.digits });
  return `${shown}${f.suffix ?? ''}`;
}

/** The Markdown files that may quote figures: the README and docs/*.md. */
export function documents(): string[] {
  return [
    'README.md',
    ...readdirSync('docs')
      .filter((f) => f.endsWith('.md'))
      .map((f) => join('docs', f)),
  ];
}

/** Every marker in a text: its figure name and the text it holds. */
export function markers(text: string): Array<{ name: string; shown: string }> {
  return [...text.matchAll(MARKER)].map((m) => ({ name: m[1], shown: m[2] }));
}

/** Every table marker in a text: its name and the rows it holds. */
export function tableMarkers(text: string): Array<{ name: string; shown: string }> {
  return [...text.matchAll(TABLE)].map((m) => ({ name: m[1], shown: m[2] }));
}

/**
 * The text with every marker's content set from the figures and every table's from docs/tables/; throws on a
 * marker naming no figure or table.
 */
export function render(text: string, figures: Record<string, Figure>, where: string): string {
  const withFigures = text.replace(MARKER, (_, name: string) => {
    const f = figures[name];
    if (!f) throw new Error(`${where}: no figure "${name}" in ${FIGURES_FILE}`);
    return `<!-- fig:${name} -->${formatFigure(f)}<!-- /fig -->`;
  });
  return withFigures.replace(TABLE, (_, name: string) => {
    const file = join(TABLES_DIR, `${name}.md`);
    if (!existsSync(file)) throw new Error(`${where}: no table "${name}" (${file})`);
    return `<!-- table:${name} -->\n${readFileSync(file, 'utf8')}<!-- /table -->`;
  });
}

/** Records measured figures into the JSON, keeping the others. */
export function recordFigures(
  update: Record<string, Omit<Figure, 'measured'>>,
  measured: string,
  file = FIGURES_FILE,
): void {
  const figures = readFigures(file);
  for (const [name, f] of Object.entries(update)) figures[name] = { ...f, measured };
  const sorted = Object.fromEntries(Object.entries(figures).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(file, `${JSON.stringify(sorted, null, 2)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = readFigures();
  let drift = 0;
  for (const doc of documents()) {
    const text = readFileSync(doc, 'utf8');
    const next = render(text, figures, doc);
    if (next === text) continue;
    if (process.argv.includes('--write')) writeFileSync(doc, next);
    else {
      drift++;
      console.error(`${doc}: figures differ from ${FIGURES_FILE} (run: npx tsx scripts/figures.ts --write)`);
    }
  }
  process.exitCode = drift > 0 ? 1 : 0;
}
