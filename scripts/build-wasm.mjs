// Builds wasm/kernels.wasm from csrc/kernels.c with clang's wasm32 target and SIMD (Debian: apt-get install clang lld).
// Without clang it explains and exits 0, unless --require is given: the fused engine is then unavailable and
// stockcast uses its TensorFlow.js engine. Published packages ship the built file.
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync } from 'node:fs';

const require_ = process.argv.includes('--require');
const clang = process.env.CLANG ?? 'clang';
const probe = spawnSync(clang, ['--version'], { encoding: 'utf8' });
if (probe.status !== 0) {
  const message = `build-wasm: ${clang} not found; the fused CPU engine will be unavailable (install clang and lld to build it)`;
  if (require_) {
    console.error(message);
    process.exit(1);
  }
  console.warn(message);
  process.exit(0);
}
mkdirSync('wasm', { recursive: true });
const args = [
  '--target=wasm32', '-O3', '-msimd128', '-nostdlib', '-ffast-math', '-fno-builtin',
  '-Wall', '-Werror',
  '-Wl,--no-entry', '-Wl,--export-dynamic', '-Wl,--export=__heap_base',
  '-Wl,--initial-memory=1048576', '-Wl,--max-memory=2147483648', '-Wl,-z,stack-size=65536',
  '-o', `wasm/kernels.wasm.tmp-${process.pid}`, 'csrc/kernels.c',
];
const r = spawnSync(clang, args, { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
// Renamed into place, so a process loading the kernels never reads a half-written file.
renameSync(`wasm/kernels.wasm.tmp-${process.pid}`, 'wasm/kernels.wasm');
console.log('build-wasm: wasm/kernels.wasm');
