// Builds the native kernels (prebuilds/linux-x64/stockcast.napi.glibc.node) from csrc/ with Debian's gcc and
// the node-api-headers package: csrc/kernels.c three times (AVX2+FMA, AVX-512, and 16 lanes on AVX2 for tests)
// plus the Node-API entry csrc/native/addon.c. The output is reproducible byte for byte with the pinned gcc
// (scripts/toolchain.json); `--verify` rebuilds into a temporary file and fails if it differs from the committed one.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { recordBuild } from './kernel-digest.mjs';

const verify = process.argv.includes('--verify');
const gcc = process.env.CC ?? 'gcc';
const pinned = JSON.parse(readFileSync('scripts/toolchain.json', 'utf8'));
const OUT = 'prebuilds/linux-x64/stockcast.napi.glibc.node';

const fail = (message) => {
  console.error(`build-native: ${message}`);
  process.exit(1);
};
if (process.platform !== 'linux' || process.arch !== 'x64')
  fail(
    `the native kernels build on Linux x86-64 only (this is ${process.platform}-${process.arch}); the WebAssembly kernels run everywhere`,
  );
const version = spawnSync(gcc, ['--version'], { encoding: 'utf8' });
if (version.status !== 0) fail(`${gcc} not found (Debian: apt-get install gcc)`);
const found = version.stdout.split('\n')[0].trim();
if (!found.endsWith(pinned.gcc)) {
  const message = `${gcc} is "${found}", the committed binary was built with gcc ${pinned.gcc}`;
  if (verify) fail(`${message}; install that version to verify the bytes`);
  console.warn(`build-native: ${message}; the output will differ from the committed file`);
}
const headers = join(dirname(createRequire(import.meta.url).resolve('node-api-headers/package.json')), 'include');

// Same flags for every object: no fast-math, no contraction (multiply-adds are explicit), position-independent.
const common = [
  '-std=c11',
  '-O3',
  '-fPIC',
  '-fvisibility=hidden',
  '-ffp-contract=off',
  '-fno-math-errno',
  '-fno-plt',
  '-Wall',
  '-Wextra',
  '-Werror',
  '-Wno-unused-parameter',
  `-ffile-prefix-map=${process.cwd()}=.`,
  '-frandom-seed=stockcast',
];
const variants = [
  ['avx2', ['-DSC_AVX2', '-DSC_PREFIX=avx2_', '-mavx2', '-mfma']],
  ['avx512', ['-DSC_AVX512', '-DSC_PREFIX=avx512_', '-mavx2', '-mfma', '-mavx512f']],
  ['emu16', ['-DSC_EMU16', '-DSC_PREFIX=emu16_', '-mavx2', '-mfma']],
];
const work = mkdtempSync(join(tmpdir(), 'stockcast-native-'));
const run = (args) => {
  const r = spawnSync(gcc, args, { stdio: 'inherit' });
  if (r.status !== 0) fail(`${gcc} ${args.join(' ')} failed`);
};
try {
  const objects = [];
  for (const [name, flags] of variants) {
    const obj = join(work, `kernels-${name}.o`);
    // Kernel symbols stay visible inside the library only (the addon calls them; nothing else may).
    run([...common, ...flags, '-c', 'csrc/kernels.c', '-o', obj]);
    objects.push(obj);
  }
  const addon = join(work, 'addon.o');
  run([...common, `-I${headers}`, '-c', 'csrc/native/addon.c', '-o', addon]);
  const lib = join(work, 'stockcast.node');
  run([
    '-shared',
    '-s',
    '-Wl,--build-id=none',
    '-Wl,-O1',
    '-Wl,--as-needed',
    '-Wl,-z,relro,-z,now',
    '-o',
    lib,
    addon,
    ...objects,
  ]);
  if (verify) {
    const a = readFileSync(lib);
    let b;
    try {
      b = readFileSync(OUT);
    } catch {
      fail(`${OUT} is missing: build it with npm run build:native and commit it`);
    }
    if (!a.equals(b))
      fail(
        `${OUT} differs from a rebuild of csrc/ (${b.length} bytes committed, ${a.length} rebuilt): rebuild with npm run build:native and commit it`,
      );
    console.log(`build-native: ${OUT} matches a rebuild of csrc/ (${a.length} bytes)`);
  } else {
    mkdirSync(dirname(OUT), { recursive: true });
    // Renamed into place, so a process loading the kernels never reads a half-written file.
    const tmp = `${OUT}.tmp-${process.pid}`;
    spawnSync('cp', [lib, tmp]);
    renameSync(tmp, OUT);
    recordBuild('native', OUT);
    console.log(`build-native: ${OUT}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
