import { describe, expect, it } from 'vitest';
import { addVolatility, applyTargetTransform, parseTargetTransform, readCsv, Series } from '../../src/index.js';

const sp = (await readCsv('fixtures/sp500-2000.csv')).slice(0, 300);

describe('target transforms', () => {
  it('parse rv, parkinson, gk, yz and logret', () => {
    expect(parseTargetTransform('rv:5')).toEqual({ kind: 'volatility', estimator: 'close-to-close', span: 5 });
    expect(parseTargetTransform(' gk:22 ')).toEqual({ kind: 'volatility', estimator: 'garman-klass', span: 22 });
    expect(parseTargetTransform('parkinson:1')).toEqual({ kind: 'volatility', estimator: 'parkinson', span: 1 });
    expect(parseTargetTransform('logret')).toEqual({ kind: 'log-returns' });
    expect(() => parseTargetTransform('yz:1')).toThrow(/unknown target transform "yz:1": expected rv:K/);
    expect(() => parseTargetTransform('vol:5')).toThrow(/unknown target transform/);
  });

  it('add the trailing target and the percent returns, row for row', () => {
    const close = sp.column('close');
    for (const spec of ['rv:5', 'parkinson:1', 'yz:3'] as const) {
      const t = applyTargetTransform(sp, spec);
      const est = parseTargetTransform(spec);
      const direct = addVolatility(sp, {
        estimator: est.kind === 'volatility' ? est.estimator : 'close-to-close',
        span: est.kind === 'volatility' ? est.span : 1,
      });
      expect(t.dropped).toBe(Math.max(1, direct.droppedLeading));
      expect(t.series.length).toBe(sp.length - t.dropped);
      expect(t.series.timestampAt(0)).toBe(sp.timestampAt(t.dropped));
      const offset = t.dropped - direct.droppedLeading;
      expect(Array.from(t.series.column(t.target))).toEqual(
        Array.from(direct.series.column(direct.column).subarray(offset)),
      );
      t.returns.forEach((r, i) => expect(r).toBe(100 * Math.log(close[i + t.dropped] / close[i + t.dropped - 1])));
      expect(t.periodsPerYear).toBe(252);
    }
    const lr = applyTargetTransform(sp, 'logret', { periodsPerYear: 250 });
    expect(lr.target).toBe('logret');
    expect(Array.from(lr.series.column('logret'))).toEqual(Array.from(lr.returns));
    expect(lr.periodsPerYear).toBe(250);
  });

  it('explains bad data', () => {
    const bad = Series.create({ timestamps: [0, 1, 2], columns: { close: [1, 0, 1] } });
    expect(() => applyTargetTransform(bad, 'logret')).toThrow(/column "close" row 1: log returns need positive prices/);
    expect(() => applyTargetTransform(sp.select(['open']), 'rv:5')).toThrow(/no column "close"/);
  });
});
