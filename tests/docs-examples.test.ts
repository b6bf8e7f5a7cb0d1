import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Every @example in the public API's TSDoc and every TypeScript block in README.md and docs/ must compile against
// the current API (imports of 'stockcast' point at src/index.ts), so the documentation cannot drift from the code.
const root = resolve('.');
const dir = mkdtempSync(join(root, 'test-artifacts-snippets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function files(d: string, ext: string): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name), ext) : e.name.endsWith(ext) ? [join(d, e.name)] : []));
}

function snippets(): Array<{ where: string; code: string }> {
  const out: Array<{ where: string; code: string }> = [];
  for (const file of files('src', '.ts')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/@example\s*\n\s*\*\s*```ts\n([\s\S]*?)\n\s*\*\s*```/g)) {
      out.push({ where: `${file} @example`, code: m[1].split('\n').map((l) => l.replace(/^\s*\* ?/, '')).join('\n') });
    }
  }
  for (const file of ['README.md', ...files('docs', '.md').filter((f) => !f.includes('/api/'))]) {
    for (const m of readFileSync(file, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)) out.push({ where: file, code: m[1] });
  }
  return out;
}

describe('documentation examples', () => {
  it('all compile against the current API', () => {
    const all = snippets();
    expect(all.length).toBeGreaterThan(60);
    const index = relative(dir, join(root, 'src/index.js'));
    const names = all.map((s, i) => {
      const name = `snippet-${i}.ts`;
      const code = s.code.replace(/from 'stockcast'/g, `from '${index}'`);
      // A module of its own (top-level await allowed), with where it came from for the error message.
      writeFileSync(join(dir, name), `// ${s.where}\nexport {};\n${code}\n`);
      return name;
    });
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: relative(dir, join(root, 'tsconfig.json')), compilerOptions: { noUnusedLocals: false, noEmit: true, rootDir: root }, include: [], files: names }),
    );
    let output = '';
    try {
      execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
    } catch (e) {
      output = (e as { stdout: string }).stdout;
    }
    // Name the source of each failing snippet.
    const failing = [...new Set([...output.matchAll(/snippet-(\d+)\.ts/g)].map((m) => all[Number(m[1])].where))];
    expect(failing, output.slice(0, 3000)).toEqual([]);
  }, 120_000);
});
