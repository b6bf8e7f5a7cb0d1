import { describe, expect, it } from 'vitest';
import { DataError, textWindows, ValidationError } from '../../src/index.js';

describe('textWindows', () => {
  it('cuts x = s[i, i+L) and y = s[i+1, i+L+1)', () => {
    const w = textWindows('if you want', { lookback: 4 });
    expect(w.x[0]).toBe('if y');
    expect(w.y[0]).toBe('f yo');
    expect(w.x).toHaveLength(7);
    expect(textWindows('hihello', { lookback: 6 })).toEqual({ x: ['hihell'], y: ['ihello'], starts: [0] });
    expect(textWindows('abcdefg', { lookback: 2, step: 3 }).x).toEqual(['ab', 'de']);
  });

  it('explains bad lengths', () => {
    expect(() => textWindows('abc', { lookback: 3 })).toThrow(
      'lookback 3 needs a text of at least 4 characters, received 3',
    );
    expect(() => textWindows('abc', { lookback: 3 })).toThrow(DataError);
    expect(() => textWindows('abc', { lookback: 0 })).toThrow(ValidationError);
    expect(() => textWindows('abc', { lookback: 1, step: 0 })).toThrow(/step/);
  });
});
