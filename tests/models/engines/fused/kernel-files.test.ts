import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { selectKernels } from '../../../../src/models/engines/fused/kernels.js';
import { D, LW } from '../../../../src/models/engines/fused/layout.js';
import { EngineMemory } from '../../../../src/models/engines/fused/memory.js';
import { fileDigest, sourceDigest } from '../../../../scripts/kernel-digest.mjs';

const record = JSON.parse(readFileSync('scripts/kernel-builds.json', 'utf8')) as Record<
  'wasm' | 'native',
  { file: string; sources: string; sha256: string }
>;

// CI rebuilds both files with the pinned compilers and compares bytes (.ci/run); this catches, without a
// compiler, a change to csrc/ that was committed without rebuilding the kernels.
describe('the committed kernel files', () => {
  it.each(['wasm', 'native'] as const)('%s was built from the current csrc/ and is the file recorded', (artifact) => {
    const r = record[artifact];
    expect(existsSync(r.file)).toBe(true);
    expect(r.sources, 'csrc/ changed since this file was built: npm run build:wasm / build:native').toBe(
      sourceDigest(),
    );
    expect(fileDigest(r.file)).toBe(r.sha256);
  });
});

describe('the descriptor', () => {
  it.each(['native', 'wasm'] as const)('layout.ts has the word counts of csrc/model.h (%s build)', (kind) => {
    const info = selectKernels(kind);
    if (!info) return expect(kind).toBe('native');
    const mem = new EngineMemory(info);
    try {
      expect([mem.kernels.tile_shape(3), mem.kernels.tile_shape(4)]).toEqual([D.LAYERS, LW.WORDS]);
    } finally {
      mem.release();
    }
  });
});
