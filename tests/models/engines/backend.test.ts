import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError, getBackend, setBackend } from '../../../src/index.js';

const missing = async (name: string) => {
  throw new Error(`Cannot find module '${name}'`);
};

afterEach(async () => {
  if (tf.findBackend('tensorflow')) tf.removeBackend('tensorflow');
  await setBackend('wasm');
});

describe('backend selection', () => {
  it('auto falls back to the embedded wasm backend when the native packages are absent', async () => {
    const tried: string[] = [];
    const result = await setBackend('auto', { loader: async (n) => (tried.push(n), missing(n)) });
    expect(result).toEqual({ name: 'wasm' });
    expect(tried).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    expect(tf.getBackend()).toBe('wasm');
    expect((await getBackend()).name).toBe('wasm');
  });

  it('auto prefers tfjs-node-gpu, then tfjs-node, when they load and register "tensorflow"', async () => {
    // A stand-in native package: registering the cpu kernels under the name tfjs-node uses.
    const fakeNative = async (name: string) => {
      if (name === '@tensorflow/tfjs-node-gpu') return missing(name);
      tf.registerBackend('tensorflow', tf.findBackendFactory('cpu')!);
      return {};
    };
    expect(await setBackend('auto', { loader: fakeNative })).toEqual({
      name: 'tensorflow',
      native: '@tensorflow/tfjs-node',
    });
    expect(tf.getBackend()).toBe('tensorflow');
  });

  it('a native package that loads but registers nothing is skipped', async () => {
    expect(await setBackend('auto', { loader: async () => ({}) })).toEqual({ name: 'wasm' });
  });

  it("'tensorflow' without the native packages is a BackendError with install advice", async () => {
    await expect(setBackend('tensorflow', { loader: missing })).rejects.toThrow(BackendError);
    await expect(setBackend('tensorflow', { loader: missing })).rejects.toThrow(/npm install @tensorflow\/tfjs-node/);
  });

  it("keeps tfjs's install-tfjs-node banner away from users", async () => {
    const warn = vi.spyOn(console, 'warn');
    const log = vi.spyOn(console, 'log');
    await setBackend('cpu');
    tf.tidy(() => tf.add(tf.tensor1d([1, 2]), 1).dataSync());
    expect(warn).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
    warn.mockRestore();
    log.mockRestore();
  });

  it('cpu and wasm can be chosen explicitly', async () => {
    expect(await setBackend('cpu')).toEqual({ name: 'cpu' });
    expect(tf.getBackend()).toBe('cpu');
    expect(await setBackend('wasm')).toEqual({ name: 'wasm' });
  });
});
