import { describe, expect, it } from 'vitest';
import { CharVocab, DataError, ValidationError } from '../../src/index.js';

describe('CharVocab', () => {
  it("keeps the lecture's explicit order and one-hot layout", () => {
    const v = CharVocab.fromChars(['h', 'i', 'e', 'l', 'o']);
    expect(Array.from(v.encode('hihell'))).toEqual([0, 1, 0, 2, 3, 3]);
    expect(v.decode([1, 0, 2, 3, 3, 4])).toBe('ihello');
    expect(Array.from(v.oneHot('hi'))).toEqual([1, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    expect(v.size).toBe(5);
  });
  it('sorts the unique characters of a text', () => {
    expect(CharVocab.fromText(' if you want you').chars.join('')).toBe(' afinotuwy');
  });
  it('round-trips through JSON', () => {
    const v = CharVocab.fromText('abcab', { unknown: '?' });
    const copy = CharVocab.fromJSON(JSON.parse(JSON.stringify(v)));
    expect(copy.chars).toEqual(v.chars);
    expect(copy.decode(copy.encode('abz'))).toBe('ab?');
  });
  it('explains unknown characters, bad ids and bad lists', () => {
    const v = CharVocab.fromChars(['a', 'b']);
    expect(() => v.encode('abc')).toThrow(DataError);
    expect(() => v.encode('abc')).toThrow('character "c" at position 2 is not in the vocabulary ("a" "b")');
    expect(() => v.decode([0, 5])).toThrow('id 5 at position 1 is outside the vocabulary of 2');
    expect(() => CharVocab.fromChars(['a', 'a'])).toThrow(ValidationError);
    expect(() => CharVocab.fromChars(['ab'])).toThrow(/expected one character/);
    expect(() => CharVocab.fromChars(['a'], { unknown: '?' })).toThrow(/not in the character list/);
    expect(() => CharVocab.fromText('')).toThrow(DataError);
  });
});
