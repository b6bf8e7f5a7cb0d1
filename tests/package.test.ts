import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  files: string[];
  bin: Record<string, string>;
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the published package', () => {
  it('declares every package the library imports at run time', () => {
    const imported = new Set<string>();
    for (const file of sources('src')) {
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:from |import\()\s*'([^.'][^']*)'/g)) {
        // Doc-comment examples import the package itself.
        if (m[1].startsWith('node:') || m[1] === 'stockcast') continue;
        imported.add(m[1].startsWith('@') ? m[1].split('/').slice(0, 2).join('/') : m[1].split('/')[0]);
      }
    }
    const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]);
    expect([...imported].filter((name) => !declared.has(name))).toEqual([]);
    // Nothing declared that the library does not use.
    expect(Object.keys(pkg.dependencies).filter((name) => !imported.has(name))).toEqual([]);
  });

  it('ships the compiled library, the CLI and the WebAssembly kernels', () => {
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'wasm']));
    expect(pkg.bin.stockcast).toBe('./dist/cli/main.js');
    expect(readFileSync('src/cli/main.ts', 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
  });
});
