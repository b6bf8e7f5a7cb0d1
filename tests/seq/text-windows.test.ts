import { describe, expect, it } from 'vitest';
import { DataError, textWindows } from '../../src/index.js';

describe('textWindows', () => {
  it("builds the lecture's longseq pairs: y is x shifted by one", () => {
    const w = textWindows('if you want', 4);
    expect(w.x.slice(0, 2)).toEqual(['if y', 'f yo']);
    expect(w.y.slice(0, 2)).toEqual(['f yo', ' you']);
    expect(w.x.length).toBe(11 - 4);
    expect(w.starts.at(-1)).toBe(6);
    expect(textWindows('hihello', 6)).toEqual({ x: ['hihell'], y: ['ihello'], starts: [0] });
    expect(textWindows('abcdefg', 2, 3).x).toEqual(['ab', 'de']);
  });
  it('rejects lengths that do not fit', () => {
    expect(() => textWindows('abc', 3)).toThrow('seqLength 3 needs a text of at least 4 characters, received 3');
    expect(() => textWindows('abc', 0)).toThrow(DataError);
    expect(() => textWindows('abc', 1, 0)).toThrow(/stride/);
  });
});
