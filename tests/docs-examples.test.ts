import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseResultComment } from './helpers/result-comments.js';

// Every @example in the public API's TSDoc and every TypeScript block in README.md and docs/ must compile against
// the current API (imports of 'stockcast' point at src/index.ts; in the browser entry's files and the browser
// guide at src/browser.ts), so the documentation cannot drift from the code.
const root = resolve('.');
const dir = mkdtempSync(join(root, 'test-artifacts-snippets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function files(d: string, ext: string): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(d, e.name), ext) : e.name.endsWith(ext) ? [join(d, e.name)] : [],
  );
}

function snippets(): Array<{ where: string; code: string }> {
  const out: Array<{ where: string; code: string }> = [];
  for (const file of files('src', '.ts')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/@example\s*\n\s*\*\s*```ts\n([\s\S]*?)\n\s*\*\s*```/g)) {
      out.push({
        where: `${file} @example`,
        code: m[1]
          .split('\n')
          .map((l) => l.replace(/^\s*\* ?/, ''))
          .join('\n'),
      });
    }
  }
  for (const file of ['README.md', ...files('docs', '.md').filter((f) => !f.includes('/api/'))]) {
    for (const m of readFileSync(file, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)) out.push({ where: file, code: m[1] });
  }
  return out;
}

/** Snippets written for the browser entry. */
const forBrowser = (where: string) => /^src\/browser\/|^src\/browser\.ts|docs\/browser\.md/.test(where);

describe('documentation examples', () => {
  it('all compile against the current API', () => {
    const all = snippets();
    expect(all.length).toBeGreaterThan(60);
    const index = relative(dir, join(root, 'src/index.js'));
    const browserIndex = relative(dir, join(root, 'src/browser.js'));
    const names = all.map((s, i) => {
      const name = `snippet-${i}.ts`;
      const code = s.code.replace(/from 'stockcast'/g, `from '${forBrowser(s.where) ? browserIndex : index}'`);
      // A module of its own (top-level await allowed), with where it came from for the error message.
      writeFileSync(join(dir, name), `// ${s.where}\nexport {};\n${code}\n`);
      return name;
    });
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: relative(dir, join(root, 'tsconfig.json')),
        compilerOptions: { noUnusedLocals: false, noEmit: true, rootDir: root },
        include: [],
        files: names,
      }),
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

  it('their result comments are true: each `expr; // value` line is run and compared', () => {
    const index = relative(dir, join(root, 'src/index.js'));
    const runnable: string[] = [];
    snippets().forEach((s, i) => {
      // Snippets that need the network (market data) compile above but cannot run offline.
      if (/fetchYahoo/.test(s.code)) return;
      // The browser entry's snippets compile above; they run in Chromium (tests/browser*.test.ts), not here.
      if (forBrowser(s.where)) return;
      let checks = 0;
      const lines = s.code.split('\n').map((line) => {
        const m = /^(\s*)(?!const |let |var |import |export |for |if )(.+?);\s*\/\/\s*(.+)$/.exec(line);
        const expected = m && parseResultComment(m[3]);
        if (!m || expected === undefined) return line;
        checks++;
        const expr = /^console\.log\((.*)\)$/.exec(m[2])?.[1] ?? m[2];
        return `${m[1]}(globalThis as any).__check(${expr}, ${JSON.stringify(expected)}, ${JSON.stringify(`${s.where}: ${m[2]}`)});`;
      });
      if (checks === 0) return;
      const name = `checked-${i}.ts`;
      writeFileSync(
        join(dir, name),
        `export {};\n${lines.join('\n').replace(/from 'stockcast'/g, `from '${index}'`)}\n`,
      );
      runnable.push(name);
    });
    expect(runnable.length).toBeGreaterThan(20);
    writeFileSync(
      join(dir, 'run-checked.ts'),
      `import { matches } from '${relative(dir, join(root, 'tests/helpers/result-comments.js'))}';
const failures: string[] = [];
let checked = 0;
(globalThis as any).__check = (actual: unknown, expected: any, where: string) => {
  checked++;
  if (!matches(actual, expected)) failures.push(where + ' gave ' + (ArrayBuffer.isView(actual) ? actual.constructor.name + ' [' + Array.from(actual as any).join(', ') + ']' : JSON.stringify(actual)) + ', the comment says ' + JSON.stringify(expected));
};
for (const file of ${JSON.stringify(runnable)}) {
  try {
    await import('./' + file);
  } catch (e) {
    failures.push(file + ' threw ' + (e as Error).message);
  }
}
console.log(JSON.stringify({ checked, failures }));
`,
    );
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(dir, 'run-checked.ts')], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    const { checked, failures } = JSON.parse(out.trim().split('\n').at(-1)!) as { checked: number; failures: string[] };
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(25);
  }, 300_000);
});
