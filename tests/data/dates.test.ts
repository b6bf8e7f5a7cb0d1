import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileDateFormat, detectDateFormat } from '../../src/data/dates.js';

const pad = (n: number, w: number) => String(n).padStart(w, '0');

describe('compiled date parsers', () => {
  it('agree with Date.UTC on every valid date-time, across leap years and centuries', () => {
    const parse = compileDateFormat('yyyy-MM-dd HH:mm:ss');
    const lecture = compileDateFormat('yyyy.M.d');
    fc.assert(
      fc.property(
        fc.date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }),
        (date) => {
          const t = Math.floor(date.getTime() / 1000) * 1000;
          const d = new Date(t);
          const text = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
          expect(parse(text)).toBe(t);
          const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
          expect(lecture(`${pad(d.getUTCFullYear(), 4)}.${d.getUTCMonth() + 1}.${d.getUTCDate()}`)).toBe(day);
        },
      ),
      { numRuns: 3000, seed: 11 },
    );
  });

  it('rejects impossible dates instead of rolling them over', () => {
    const parse = compileDateFormat('yyyy-MM-dd');
    expect(parse('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    for (const bad of [
      '2023-02-29',
      '1900-02-29',
      '2021-04-31',
      '2021-13-01',
      '2021-00-10',
      '2021-01-00',
      '2021-1-01',
      '2021-01-01x',
    ])
      expect(parse(bad)).toBeNaN();
    expect(parse('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
  });

  it('detects formats, preferring ISO, and reports ambiguity', () => {
    expect(detectDateFormat(['2021-03-21', '2021-03-28'])).toEqual({ format: 'iso' });
    expect(detectDateFormat(['2021.3.21'])).toEqual({ format: 'yyyy.M.d' });
    expect(detectDateFormat(['03/04/2021'])).toEqual({ error: 'ambiguous', candidates: ['M/d/yyyy', 'd/M/yyyy'] });
    expect(detectDateFormat(['soon'])).toMatchObject({ error: 'none' });
  });
});
