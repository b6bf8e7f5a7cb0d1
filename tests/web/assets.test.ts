import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { browserThreads, loadFromIndexedDB, saveToIndexedDB, useAssets, ValidationError } from '../../src/index.js';

// The browser entry's functions as the Node.js entry exports them (one set of type declarations for both builds).
// In Chromium they are tested by tests/browser.test.ts, tests/web/indexeddb.test.ts and tests/bundlers.test.ts.
describe('browser functions in Node.js', () => {
  it('browserThreads reports the cores (Node has worker threads)', () => {
    expect(browserThreads()).toEqual({ threads: availableParallelism() });
  });

  it('useAssets takes URLs and refuses anything else with a ValidationError naming the option', () => {
    expect(() =>
      useAssets({ kernelsUrl: new URL('https://example.test/kernels.wasm'), workerUrl: './worker.js' }),
    ).not.toThrow();
    const e = (() => {
      try {
        useAssets({ kernelsUrl: 5 as never, wasm: 'x' } as never);
      } catch (err) {
        return err as ValidationError;
      }
    })();
    expect(e).toBeInstanceOf(ValidationError);
    expect(e!.issues.map((i) => i.path).sort()).toEqual(['', 'kernelsUrl']);
  });

  it('IndexedDB is a PersistenceError outside browsers; a key must be a non-empty string', async () => {
    await expect(saveToIndexedDB('k', new Uint8Array(4))).rejects.toThrow(
      /^indexeddb:stockcast\/models\/k: IndexedDB is unavailable here \(it exists in browsers\)/,
    );
    await expect(loadFromIndexedDB('')).rejects.toThrow(/expected a non-empty string key, received ""/);
  });
});
