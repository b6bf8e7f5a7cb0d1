/**
 * Measures what a user installs: packs this package, installs the tarball into a new project (no optional peers),
 * and prints the apparent size of node_modules (bytes of files) and its packages; `--figures` records both into
 * docs/figures.json, which the README quotes (tests/package-install.test.ts checks them against a fresh install).
 * Usage: npx tsx scripts/install-size.ts [--json] [--figures]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { recordFigures } from './figures.js';

/** Bytes of every file under a folder (symlinks not followed). */
export function treeBytes(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) total += treeBytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

/** Installed packages: each node_modules/<name> or node_modules/@scope/<name> with a package.json, nested too. */
export function packageCount(modules: string): number {
  let count = 0;
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === '.bin' || entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.name.startsWith('@')) {
        visit(full);
        continue;
      }
      try {
        statSync(join(full, 'package.json'));
      } catch {
        continue;
      }
      count++;
      const nested = join(full, 'node_modules');
      try {
        if (statSync(nested).isDirectory()) visit(nested);
      } catch {
        // no nested node_modules
      }
    }
  };
  visit(modules);
  return count;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = mkdtempSync(join(tmpdir(), 'stockcast-size-'));
  try {
    const quiet = { npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
    const env = { ...process.env, ...quiet };
    execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', dir], {
      cwd: resolve('.'),
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--prefer-offline', '--no-save', `./${tarball}`], {
      cwd: dir,
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const modules = join(dir, 'node_modules');
    const scoped = (scope: string): number => {
      try {
        return readdirSync(join(modules, scope)).length;
      } catch {
        return 0;
      }
    };
    const result = {
      nodeModulesMB: Math.round(treeBytes(modules) / 1e5) / 10,
      packages: packageCount(modules),
      stdlibPackages: scoped('@stdlib'),
      tarballKB: Math.round(statSync(join(dir, tarball)).size / 1e3),
      version: JSON.parse(readFileSync('package.json', 'utf8')).version,
    };
    if (process.argv.includes('--figures')) {
      const source = 'npx tsx scripts/install-size.ts --figures (npm pack, npm install into a new project, no peers)';
      const npmVersion = execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim();
      recordFigures(
        {
          installSizeMB: { value: result.nodeModulesMB, digits: 0, suffix: ' MB', source },
          installPackages: { value: result.packages, digits: 0, source },
        },
        `${new Date().toISOString().slice(0, 10)}, npm ${npmVersion}`,
      );
    }
    console.log(
      process.argv.includes('--json')
        ? JSON.stringify(result)
        : `${result.nodeModulesMB} MB in ${result.packages} packages (${result.stdlibPackages} under @stdlib), tarball ${result.tarballKB} kB`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
