// The webgpu tests' GPU: SwiftShader from Debian's chromium when no Vulkan ICD is set (CI, machines without a
// GPU), the reason when there is none (tests then skip, except under CI=true, where they must run), and a
// harness that runs one WGSL kernel on given buffers, for the per-kernel comparisons with the fused engine.
import { existsSync } from 'node:fs';
import { gpuAdapter, gpuDevice } from '../../src/models/engines/webgpu/device.js';
import { bindingLayout } from '../../src/models/engines/webgpu/pipelines.js';
import { MAP_READ, USAGE, type GpuBuffer } from '../../src/models/engines/webgpu/gpu-types.js';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) process.env.VK_ICD_FILENAMES = SWIFTSHADER;

/** Null when a WebGPU adapter is present, else why not. */
export async function gpuUnavailable(): Promise<string | null> {
  const a = await gpuAdapter();
  return typeof a === 'string' ? a : null;
}

/** Whether the webgpu suites skip: only outside CI, and only without an adapter. */
export async function skipGpu(): Promise<{ skip: boolean; title: string }> {
  const reason = await gpuUnavailable();
  return { skip: reason !== null && process.env.CI !== 'true', title: reason ? ` (skipped: ${reason})` : '' };
}

export type Space = 'ws' | 'prm' | 'grd' | 'pk' | 'mv' | 'misc';
const MAIN: Space[] = ['ws', 'prm', 'grd', 'pk', 'misc'];
const UPDATE: Space[] = ['prm', 'grd', 'mv', 'pk', 'misc'];

/** Runs one kernel over a grid with the given parameter words and buffers; returns every buffer read back. */
export async function runKernel(
  code: string,
  o: {
    update?: boolean;
    words: number[];
    buffers: Partial<Record<Space, Float32Array>>;
    step?: Uint32Array;
    grid: [number, number?, number?];
  },
): Promise<Record<Space, Float32Array>> {
  const { device } = await gpuDevice();
  const order = o.update ? UPDATE : MAIN;
  const make = (data: ArrayBufferView, usage: number) => {
    const b = device.createBuffer({ size: Math.max(16, Math.ceil(data.byteLength / 16) * 16), usage });
    device.queue.writeBuffer(b, 0, data);
    return b;
  };
  const params = make(
    Uint32Array.from({ length: 64 }, (_, i) => o.words[i] ?? 0),
    USAGE.UNIFORM | USAGE.COPY_DST,
  );
  const step = make(o.step ?? new Uint32Array(12), USAGE.UNIFORM | USAGE.COPY_DST);
  const bufs = order.map((s) =>
    make(o.buffers[s] ?? new Float32Array(4), USAGE.STORAGE | USAGE.COPY_DST | USAGE.COPY_SRC),
  );
  const layout = bindingLayout(device, o.update ?? false);
  device.pushErrorScope('validation');
  const pipeline = device.createComputePipeline({
    layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
    compute: { module: device.createShaderModule({ code }), entryPoint: 'main' },
  });
  const group = device.createBindGroup({
    layout,
    entries: [params, step, ...bufs].map((buffer, binding) => ({
      binding,
      resource: binding === 0 ? { buffer, size: 128 } : { buffer },
    })),
  });
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, group, [0]);
  pass.dispatchWorkgroups(o.grid[0], o.grid[1] ?? 1, o.grid[2] ?? 1);
  pass.end();
  const staging: GpuBuffer[] = bufs.map((b) =>
    device.createBuffer({ size: b.size, usage: USAGE.MAP_READ | USAGE.COPY_DST }),
  );
  bufs.forEach((b, i) => enc.copyBufferToBuffer(b, 0, staging[i], 0, b.size));
  device.queue.submit([enc.finish()]);
  const error = await device.popErrorScope();
  if (error) throw new Error(error.message);
  const out = {} as Record<Space, Float32Array>;
  for (const [i, s] of order.entries()) {
    await staging[i].mapAsync(MAP_READ);
    out[s] = new Float32Array(staging[i].getMappedRange().slice(0));
    staging[i].unmap();
    staging[i].destroy();
  }
  [params, step, ...bufs].forEach((b) => b.destroy());
  return out;
}

/** Largest |a - b| over the largest |b|: a relative error that does not blow up at single values near zero. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return m === 0 ? d : d / m;
}
