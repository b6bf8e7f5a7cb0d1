import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

describe('stockcast charseq', () => {
  it("--text hihello with the lecture's settings reproduces the lecture", () => {
    const r = cli(
      'charseq',
      '--text',
      'hihello',
      '--cell',
      'rnn',
      '--units',
      '5',
      '--learning-rate',
      '0.1',
      '--epochs',
      '100',
      '--seed',
      '0',
      '--json',
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.prediction).toBe('ihello');
    expect(doc.loss).toBeLessThan(0.05);
    expect(doc.lookback).toBe(6);
    expect(r.stderr).toBe('');
  });

  it('the old flags --hidden, --lr and --seq-len still work for one release, with a notice on stderr only', () => {
    const r = cli(
      'charseq',
      '--text',
      'hihello',
      '--cell',
      'rnn',
      '--hidden',
      '5',
      '--lr',
      '0.1',
      '--seq-len',
      '6',
      '--epochs',
      '100',
      '--seed',
      '0',
      '--json',
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.prediction).toBe('ihello');
    const notices = r.stderr.trim().split('\n');
    expect(notices).toEqual([
      'stockcast: --hidden is deprecated and will be removed in the next release; use --units',
      'stockcast: --seq-len is deprecated and will be removed in the next release; use --lookback',
      'stockcast: --lr is deprecated and will be removed in the next release; use --learning-rate',
    ]);
    const both = cli('charseq', '--text', 'hihello', '--units', '5', '--hidden', '5');
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give --units or its old spelling --hidden, not both/);
  });

  it('says when the model has not learned the text (defaults are for forecasters: lr 0.001, 50 epochs)', () => {
    const r = cli('charseq', '--text', 'if you want you', '--epochs', '2', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).accuracy).toBeLessThan(90);
    expect(r.stderr).toMatch(
      /reconstructs only .*% of the text; train longer \(--epochs\) or faster \(--learning-rate/,
    );
  });

  it('trains on a prose file and generates text', () => {
    const r = cli(
      'charseq',
      '--file',
      'fixtures/text/sea-and-ships.txt',
      '--lookback',
      '20',
      '--cell',
      'lstm',
      '--units',
      '48',
      '--learning-rate',
      '0.01',
      '--epochs',
      '20',
      '--generate',
      '60',
      '--prime',
      'The sea',
      '--temperature',
      '0.5',
      '--json',
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.generated).toHaveLength(60);
    expect(doc.loss).toBeGreaterThan(0);
    expect(doc.prediction.length).toBeGreaterThan(100);
  });

  it('usage errors exit 2', () => {
    expect(cli('charseq').code).toBe(2);
    expect(cli('charseq', '--text', 'a').stderr).toMatch(/at least 2 characters/);
    expect(cli('charseq', '--text', 'abc', '--cell', 'cnn').code).toBe(2);
    const lr = cli('charseq', '--text', 'abc', '--learning-rate', '0');
    expect(lr.code).toBe(2);
    expect(lr.stderr).toMatch(
      /option '--learning-rate <x>' argument '0' is invalid\. expected a number above 0, at most 10, received "0"/,
    );
  });
});
