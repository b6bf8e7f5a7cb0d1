import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeKernels } from '../../src/models/engines/fused/kernels.js';
import { cli, CLI_ENTRY } from '../helpers/cli.js';
import { skipGpu } from '../helpers/webgpu.js';

const gpu = await skipGpu();

const info = (env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [...CLI_ENTRY, 'info', '--json'], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', ...env },
    timeout: 120_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as {
    engine: string;
    kernels: { kind: string | null; isa: string | null; reason: string };
    gpu: { adapter: { vendor: string; software: boolean } | null; reason: string | null };
    cores: number;
  };
};

describe('stockcast info says which fused kernels run and why', () => {
  it('native kernels where they load, else WebAssembly with the reason', () => {
    const r = info();
    expect(r.engine).toBe('fused');
    if (nativeKernels())
      expect(r.kernels).toEqual({
        kind: 'native',
        isa: nativeKernels()!.isa,
        reason: expect.stringMatching(/^native kernels for Linux x86-64 with (AVX2\+FMA|AVX-512)$/),
      });
    else
      expect(r.kernels).toMatchObject({
        kind: 'wasm',
        isa: 'simd128',
        reason: expect.stringMatching(/^WebAssembly SIMD kernels: /),
      });
    expect(r.cores).toBeGreaterThanOrEqual(1);
  });

  it('without a native build it falls back to WebAssembly and says why', () => {
    // node-gyp-build looks in STOCKCAST_PREBUILD instead of the package when it is set: an empty folder here.
    const empty = mkdtempSync(join(tmpdir(), 'stockcast-noprebuild-'));
    try {
      const r = info({ STOCKCAST_PREBUILD: empty });
      expect(r.kernels.kind).toBe('wasm');
      expect(r.kernels.reason).toMatch(
        /^WebAssembly SIMD kernels: (the native kernels could not be loaded \(No native build was found|native kernels are built for Linux x86-64 only)/,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('STOCKCAST_KERNELS=wasm forces the WebAssembly kernels', () => {
    expect(info({ STOCKCAST_KERNELS: 'wasm' }).kernels).toMatchObject({ kind: 'wasm', isa: 'simd128' });
  });
});

describe('stockcast info and --engine webgpu without a GPU adapter', () => {
  // A Vulkan loader pointed at a missing driver file finds no device, as on a server without a GPU driver.
  const noGpu = { VK_ICD_FILENAMES: '/nonexistent/icd.json' };

  it('info says there is no adapter and why', () => {
    const r = info(noGpu);
    expect(r.gpu.adapter).toBeNull();
    expect(r.gpu.reason).toMatch(/no WebGPU adapter: Dawn found no Vulkan, Metal or D3D12 device/);
  });

  it('--engine webgpu fails with a typed error saying why', () => {
    const args = ['forecast', '--csv', 'fixtures/ncsoft-weekly.csv', '--target', 'stock_price', '--lookback', '5'];
    const env = { ...process.env, CI: 'true', ...noGpu };
    const flags = ['--units', '4', '--epochs', '1', '--engine', 'webgpu'];
    const r = spawnSync(process.execPath, [...CLI_ENTRY, ...args, ...flags], {
      encoding: 'utf8',
      env,
      timeout: 120_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/the webgpu engine cannot run here: no WebGPU adapter/);
  });
});

describe.skipIf(gpu.skip)(`stockcast info lists the adapter, and --engine webgpu trains on it${gpu.title}`, () => {
  it('info names the adapter (SwiftShader here: marked as software)', () => {
    const r = info();
    expect(r.gpu.adapter).toMatchObject({ vendor: expect.stringMatching(/\w/) });
    expect(r.engine).toBe('fused');
  });

  it('forecast --engine webgpu --json records the engine and the adapter under run', () => {
    const data = ['--csv', 'fixtures/ncsoft-weekly.csv', '--target', 'stock_price', '--lookback', '5'];
    const r = cli('forecast', ...data, '--units', '4', '--epochs', '2', '--engine', 'webgpu', '--json');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { run: { engine: string; adapter: string } };
    expect(doc.run).toMatchObject({ engine: 'webgpu', adapter: expect.stringMatching(/\w/) });
  });
});
