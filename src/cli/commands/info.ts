/** `stockcast info`: versions, the active backend, and which optional packages are present. */
import { createRequire } from 'node:module';
import { Command } from 'commander';
import * as tf from '@tensorflow/tfjs';
import { getBackend } from '../../models/backend.js';
import { resolveEngine } from '../../models/engines.js';
import { fusedAvailable } from '../../models/fused/kernels.js';
import { printJson } from '../common.js';

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
  return new Command('info').description('versions, active backend, optional packages').option('--json', 'print a JSON document').action(async (flags: { json?: boolean }) => {
    const backend = await getBackend();
    const info = {
      stockcast: versionOf('stockcast') ?? (requireHere('../../../package.json') as { version: string }).version,
      node: process.version,
      tfjs: tf.version.tfjs,
      backend: backend.name,
      nativePackage: backend.native ?? null,
      engine: await resolveEngine('auto'),
      fusedEngineBuilt: fusedAvailable(),
      optional: { '@tensorflow/tfjs-node': versionOf('@tensorflow/tfjs-node'), '@tensorflow/tfjs-node-gpu': versionOf('@tensorflow/tfjs-node-gpu'), 'danfojs-node': versionOf('danfojs-node') },
    };
    if (flags.json) return printJson(info);
    console.log(`stockcast ${info.stockcast} on Node ${info.node}`);
    console.log(`tfjs ${info.tfjs}, backend: ${info.backend}${info.nativePackage ? ` (${info.nativePackage})` : ''}`);
    console.log(`training engine: ${info.engine}${info.fusedEngineBuilt ? '' : ' (the fused engine is not built: install clang and lld, then npm run build:wasm)'}`);
    for (const [name, version] of Object.entries(info.optional)) console.log(`${name}: ${version ?? 'not installed'}`);
  });
}
