/**
 * `npm run bench -- --engine webgpu [--grid|--case ...]`: the webgpu engine next to the fused CPU engine and
 * PyTorch (on CUDA when the machine has it, else on the CPU) in the same run, case by case: the adapter, samples/s,
 * GFLOP/s, and the host time per batch spent uploading, submitting, waiting on the bounded queue and reading back.
 */
import { gpuAdapter } from '../src/models/engines/webgpu/device.js';
import { measureOurs, TorchServer, trainFlopsPerSample, type GridCase } from './grid.js';

/** One measured case (the JSON schema of `--engine webgpu --json`). */
export interface GpuRow extends GridCase {
  webgpu: {
    samplesPerSec: number;
    gflops: number;
    uploadMsPerBatch: number;
    submitMsPerBatch: number;
    waitMsPerBatch: number;
    readbackMsPerEpoch: number;
  };
  fused: { engine: string; samplesPerSec: number; gflops: number };
  torch: { device: string; samplesPerSec: number; gflops: number } | null;
}

/** The table header. */
export const GPU_HEADER = [
  'case (cell units x layers, T x F, batch)'.padEnd(26),
  ...(
    [
      ['webgpu/s', 9],
      ['GFLOP/s', 7],
      ['up ms', 6],
      ['sub ms', 6],
      ['wait ms', 7],
      ['read ms', 7],
      ['fused/s', 9],
      ['torch/s', 9],
    ] as const
  ).map(([t, n]) => t.padStart(n)),
  'torch',
].join(' ');

/** One table line (per batch: upload, submit and queue wait; per epoch: readback). */
export function formatGpuRow(r: GpuRow): string {
  const shape = `${r.cell} ${r.units}x${r.layers} ${r.lookback}x${r.features} b${r.batch}`;
  const w = r.webgpu;
  const cells: Array<[string, number]> = [
    [w.samplesPerSec.toFixed(0), 9],
    [w.gflops.toFixed(2), 7],
    [w.uploadMsPerBatch.toFixed(2), 6],
    [w.submitMsPerBatch.toFixed(2), 6],
    [w.waitMsPerBatch.toFixed(1), 7],
    [w.readbackMsPerEpoch.toFixed(1), 7],
    [r.fused.samplesPerSec.toFixed(0), 9],
    [r.torch?.samplesPerSec.toFixed(0) ?? '-', 9],
  ];
  return [shape.padEnd(26), ...cells.map(([t, n]) => t.padStart(n)), r.torch?.device ?? '-'].join(' ');
}

/**
 * Measures each case on webgpu, fused and PyTorch (CUDA when available).
 * @throws when there is no WebGPU adapter (the message says why)
 */
export async function benchGpu(
  cases: GridCase[],
  o: { seconds: number; onAdapter?: (text: string) => void; onRow?: (r: GpuRow) => void },
): Promise<{ adapter: Exclude<Awaited<ReturnType<typeof gpuAdapter>>, string>; rows: GpuRow[] }> {
  const adapter = await gpuAdapter();
  if (typeof adapter === 'string') throw new Error(`--engine webgpu: ${adapter}`);
  const soft = adapter.software ? ' (software rasterizer: SwiftShader numbers say nothing of a GPU)' : '';
  const name = `${adapter.vendor} ${adapter.architecture} ${adapter.description}`.replace(/\s+/g, ' ');
  o.onAdapter?.(`adapter: ${name}${soft}`);
  const torch = TorchServer.start();
  const rows: GpuRow[] = [];
  try {
    for (const c of cases) {
      const flops = trainFlopsPerSample(c);
      const gpu = await measureOurs(c, o.seconds, 'webgpu');
      const fused = await measureOurs(c, o.seconds, 'fused');
      const t = torch
        ? await torch.ask<{ samplesPerSec: number; device: string }>({ ...c, seconds: o.seconds, device: 'cuda' })
        : null;
      const tm = gpu.timings!;
      const batches = Math.max(1, tm.submissions);
      const row: GpuRow = {
        ...c,
        webgpu: {
          samplesPerSec: gpu.samplesPerSec,
          gflops: (gpu.samplesPerSec * flops) / 1e9,
          uploadMsPerBatch: tm.uploadMs / batches,
          submitMsPerBatch: tm.submitMs / batches,
          waitMsPerBatch: tm.waitMs / batches,
          readbackMsPerEpoch: tm.readbackMs / Math.max(1, tm.readbacks),
        },
        fused: {
          engine: fused.engine,
          samplesPerSec: fused.samplesPerSec,
          gflops: (fused.samplesPerSec * flops) / 1e9,
        },
        torch: t ? { device: t.device, samplesPerSec: t.samplesPerSec, gflops: (t.samplesPerSec * flops) / 1e9 } : null,
      };
      rows.push(row);
      o.onRow?.(row);
    }
    return { adapter, rows };
  } finally {
    torch?.close();
  }
}
