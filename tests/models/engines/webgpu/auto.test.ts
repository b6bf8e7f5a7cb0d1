import { describe, expect, it } from 'vitest';
import { resolveEngine } from '../../../../src/models/engines/engines.js';
import { AUTO_WEBGPU, autoPicksWebGpu, largeEnoughForGpu } from '../../../../src/models/engines/webgpu/auto.js';
import { gpuAdapter } from '../../../../src/models/engines/webgpu/device.js';
import type { RecurrentSpec } from '../../../../src/models/engines/weights.js';
import { skipGpu } from '../../../helpers/webgpu.js';

const gpu = await skipGpu();
const spec = (units: number): RecurrentSpec => ({ cell: 'lstm', units, layers: 1, inputSize: 4, outputSize: 1 });

describe("engine 'auto' and the GPU", () => {
  it('considers the GPU only from the stated model and batch sizes up', () => {
    expect(AUTO_WEBGPU).toEqual({ minUnits: 64, minBatch: 64, minWork: 32768 });
    expect(largeEnoughForGpu(spec(64), 512)).toBe(true);
    expect(largeEnoughForGpu(spec(128), 256)).toBe(true);
    expect(largeEnoughForGpu(spec(256), 128)).toBe(true);
    expect(largeEnoughForGpu(spec(64), 256)).toBe(false);
    expect(largeEnoughForGpu(spec(32), 4096)).toBe(false);
    expect(largeEnoughForGpu(spec(1024), 32)).toBe(false);
    expect(largeEnoughForGpu(spec(256), undefined)).toBe(false);
  });

  it('never asks for an adapter when the sizes do not qualify or npm webgpu is missing', async () => {
    expect(await autoPicksWebGpu(spec(8), 32, true)).toBe(false);
    expect(await autoPicksWebGpu(spec(256), 1024, false)).toBe(false);
  });
});

describe.skipIf(gpu.skip)(`engine 'auto' with an adapter present${gpu.title}`, () => {
  it('never picks a software rasterizer (SwiftShader), however large the model; webgpu by name runs', async () => {
    const adapter = await gpuAdapter();
    if (typeof adapter === 'string') throw new Error(adapter);
    const pick = await autoPicksWebGpu(spec(256), 1024, true);
    expect(pick).toBe(!adapter.software);
    expect(await resolveEngine('auto', { spec: spec(256), batchSize: 1024 })).toBe(
      adapter.software ? 'fused' : 'webgpu',
    );
    expect(await resolveEngine('webgpu')).toBe('webgpu');
  });
});
