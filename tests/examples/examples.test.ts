import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Runs an example script as a user would (through tsx), with the fast settings. */
function run(script: string): string {
  return execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', env: { ...process.env, STOCKCAST_FAST: '1' }, timeout: 180_000 });
}

describe('examples run as programs', () => {
  it("ncsoft-weekly: the lecture's RNN next to the naive forecast", () => {
    const out = run('examples/ncsoft-weekly.ts');
    expect(out).toMatch(/NCSoft weekly: 23 weeks, 2021-03-21 \.\. 2021-08-22/);
    expect(out).toMatch(/RNN forecast\s+[\d,]+ KRW/);
    expect(out).toMatch(/naive \(last\)\s+853,000 KRW/);
    expect(out).toMatch(/actual\s+709,000 KRW/);
    expect(out).toMatch(/next week 2021-08-29: RNN [\d,]+ KRW, naive 709,000 KRW/);
  });
});
