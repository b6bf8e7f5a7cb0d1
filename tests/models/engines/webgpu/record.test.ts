import { describe, expect, it } from 'vitest';
import { kSplits } from '../../../../src/models/engines/webgpu/record.js';

describe('split-K', () => {
  it('splits only products of few tiles over a long K, into chunks of about 1,024 rows (at most 64)', () => {
    expect(kSplits(65, 256, 1000)).toBe(1);
    expect(kSplits(65, 256, 2047)).toBe(1);
    expect(kSplits(65, 256, 2048)).toBe(2);
    expect(kSplits(65, 256, 30720)).toBe(30);
    expect(kSplits(5, 70, 5000)).toBe(5);
    expect(kSplits(64, 256, 1 << 20)).toBe(64);
    // 8 x 16 = 128 tiles already fill a GPU: no split.
    expect(kSplits(512, 1024, 30720)).toBe(1);
  });
});
