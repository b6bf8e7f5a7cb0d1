import { describe, expect, it } from 'vitest';
import { parseSpaceArg, ValidationError } from '../../src/index.js';
import { checkSpace } from '../../src/sweep/space.js';

describe('--space arguments', () => {
  it('lists, ranges and log ranges, named by CLI flag or API option', () => {
    expect(parseSpaceArg('units=16,32,64')).toEqual(['units', [16, 32, 64]]);
    expect(parseSpaceArg('lookback=20..60')).toEqual(['lookback', { min: 20, max: 60 }]);
    expect(parseSpaceArg('learning-rate=1e-4..1e-2:log')).toEqual([
      'learningRate',
      { min: 0.0001, max: 0.01, scale: 'log' },
    ]);
    expect(parseSpaceArg('learningRate=0.001,0.01')).toEqual(['learningRate', [0.001, 0.01]]);
    expect(parseSpaceArg('dropout=0..0.5:linear')).toEqual(['dropout', { min: 0, max: 0.5, scale: 'linear' }]);
    expect(parseSpaceArg('cell=lstm,gru')).toEqual(['cell', ['lstm', 'gru']]);
    expect(parseSpaceArg('batch-size=16, 64')).toEqual(['batchSize', [16, 64]]);
  });

  it('refuses what a sweep cannot search, saying what it expected', () => {
    const cases: Array<[string, RegExp]> = [
      ['units', /expected name=values/],
      ['hidden=8,16', /unknown option "hidden": the SDK calls it units/],
      ['seed=1,2', /unknown option "seed"/],
      ['units=0,8', /units: expected an integer from 1 to 4096, received 0/],
      ['units=8,8', /listed twice/],
      ['cell=lstm,transformer', /expected one of rnn, lstm, gru, received "transformer"/],
      ['cell=a..b', /a range is lo\.\.hi with two numbers/],
      ['optimizer=1..3', /a range needs a numeric option/],
      ['lookback=60..20', /min 60 is above max 20/],
      ['learning-rate=0..0.1:log', /leaves a number above 0|a log range needs min above 0/],
      ['units=', /expected a list or a range/],
    ];
    for (const [text, pattern] of cases) {
      expect(() => parseSpaceArg(text), text).toThrow(ValidationError);
      expect(() => parseSpaceArg(text), text).toThrow(pattern);
    }
  });

  it('a space object is checked the same way, every problem named with its path', () => {
    expect(() => checkSpace({})).toThrow(/space: expected at least one option to vary/);
    const e = (() => {
      try {
        checkSpace({ units: [0], epochs: { min: 5, max: 1 }, target: ['close'] });
      } catch (x) {
        return x as ValidationError;
      }
      throw new Error('accepted');
    })();
    expect(e.issues.map((i) => i.path)).toEqual(['space.units', 'space.epochs', 'space.target']);
  });
});
