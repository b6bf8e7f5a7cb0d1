/**
 * Leak assertions for tests: tfjs tensors (in the spirit of tfjs-layers' expectNoLeakedTensors) and the fused
 * engine's memories, which hold no tensors, so the tensor count alone would pass vacuously for them.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { getBackend } from '../../src/index.js';
import { engineMemoryStats } from '../../src/models/engines/fused/memory.js';

/** Runs `fn` and asserts the live tensor count and the live fused-engine memories are back where they started. */
export async function expectNoLeakedTensors<T>(fn: () => Promise<T>): Promise<T> {
  await getBackend();
  const before = tf.memory().numTensors;
  const engines = engineMemoryStats();
  const result = await fn();
  expect(tf.memory().numTensors).toBe(before);
  expect(engineMemoryStats()).toEqual(engines);
  return result;
}
