/** `stockcast info`: versions, the active backend, the fused engine's kernels (and why), the GPU adapter, and which optional packages are present. */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import { getBackend } from '../../models/engines/backend.js';
import { installed } from '../../models/engines/optional-peers.js';
import { resolveEngine } from '../../models/engines/engines.js';
import { kernelProblem, selectKernels } from '../../models/engines/fused/kernels.js';
import { gpuAdapter } from '../../models/engines/webgpu/device.js';
import { listModels } from '../../models/registry.js';
import { printJson, wordOption } from '../common.js';
import { importUserModules } from '../user-models.js';

const requireHere = createRequire(import.meta.url);

function versionOf(pkg: string): string | null {
  try {
    return (requireHere(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

/** Builds the command. */
export function infoCommand(): Command {
  const command = new Command('info')
    .description('versions, active backend, fused engine kernels, GPU adapter, registered models, optional packages')
    .option('--json', 'print a JSON document');
  command.addOption(wordOption('module', 'import these modules first, to list the models they register'));
  return command.action(async (flags: { json?: boolean; module?: string[] }) => {
    await importUserModules(flags.module);
    // tfjs is an optional peer: its backend is reported only when it is installed (loading it is what picks one).
    const backend = installed('@tensorflow/tfjs') ? await getBackend() : null;
    const kernels = selectKernels();
    // The adapter is asked only when npm webgpu is installed (loading Dawn is what finds it).
    const missing = 'npm webgpu is not installed (an optional peer: the webgpu engine needs it in Node.js)';
    const adapter = installed('webgpu') ? await gpuAdapter() : missing;
    const info = {
      stockcast: versionOf('stockcast') ?? (requireHere('../../../package.json') as { version: string }).version,
      node: process.version,
      tfjs: versionOf('@tensorflow/tfjs'),
      backend: backend?.name ?? null,
      nativePackage: backend?.native ?? null,
      engine: await resolveEngine('auto'),
      fusedEngineBuilt: kernels !== null,
      kernels: kernels ?? { kind: null, isa: null, reason: `the fused engine cannot run here: ${kernelProblem()}` },
      gpu: typeof adapter === 'string' ? { adapter: null, reason: adapter } : { adapter, reason: null },
      cores: availableParallelism(),
      models: listModels().map((m) => ({
        spec: m.parameter ? `${m.name}:${m.parameter.toUpperCase()}` : m.name,
        description: m.description ?? null,
        builtin: m.builtin,
        learned: m.learned,
      })),
      optional: {
        webgpu: versionOf('webgpu'),
        '@tensorflow/tfjs': versionOf('@tensorflow/tfjs'),
        '@tensorflow/tfjs-backend-wasm': versionOf('@tensorflow/tfjs-backend-wasm'),
        '@tensorflow/tfjs-node': versionOf('@tensorflow/tfjs-node'),
        '@tensorflow/tfjs-node-gpu': versionOf('@tensorflow/tfjs-node-gpu'),
        'danfojs-node': versionOf('danfojs-node'),
      },
    };
    if (flags.json) return printJson(info);
    console.log(`stockcast ${info.stockcast} on Node ${info.node}`);
    console.log(
      info.tfjs
        ? `tfjs ${info.tfjs}, backend: ${info.backend}${info.nativePackage ? ` (${info.nativePackage})` : ''}`
        : 'tfjs: not installed (optional; the fused engine does not need it)',
    );
    console.log(`training engine: ${info.engine}`);
    console.log(
      `fused engine kernels: ${info.kernels.kind ? `${info.kernels.kind} (${info.kernels.isa})` : 'none'}: ${info.kernels.reason}`,
    );
    const a = info.gpu.adapter;
    const soft = a?.software ? ' (software rasterizer: correct but slow; auto never picks it)' : '';
    const name = a ? [a.vendor, a.architecture, a.description].filter(Boolean).join(' ') : '';
    console.log(a ? `GPU adapter (webgpu engine): ${name}${soft}` : `GPU adapter: none (${info.gpu.reason})`);
    console.log(`cores: ${info.cores} (threads: 'auto' trains on all of them)`);
    for (const [name, version] of Object.entries(info.optional)) console.log(`${name}: ${version ?? 'not installed'}`);
    console.log(`models: ${info.models.map((m) => m.spec + (m.builtin ? '' : ' (user)')).join(', ')}`);
  });
}
