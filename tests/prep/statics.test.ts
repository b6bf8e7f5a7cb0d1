import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/index.js';
import { staticCodec } from '../../src/prep/statics.js';

describe('static covariates as numbers', () => {
  it('numbers stay, categories become one-hot over the sorted categories', () => {
    const codec = staticCodec({ AAPL: [3.5, 'tech', 'US'], XOM: [1, 'energy', 'US'], SAP: [2, 'tech', 'DE'] });
    expect(codec.categories).toEqual([null, ['energy', 'tech'], ['DE', 'US']]);
    expect(codec.width).toBe(5);
    expect(Array.from(codec.encode([3.5, 'tech', 'US']))).toEqual([3.5, 0, 1, 0, 1]);
    expect(Array.from(codec.encode([1, 'energy', 'DE']))).toEqual([1, 1, 0, 1, 0]);
  });

  it('mixed kinds, ragged lengths and unknown categories are clear errors', () => {
    expect(() => staticCodec({ A: [1], B: ['x'] })).toThrow(/static covariate 0 mixes numbers and categories/);
    expect(() => staticCodec({ A: [1, 2], B: [1] })).toThrow(DataError);
    expect(() => staticCodec({ A: ['tech'], B: ['energy'] }).encode(['retail'])).toThrow(
      /static covariate 0 is a category \("energy", "tech"\): received "retail"/,
    );
  });
});
