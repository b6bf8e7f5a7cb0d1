/** Engine selection: the TensorFlow.js graph, the fused CPU engine (native or WebAssembly kernels) or the webgpu engine, behind one interface. */
import { BackendError } from '../../errors.js';
import { getBackend } from './backend.js';
import { installed } from './optional-peers.js';
import type { RecurrentEngine, TrainConfig } from './engine.js';
import { FusedEngine } from './fused/fused-engine.js';
import { fusedAvailable, kernelProblem, selectKernels, type KernelInfo } from './fused/kernels.js';
import type { EngineChoice } from './engine-factory.js';
import { autoPicksWebGpu } from './webgpu/auto.js';
import { gpuAdapter } from './webgpu/device.js';
import { WebGpuEngine } from './webgpu/webgpu-engine.js';
import type { RecurrentSpec, RecurrentWeights } from './weights.js';

export type { EngineChoice };

/**
 * The engine a choice resolves to. `auto`, in order: `webgpu` when the model and batch are large enough
 * (`AUTO_WEBGPU`: at least 64 units, 64 windows a batch, and units x batch of 32,768) and a hardware GPU adapter
 * is present (npm `webgpu` installed; never a software rasterizer); tfjs on native TensorFlow (tfjs-node,
 * tfjs-node-gpu); the fused engine (native kernels on Linux x86-64 with AVX2, WebAssembly kernels elsewhere);
 * else tfjs on wasm or cpu. The rule never times anything. `@tensorflow/tfjs` and `webgpu` are optional peers,
 * loaded only when needed.
 * @param choice - `auto`, `tfjs`, `fused` or `webgpu`
 * @param model - the network and its batch size, which `auto`'s GPU rule needs (without them `auto` never picks
 *   `webgpu`)
 * @returns the engine kind
 * @throws {@link BackendError} when `fused` is asked for and neither kernel build can load, when `webgpu` is asked
 * for and there is no WebGPU adapter (the message says why), or when `auto` finds neither the fused engine nor
 * `@tensorflow/tfjs`
 * @example
 * ```ts
 * import { resolveEngine } from 'stockcast';
 * console.log(await resolveEngine('auto')); // 'fused' on a machine without tfjs-node
 * ```
 */
export async function resolveEngine(
  choice: EngineChoice,
  model?: { spec: RecurrentSpec; batchSize?: number },
): Promise<'tfjs' | 'fused' | 'webgpu'> {
  if (choice === 'webgpu') {
    const adapter = await gpuAdapter();
    const hint = "npm install webgpu (Node.js), set up the GPU's Vulkan driver (docs/gpu.md), or use engine: 'fused'";
    if (typeof adapter === 'string') throw new BackendError(`the webgpu engine cannot run here: ${adapter}`, { hint });
    return 'webgpu';
  }
  const gpu = choice === 'auto' && model && (await autoPicksWebGpu(model.spec, model.batchSize, installed('webgpu')));
  if (gpu) return 'webgpu';
  if (choice === 'fused') {
    if (!fusedAvailable())
      throw new BackendError(`the fused engine cannot run here: ${kernelProblem()}`, {
        hint: 'npm run build:wasm rebuilds wasm/kernels.wasm',
      });
    return 'fused';
  }
  if (choice === 'tfjs') return 'tfjs';
  // tfjs is loaded only when native TensorFlow is installed (it then wins) or when the fused engine cannot run.
  const native = installed('@tensorflow/tfjs-node-gpu') || installed('@tensorflow/tfjs-node');
  if (fusedAvailable() && (!native || (await getBackend()).name !== 'tensorflow')) return 'fused';
  if (!fusedAvailable() && !installed('@tensorflow/tfjs')) {
    throw new BackendError(
      `no engine can run here: the fused engine cannot (${kernelProblem()}) and @tensorflow/tfjs is not installed`,
      { hint: 'npm install @tensorflow/tfjs, or rebuild the kernels with npm run build:wasm' },
    );
  }
  return 'tfjs';
}

/**
 * Which kernels the fused engine runs here and why (`native` with AVX-512 or AVX2, or `wasm`), or null when
 * neither can load. `STOCKCAST_KERNELS=wasm` forces the WebAssembly kernels.
 * @returns the kernels and the reason, or null
 * @example
 * ```ts
 * import { fusedKernels } from 'stockcast';
 * console.log(fusedKernels()?.reason); // for example: native kernels for Linux x86-64 with AVX2+FMA
 * ```
 */
export function fusedKernels(): KernelInfo | null {
  return selectKernels();
}

/**
 * Creates an engine with the given weights.
 * @internal
 */
export async function createEngine(
  choice: EngineChoice,
  spec: RecurrentSpec,
  weights: RecurrentWeights,
  config: TrainConfig,
): Promise<RecurrentEngine> {
  const batch = config.batchSize !== undefined ? { batchSize: config.batchSize } : {};
  const kind = await resolveEngine(choice, { spec, ...batch });
  if (kind === 'webgpu') return WebGpuEngine.create(spec, weights, config);
  if (kind === 'fused') return new FusedEngine(spec, weights, config);
  await getBackend();
  // Loaded on demand: the tfjs engine and @tensorflow/tfjs stay out of the default path.
  const { TfjsEngine } = await import('./tfjs-engine.js');
  return new TfjsEngine(spec, weights, config);
}
