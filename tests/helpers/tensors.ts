/** Tensor-leak assertions for tests, in the spirit of tfjs-layers' expectNoLeakedTensors. */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { getBackend } from '../../src/index.js';

/** Runs `fn` and asserts the live tensor count is back where it started. */
export async function expectNoLeakedTensors<T>(fn: () => Promise<T>): Promise<T> {
  await getBackend();
  const before = tf.memory().numTensors;
  const result = await fn();
  expect(tf.memory().numTensors).toBe(before);
  return result;
}
