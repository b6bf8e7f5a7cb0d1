import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

describe('stockcast charseq', () => {
  it('--text hihello reproduces the lecture', () => {
    const r = cli('charseq', '--text', 'hihello', '--hidden', '5', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.prediction).toBe('ihello');
    expect(doc.loss).toBeLessThan(0.05);
  });

  it('trains on a prose file and generates text', () => {
    const r = cli('charseq', '--file', 'fixtures/text/sea-and-ships.txt', '--seq-len', '20', '--cell', 'lstm', '--hidden', '48', '--lr', '0.01', '--epochs', '20', '--generate', '60', '--prime', 'The sea', '--temperature', '0.5', '--json');
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
  });
});
