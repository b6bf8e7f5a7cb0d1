import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Installs the packed package into a fresh project, as a user would, and uses it there: the library, its CLI
// (workers and WebAssembly from dist/), and its type declarations with skipLibCheck off and no danfojs.
const dir = mkdtempSync(join(tmpdir(), 'stockcast-consumer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });

describe('npm pack + npm install into a new project', () => {
  it('works as an installed dependency: import, CLI, types', () => {
    npm(['pack', '--silent', '--pack-destination', dir], resolve('.'));
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    npm(['install', '--prefer-offline', '--no-save', `./${tarball}`], dir);
    copyFileSync('fixtures/ncsoft-weekly.csv', join(dir, 'ncsoft.csv'));

    writeFileSync(
      join(dir, 'use.mjs'),
      `import { readCsv, createForecaster, resolveEngine } from 'stockcast';
const s = await readCsv('ncsoft.csv');
const m = await createForecaster({ cell: 'gru', units: 4, lookback: 5, target: 'stock_price', epochs: 3 }).fit(s);
const f = await m.predict(s);
console.log(JSON.stringify({ engine: await resolveEngine('auto'), rows: s.length, date: new Date(f.timestamps[0]).toISOString().slice(0, 10) }));`,
    );
    expect(JSON.parse(execFileSync(process.execPath, ['use.mjs'], { cwd: dir, encoding: 'utf8' }))).toEqual({ engine: 'fused', rows: 23, date: '2021-08-29' });

    const cli = execFileSync(join(dir, 'node_modules/.bin/stockcast'), ['backtest', '--csv', 'ncsoft.csv', '--target', 'stock_price', '--models', 'naive,rnn', '--test-size', '4', '--lookback', '5', '--epochs', '2', '--units', '4', '--concurrency', '2', '--json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(Object.keys(JSON.parse(cli).models)).toEqual(expect.arrayContaining(['naive', 'rnn']));

    writeFileSync(join(dir, 'use.ts'), "import { readCsv, createForecaster, type Forecast } from 'stockcast';\nconst s = await readCsv('ncsoft.csv');\nconst f: Promise<Forecast> = createForecaster({ lookback: 5, target: 'stock_price' }).predict(s);\nvoid f;\n");
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: [] }, files: ['use.ts'] }));
    execFileSync(process.execPath, [resolve('node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
  }, 240_000);
});
