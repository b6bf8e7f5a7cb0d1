import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeKernels } from '../src/models/engines/fused/kernels.js';
import { readFigures } from '../scripts/figures.js';
import { packageCount } from '../scripts/install-size.js';

// Installs the packed package into a fresh project, as a user would, and uses it there: the library, its CLI
// (workers and WebAssembly from dist/), and its type declarations with skipLibCheck off and no danfojs.
const dir = mkdtempSync(join(tmpdir(), 'stockcast-consumer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
  });

/** Bytes of every file under a folder (what `du -sb` counts for files; symlinks not followed). */
function treeBytes(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) total += treeBytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

describe('npm pack + npm install into a new project', () => {
  beforeAll(() => {
    // --ignore-scripts: dist/ is built once before the suite (tests/helpers/global-setup.ts); rebuilding it here would race the CLI tests.
    npm(['pack', '--silent', '--ignore-scripts', '--pack-destination', dir], resolve('.'));
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    npm(['install', '--prefer-offline', '--no-save', `./${tarball}`], dir);
    copyFileSync('fixtures/ncsoft-weekly.csv', join(dir, 'ncsoft.csv'));
  }, 300_000);

  it('is a light install: no TensorFlow.js, no queue libraries, at most 100 MB of node_modules, the CLI forecasts on the fast engine', () => {
    const modules = join(dir, 'node_modules');
    // The tfjs engine's packages and the job queue's are optional peers: not installed unless the user asks for them.
    for (const pkg of ['@tensorflow', 'core-js', 'bullmq', 'ioredis', '@stdlib'])
      expect(existsSync(join(modules, pkg)), pkg).toBe(false);
    const mb = treeBytes(modules) / 1e6;
    expect(mb).toBeLessThanOrEqual(100);
    // The README quotes the size and package count from docs/figures.json (scripts/install-size.ts --figures):
    // they must still describe this install.
    const figures = readFigures();
    expect(Math.abs(figures.installSizeMB.value - mb), 'installSizeMB in docs/figures.json').toBeLessThan(3);
    expect(Math.abs(figures.installPackages.value - packageCount(modules)), 'installPackages').toBeLessThanOrEqual(5);
    writeFileSync(join(dir, 'install-size.json'), JSON.stringify({ nodeModulesMB: mb }));

    const cli = (args: string[]) =>
      spawnSync(join(modules, '.bin/stockcast'), args, {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, CI: 'true' },
      });
    const forecast = cli([
      'forecast',
      '--csv',
      'ncsoft.csv',
      '--target',
      'stock_price',
      '--cell',
      'lstm',
      '--lookback',
      '5',
      '--epochs',
      '3',
      '--units',
      '4',
      '--json',
    ]);
    expect(forecast.status, forecast.stderr).toBe(0);
    const out = JSON.parse(forecast.stdout) as { forecast: { date: string; value: number }[] };
    expect(out.forecast.map((p) => p.date)).toEqual(['2021-08-29']);
    expect(Number.isFinite(out.forecast[0].value)).toBe(true);
    const info = JSON.parse(cli(['info', '--json']).stdout) as {
      engine: string;
      tfjs: string | null;
      backend: string | null;
    };
    expect(info).toMatchObject({ engine: 'fused', tfjs: null, backend: null });

    // Asking for the tfjs engine without the package: a typed error naming what to install, exit code 2 or 1, no stack.
    const tfjs = cli([
      'forecast',
      '--csv',
      'ncsoft.csv',
      '--target',
      'stock_price',
      '--lookback',
      '5',
      '--epochs',
      '1',
      '--units',
      '4',
      '--engine',
      'tfjs',
    ]);
    expect(tfjs.status).not.toBe(0);
    expect(tfjs.stderr).toMatch(/BackendError|backend/i);
    expect(tfjs.stderr).toMatch(/npm install @tensorflow\/tfjs/);
    expect(tfjs.stderr).not.toMatch(/^\s+at /m);
    const api = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { setBackend } from 'stockcast'; try { await setBackend('cpu'); } catch (e) { console.log(e.name, e.code, e.message); }",
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(api.stdout).toMatch(/^BackendError \S+ the tfjs engine needs @tensorflow\/tfjs, which is not installed/);

    // The webgpu engine's npm webgpu (Dawn) is an optional peer too: asking for the engine names it.
    expect(existsSync(join(modules, 'webgpu'))).toBe(false);
    const gpuArgs = ['--target', 'stock_price', '--lookback', '5', '--epochs', '1', '--units', '4'];
    const gpu = cli(['forecast', '--csv', 'ncsoft.csv', ...gpuArgs, '--engine', 'webgpu']);
    expect(gpu.status).not.toBe(0);
    expect(gpu.stderr).toMatch(/BackendError|backend/i);
    expect(gpu.stderr).toMatch(/the webgpu engine needs the npm package webgpu/);
    expect(gpu.stderr).not.toMatch(/^\s+at /m);

    // The job queue without bullmq and ioredis: a QueueError naming both and the install command, from the API and
    // from the CLI (`stockcast worker`, `--redis`), before any connection is tried.
    const queueApi = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { runWorker } from 'stockcast'; try { await runWorker({ queue: { connection: 'redis://127.0.0.1:1' } }); } catch (e) { console.log(e.name, e.code, e.message, e.hint); }",
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(queueApi.stdout).toMatch(
      /^QueueError QUEUE_ERROR the job queue needs bullmq and ioredis, which are not installed \(hint: npm install bullmq ioredis: optional peers/,
    );
    const worker = cli(['worker', '--redis', 'redis://127.0.0.1:1']);
    expect(worker.status).toBe(1);
    expect(worker.stderr).toMatch(
      /QueueError: the job queue needs bullmq and ioredis, which are not installed \(hint: npm install bullmq ioredis/,
    );
    const queued = cli([
      'backtest',
      '--csv',
      'ncsoft.csv',
      '--target',
      'stock_price',
      '--models',
      'rnn',
      '--test-size',
      '4',
      '--lookback',
      '5',
      '--epochs',
      '1',
      '--units',
      '4',
      '--redis',
      'redis://127.0.0.1:1',
    ]);
    expect(queued.status).toBe(1);
    expect(queued.stderr).toMatch(/npm install bullmq ioredis/);
  }, 300_000);

  it('works as an installed dependency: import, CLI, types', () => {
    writeFileSync(
      join(dir, 'use.mjs'),
      `import { readCsv, createForecaster, resolveEngine } from 'stockcast';
const s = await readCsv('ncsoft.csv');
const m = await createForecaster({ cell: 'gru', units: 4, lookback: 5, target: 'stock_price', epochs: 3 }).fit(s);
const f = await m.predict(s);
console.log(JSON.stringify({ engine: await resolveEngine('auto'), rows: s.length, date: new Date(f.timestamps[0]).toISOString().slice(0, 10) }));`,
    );
    expect(JSON.parse(execFileSync(process.execPath, ['use.mjs'], { cwd: dir, encoding: 'utf8' }))).toEqual({
      engine: 'fused',
      rows: 23,
      date: '2021-08-29',
    });

    const cli = execFileSync(
      join(dir, 'node_modules/.bin/stockcast'),
      [
        'backtest',
        '--csv',
        'ncsoft.csv',
        '--target',
        'stock_price',
        '--models',
        'naive,rnn',
        '--test-size',
        '4',
        '--lookback',
        '5',
        '--epochs',
        '2',
        '--units',
        '4',
        '--concurrency',
        '2',
        '--json',
      ],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } },
    );
    expect(Object.keys(JSON.parse(cli).models)).toEqual(expect.arrayContaining(['naive', 'rnn']));

    writeFileSync(
      join(dir, 'use.ts'),
      "import { readCsv, createForecaster, type Forecast } from 'stockcast';\nconst s = await readCsv('ncsoft.csv');\nconst f: Promise<Forecast> = createForecaster({ lookback: 5, target: 'stock_price' }).predict(s);\nvoid f;\n",
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
        },
        files: ['use.ts'],
      }),
    );
    const tsc = spawnSync(process.execPath, [resolve('node_modules/typescript/bin/tsc'), '-p', dir], {
      encoding: 'utf8',
    });
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);

    // The fused engine's kernels: native from prebuilds/ where they load, WebAssembly once the native file is gone,
    // with the same predictions to float rounding (the two builds differ only in multiply-add rounding).
    writeFileSync(
      join(dir, 'kernels.mjs'),
      `import { readCsv, createForecaster, fusedKernels } from 'stockcast';
const s = await readCsv('ncsoft.csv');
const m = await createForecaster({ cell: 'lstm', units: 16, lookback: 5, target: 'stock_price', epochs: 20, seed: 3, threads: 2 }).fit(s);
console.log(JSON.stringify({ kernels: fusedKernels(), run: m.training.run, values: Array.from((await m.predict(s)).values) }));`,
    );
    const run = () =>
      JSON.parse(execFileSync(process.execPath, ['kernels.mjs'], { cwd: dir, encoding: 'utf8' })) as {
        kernels: { kind: string; reason: string };
        run: { kernels: string };
        values: number[];
      };
    const native = run();
    const prebuilds = join(dir, 'node_modules/stockcast/prebuilds');
    expect(existsSync(join(prebuilds, 'linux-x64/stockcast.napi.glibc.node'))).toBe(true);
    expect(native.kernels.kind).toBe(nativeKernels() ? 'native' : 'wasm');
    expect(native.run.kernels).toBe(native.kernels.kind);
    rmSync(prebuilds, { recursive: true });
    const wasm = run();
    expect(wasm.kernels.kind).toBe('wasm');
    expect(wasm.kernels.reason).toMatch(
      /^WebAssembly SIMD kernels: the native kernels could not be loaded \(No native build was found/,
    );
    expect(wasm.run.kernels).toBe('wasm');
    expect(wasm.values.length).toBe(1);
    wasm.values.forEach((v, i) =>
      expect(Math.abs(v - native.values[i])).toBeLessThan(1e-3 * Math.abs(native.values[i])),
    );
  }, 300_000);
});
