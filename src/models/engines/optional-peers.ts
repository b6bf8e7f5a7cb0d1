/**
 * Optional peers: `@tensorflow/tfjs` (and its wasm backend) are loaded here, on first use of the tfjs engine, never
 * by the default fused engine. Kept apart from the public modules so their type declarations never name tfjs.
 */
import { createRequire } from 'node:module';
import type * as Tf from '@tensorflow/tfjs';
import { BackendError } from '../../errors.js';

const requireHere = createRequire(import.meta.url);
let tfModule: Promise<typeof Tf> | undefined;

/** Whether a package can be resolved from here, without loading it. */
export function installed(pkg: string): boolean {
  try {
    requireHere.resolve(`${pkg}/package.json`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Loads `@tensorflow/tfjs` (an optional peer) once.
 * @throws {@link BackendError} naming the package to install when it is missing
 * @internal
 */
export function loadTfjs(): Promise<typeof Tf> {
  tfModule ??= import('@tensorflow/tfjs').then(
    (tf) => {
      // tfjs greets Node users with an "install tfjs-node" banner; the PROD flag silences that warning (and only warnings).
      tf.env().set('PROD', true);
      return tf;
    },
    (cause: unknown) => {
      tfModule = undefined;
      throw new BackendError('the tfjs engine needs @tensorflow/tfjs, which is not installed', {
        hint: "npm install @tensorflow/tfjs (an optional peer of stockcast; the default engine 'fused' does not need it)",
        cause,
      });
    },
  );
  return tfModule;
}
