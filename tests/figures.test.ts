import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documents, formatFigure, markers, readFigures, render, TABLES_DIR, tableMarkers } from '../scripts/figures.js';

// Numbers the README and docs quote are written by the scripts that measure them into docs/figures.json and
// shown between markers; this keeps the text and the JSON in step (scripts/figures.ts --write fixes a drift).
const figures = readFigures();

describe('figures quoted in the docs', () => {
  it('every marker shows its figure as docs/figures.json has it', () => {
    for (const doc of documents()) {
      const text = readFileSync(doc, 'utf8');
      for (const m of markers(text)) {
        expect(figures[m.name], `${doc}: figure ${m.name}`).toBeDefined();
        expect(m.shown, `${doc}: figure ${m.name}`).toBe(formatFigure(figures[m.name]));
      }
      expect(render(text, figures, doc)).toBe(text);
    }
  });

  it('every figure is quoted somewhere and names the script that measures it', () => {
    const used = new Set(documents().flatMap((doc) => markers(readFileSync(doc, 'utf8')).map((m) => m.name)));
    for (const [name, f] of Object.entries(figures)) {
      expect(used.has(name), `figure ${name} is quoted nowhere`).toBe(true);
      expect(Number.isFinite(f.value)).toBe(true);
      expect(f.measured, name).toMatch(/^\d{4}-\d{2}-\d{2}/);
      const script = /(scripts\/[\w.-]+|npm run bench)/.exec(f.source)?.[1];
      expect(script, `${name}: source ${f.source}`).toBeDefined();
      if (script!.startsWith('scripts/')) expect(existsSync(script!), script).toBe(true);
    }
  });

  it('every table file is quoted, and every quoted table shows its file', () => {
    const quoted = documents().flatMap((doc) => tableMarkers(readFileSync(doc, 'utf8')).map((m) => ({ doc, ...m })));
    for (const file of readdirSync(TABLES_DIR)) {
      const name = file.replace(/\.md$/, '');
      const uses = quoted.filter((q) => q.name === name);
      expect(uses.length, `table ${name} is quoted nowhere`).toBeGreaterThan(0);
      for (const q of uses)
        expect(q.shown, `${q.doc}: table ${name}`).toBe(readFileSync(`${TABLES_DIR}/${file}`, 'utf8'));
    }
  });

  it('the quickstart quotes no timing that nothing measures', () => {
    const readme = readFileSync('README.md', 'utf8');
    const quickstart = readme.slice(
      readme.indexOf('## Quickstart'),
      readme.indexOf('##', readme.indexOf('## Quickstart') + 3),
    );
    expect(quickstart).not.toMatch(/\d+(\.\d+)? ?s on two cores/);
  });

  it('formats: digits and suffix', () => {
    expect(formatFigure({ value: 0.8949, digits: 2, suffix: 'x', source: '', measured: '' })).toBe('0.89x');
    expect(formatFigure({ value: 1234.5, digits: 0, suffix: ' MB', source: '', measured: '' })).toBe('1,235 MB');
  });
});
