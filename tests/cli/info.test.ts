import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeKernels } from '../../src/models/engines/fused/kernels.js';
import { CLI_ENTRY } from '../helpers/cli.js';

const info = (env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [...CLI_ENTRY, 'info', '--json'], { encoding: 'utf8', env: { ...process.env, CI: 'true', ...env }, timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { engine: string; kernels: { kind: string | null; isa: string | null; reason: string }; cores: number };
};

describe('stockcast info says which fused kernels run and why', () => {
  it('native kernels where they load, else WebAssembly with the reason', () => {
    const r = info();
    expect(r.engine).toBe('fused');
    if (nativeKernels()) expect(r.kernels).toEqual({ kind: 'native', isa: nativeKernels()!.isa, reason: expect.stringMatching(/^native kernels for Linux x86-64 with (AVX2\+FMA|AVX-512)$/) });
    else expect(r.kernels).toMatchObject({ kind: 'wasm', isa: 'simd128', reason: expect.stringMatching(/^WebAssembly SIMD kernels: /) });
    expect(r.cores).toBeGreaterThanOrEqual(1);
  });

  it('without a native build it falls back to WebAssembly and says why', () => {
    // node-gyp-build looks in STOCKCAST_PREBUILD instead of the package when it is set: an empty folder here.
    const empty = mkdtempSync(join(tmpdir(), 'stockcast-noprebuild-'));
    try {
      const r = info({ STOCKCAST_PREBUILD: empty });
      expect(r.kernels.kind).toBe('wasm');
      expect(r.kernels.reason).toMatch(/^WebAssembly SIMD kernels: (the native kernels could not be loaded \(No native build was found|native kernels are built for Linux x86-64 only)/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('STOCKCAST_KERNELS=wasm forces the WebAssembly kernels', () => {
    expect(info({ STOCKCAST_KERNELS: 'wasm' }).kernels).toMatchObject({ kind: 'wasm', isa: 'simd128' });
  });
});
