// Builds wasm/kernels.wasm from csrc/kernels.c with clang's wasm32 target: SIMD128, shared memory (the
// engine's worker threads attach to the same memory), no fast-math. The built file is committed, so a fresh
// clone needs no compiler; rebuild with `npm run build:wasm` after changing csrc/. The output is reproducible
// byte for byte with the pinned clang (scripts/toolchain.json); `--verify` rebuilds into a temporary file and
// fails if it differs from the committed one (CI does this).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordBuild } from './kernel-digest.mjs';

const verify = process.argv.includes('--verify');
const clang = process.env.CLANG ?? 'clang';
const pinned = JSON.parse(readFileSync('scripts/toolchain.json', 'utf8'));
const OUT = 'wasm/kernels.wasm';
const fail = (message) => {
  console.error(`build-wasm: ${message}`);
  process.exit(1);
};

const probe = spawnSync(clang, ['--version'], { encoding: 'utf8' });
if (probe.status !== 0)
  fail(`${clang} not found (Debian: apt-get install clang lld); the committed ${OUT} still works`);
const found = probe.stdout.split('\n')[0].trim();
if (found !== pinned.clang) {
  const message = `${clang} is "${found}", the committed file was built with "${pinned.clang}"`;
  if (verify) fail(`${message}; install that version to verify the bytes`);
  console.warn(`build-wasm: ${message}; the output will differ from the committed file`);
}
const work = mkdtempSync(join(tmpdir(), 'stockcast-wasm-'));
try {
  const built = join(work, 'kernels.wasm');
  const args = [
    '--target=wasm32',
    '-O3',
    '-msimd128',
    '-matomics',
    '-mbulk-memory',
    '-mmutable-globals',
    '-nostdlib',
    '-fno-builtin',
    '-ffp-contract=off',
    '-DSC_WASM',
    '-Wall',
    '-Werror',
    '-Wl,--no-entry',
    '-Wl,--export-dynamic',
    '-Wl,--import-memory',
    '-Wl,--shared-memory',
    '-Wl,--max-memory=4294967296',
    '-Wl,--export=__heap_base',
    '-Wl,--export=__stack_pointer',
    '-Wl,-z,stack-size=65536',
    '-o',
    built,
    'csrc/kernels.c',
  ];
  const r = spawnSync(clang, args, { stdio: 'inherit' });
  if (r.status !== 0) fail('clang failed');
  const bytes = readFileSync(built);
  if (verify) {
    let committed;
    try {
      committed = readFileSync(OUT);
    } catch {
      fail(`${OUT} is missing: build it with npm run build:wasm and commit it`);
    }
    if (!bytes.equals(committed))
      fail(
        `${OUT} differs from a rebuild of csrc/ (${committed.length} bytes committed, ${bytes.length} rebuilt): rebuild with npm run build:wasm and commit it`,
      );
    console.log(`build-wasm: ${OUT} matches a rebuild of csrc/ (${bytes.length} bytes)`);
  } else {
    mkdirSync('wasm', { recursive: true });
    // Renamed into place, so a process loading the kernels never reads a half-written file.
    const tmp = `${OUT}.tmp-${process.pid}`;
    renameSync(built, tmp);
    renameSync(tmp, OUT);
    recordBuild('wasm', OUT);
    console.log(`build-wasm: ${OUT}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
