import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Runs an example script as a user would (through tsx), with the fast settings. */
function run(script: string, ...args: string[]): string {
  return execFileSync(process.execPath, ['--import', 'tsx', script, ...args], {
    encoding: 'utf8',
    env: { ...process.env, STOCKCAST_FAST: '1' },
    timeout: 180_000,
  });
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

  it('hihello prints loss and prediction per iteration and ends at "ihello"', () => {
    const out = run('examples/hihello.ts');
    expect(out.split('\n').filter((l) => / loss: /.test(l))).toHaveLength(100);
    expect(out).toMatch(/^1 loss: [\d.]+ prediction: \[[\d,]+\] true Y: \[1, 0, 2, 3, 3, 4\] prediction str: \w+$/m);
    expect(out.trim().split('\n').at(-1)).toBe('final prediction: ihello');
  });

  it('charseq learns " if you want you"', () => {
    expect(run('examples/charseq.ts')).toMatch(/final prediction: "if you want you"/);
  });

  it('longseq reconstructs the sentence', () => {
    const out = run('examples/longseq.ts', '0');
    const pct = Number(/seed 0: ([\d.]+)% of characters correct/.exec(out)![1]);
    expect(pct).toBeGreaterThanOrEqual(95);
  });
});

describe('library examples', () => {
  it('save-load: the loaded model predicts identically', () => {
    const out = run('examples/save-load.ts');
    expect(out).toMatch(/model.json, weights-[0-9a-f]{8}-[0-9a-f]{8}\.bin/);
    expect(out).toMatch(/identical: true/);
  });

  it('danfojs-interop: Series -> DataFrame -> Series', () => {
    expect(run('examples/danfojs-interop.ts')).toMatch(
      /back to a Series: 23 weekly rows, columns num_search, price_k; first price_k 932/,
    );
  });
  it('panel-backtest: a global LSTM against per-symbol baselines on five stocks, pooled and per symbol', () => {
    const out = run('examples/panel-backtest.ts');
    expect(out).toMatch(/^5 symbols, 560 monthly rows: MSFT 123, AMZN 123, IBM 123, GOOG 68, AAPL 123$/m);
    for (const model of ['naive', 'drift', 'mean', 'global lstm'])
      expect(out).toMatch(new RegExp(`^\\d\\s+${model}\\s+\\d+\\.\\d{3}`, 'm'));
    expect(out).toMatch(/^\d\s+naive\s+[\d.]+\s+[\d.]+\s+1\.000$/m); // naive's Theil's U is 1 by definition
    expect(out).toMatch(/^GOOG\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+$/m);
    expect(out).toMatch(/report written to panel-report.html/);
    expect(out).toMatch(/^ {2}AAPL +2010-04 [\d.]+ {3}2010-05 [\d.]+ {3}2010-06 [\d.]+$/m);
  });
  // examples/yahoo-forecast.ts needs the network, so the suite does not run it.
});

describe('the demo', () => {
  it('backtests the LSTM against the baselines, writes the report and forecasts 5 trading days', () => {
    const out = run('examples/sp500-backtest.ts');
    for (const model of ['naive', 'drift', 'ma:20', 'lstm'])
      expect(out).toMatch(new RegExp(`^\\d\\s+${model.replace(':', ':')}\\s`, 'm'));
    expect(out).toMatch(/next 5 trading days:\n {2}2020-04-20 {2}\d+\.\d\d/);
    // Skill or luck: each model's Diebold-Mariano p-value and verdict (beats or loses to only below 0.05).
    expect(out).toMatch(/^\d\s+naive\s.*\sbenchmark$/m);
    for (const m of out.matchAll(/^\d\s+(drift|lstm|ma:20)\s.*\s(\d\.\d{3})\s+(beats|loses to|ties)$/gm)) {
      expect(m[3] === 'ties').toBe(Number(m[2]) >= 0.05);
    }
    expect(out.match(/^\d\s+(drift|lstm|ma:20)\s.*\s(beats|loses to|ties)$/gm)).toHaveLength(3);
    expect(out).toMatch(/Hansen's SPA p-value \d\.\d{3}, White's Reality Check p-value \d\.\d{3}/);
    expect(out).toMatch(/DSR \d\.\d\d over 4 strategies, percentile [\d.]+ among 1000 random signals/);
    expect(out).toMatch(/report written to .*demo-report.html/);
    // Volatility: the recurrent volatility model and the three baselines, ranked by QLIKE, tested against garch.
    for (const model of ['ewma', 'har', 'lstm'])
      expect(out).toMatch(new RegExp(`^ {2}\\d {2}${model}\\s+\\d\\.\\d{4}\\s+\\d+\\.\\d{3} {2}\\d\\.\\d{3}`, 'm'));
    expect(out).toMatch(/^ {2}\d {2}garch\s.*benchmark$/m);
  });
});

describe('volatility and risk examples', () => {
  it('volatility: the LSTM next to naive, EWMA, HAR and GARCH on 5-day realized volatility, ranked, with a result line; realized variance daily and weekly', () => {
    const out = run('examples/volatility.ts');
    const row = '\\s+[\\d.]+'.repeat(5);
    for (const model of ['naive', 'ewma', 'har', 'garch-t', 'lstm', 'lstm-plain'])
      expect(out).toMatch(new RegExp(`^\\d\\s+${model}${row}\\s+[\\d.]+$`, 'm'));
    // GARCH is the benchmark of a target derived from daily prices: its own test is "-".
    expect(out).toMatch(new RegExp(`^\\d\\s+garch${row}\\s+-$`, 'm'));
    expect(out).toMatch(/^\d\s+naive\s+[\d.]+\s+[\d.]+\s+1\.000\s+1\.000\s/m);
    expect(out).toMatch(
      /^result: \S+ ranks first by RMSE \(Theil U [\d.]+\); the default lstm has Theil U [\d.]+ overall and [\d.]+ at step 5, (ahead of|behind) the best baseline/m,
    );
    expect(out).toMatch(/report written to test-artifacts\/volatility-report.html/);
    // Part 2: simulated intraday bars to daily rv, the HAR family ranked by QLIKE, DM tests on QLIKE against har.
    expect(out).toMatch(/^simulated intraday bars: 14400 bars, 300 days of realized measures/m);
    const [daily, weekly] = out.split(/^the mean rv of the next 5 days/m);
    for (const model of ['naive', 'ewma', 'har-log', 'har-j', 'shar', 'harq', 'lstm']) {
      expect(daily).toMatch(new RegExp(`^\\d\\s+${model}\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+$`, 'm'));
    }
    expect(daily).toMatch(/^\d\s+har\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+-$/m);
    expect(daily).toMatch(/^result: \S+ has the lowest QLIKE; 7 findings against har$/m);
    // The weekly target: 60 test days give 56 origins whose 5 days lie inside the data.
    expect(weekly).toMatch(/^, from 56 origins:/);
    for (const model of ['naive', 'ewma', 'har-log'])
      expect(weekly).toMatch(new RegExp(`^\\d\\s+${model}\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+$`, 'm'));
    expect(weekly).toMatch(/^\d\s+har\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+-$/m);
  });

  it('value-at-risk: 1% and 5% VaR of the quantile LSTM, GARCH-t and historical simulation with Kupiec and Christoffersen', () => {
    const out = run('examples/value-at-risk.ts');
    // 120 days in the fast run: 1.2 and 6.0 exceedances expected.
    for (const [level, expected] of [
      ['1%', '1\\.2'],
      ['5%', '6\\.0'],
    ]) {
      for (const model of ['quantile LSTM', 'GARCH-t', 'historical 250'])
        expect(out).toMatch(
          new RegExp(`^${level}\\s+${model}\\s+\\d+\\s+${expected}\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+$`, 'm'),
        );
    }
    expect(out).toMatch(/^result: conditional coverage not rejected at 5% for /m);
    expect(out).toMatch(/report written to test-artifacts\/value-at-risk-report.html/);
  });
});
