import { beforeAll, describe, expect, it } from 'vitest';
import {
  compareModels,
  dieboldMariano,
  dieboldMarianoLoss,
  readCsv,
  realityCheck,
  Series,
  spaTest,
  ValidationError,
  type Comparison,
} from '../../src/index.js';
import { pointLoss } from '../../src/backtest/forecast-tests.js';
import { createRng } from '../../src/util/random.js';

const errors = (c: Comparison, model: string, step = 0) =>
  c.results[model].points.filter((p) => p.step === step).map((p) => p.actual - p.predicted);

/** An AR(1) around 100 with coefficient -0.5: its mean forecasts much better than its last value. */
function meanReverting(n: number, seed: number): Series {
  const rng = createRng(seed);
  let y = 100;
  const close = Array.from({ length: n }, () => (y = 100 - 0.5 * (y - 100) + (rng.next() - 0.5) * 4));
  return Series.create({ timestamps: close.map((_, i) => Date.UTC(2020, 0, 1) + i * 86_400_000), columns: { close } });
}

describe('compareModels: every model tested against a benchmark', () => {
  let sp: Series;
  let c: Comparison;
  beforeAll(async () => {
    sp = await readCsv('fixtures/sp500-2000.csv');
    c = await compareModels(sp, ['drift', 'ma:2', 'seasonal:5'], { testSize: 120, resamples: 300 });
  });

  it('adds the default benchmark (naive on prices) as a row of its own, with a null test', () => {
    expect(c.benchmark).toBe('naive');
    expect(c.rows.map((r) => r.model).sort()).toEqual(['drift', 'ma:2', 'naive', 'seasonal:5']);
    const naive = c.rows.find((r) => r.model === 'naive')!;
    expect(naive.dieboldMariano).toBeNull();
    expect(naive.verdict).toBeNull();
  });

  it("each model's test is dieboldMariano on its and the benchmark's errors at the same points", () => {
    for (const model of ['drift', 'ma:2', 'seasonal:5']) {
      const row = c.rows.find((r) => r.model === model)!;
      const t = dieboldMariano(errors(c, model), errors(c, 'naive'), { horizon: 1, power: 2 });
      expect(row.dieboldMariano!.statistic).toBeCloseTo(t.statistic, 12);
      expect(row.dieboldMariano!.pValue).toBeCloseTo(t.pValue, 12);
      expect(row.dieboldMariano).toMatchObject({ benchmark: 'naive', loss: 'mse' });
    }
  });

  it('a verdict only with significance: a 7% smaller RMSE that may be luck ties, a significant loss loses', () => {
    const ma2 = c.rows.find((r) => r.model === 'ma:2')!;
    expect(ma2.theilU).toBeLessThan(0.95);
    expect(ma2.dieboldMariano!.pValue).toBeGreaterThan(0.05);
    expect(ma2.verdict).toBe('ties');
    expect(c.findings.find((f) => f.startsWith('ma:2'))).toMatch(
      /^ma:2 ties the naive forecast .*lower, but the Diebold-Mariano p-value 0\.\d+ on squared error is not below 0\.05/,
    );
    const seasonal = c.rows.find((r) => r.model === 'seasonal:5')!;
    expect(seasonal.dieboldMariano!.pValue).toBeLessThan(0.05);
    expect(seasonal.verdict).toBe('loses to');
    expect(c.findings.find((f) => f.startsWith('seasonal:5'))).toMatch(/^seasonal:5 loses to the naive forecast/);
    // No finding or row says beats or loses to without a p-value below 0.05.
    for (const row of c.rows.filter((r) => r.dieboldMariano)) {
      const significant = row.dieboldMariano!.pValue < 0.05;
      expect(row.verdict === 'beats' || row.verdict === 'loses to').toBe(significant);
      const sentence = c.findings.find((f) => f.startsWith(`${row.model} `))!;
      expect(/ (beats|loses to) /.test(sentence)).toBe(significant);
    }
    expect(c.findings).toHaveLength(3);
  });

  it('beats when the test says so: the mean of a mean-reverting series against its last value', async () => {
    const r = await compareModels(meanReverting(300, 3), ['mean'], { testSize: 100, resamples: 200 });
    const mean = r.rows.find((x) => x.model === 'mean')!;
    expect(mean.dieboldMariano!.pValue).toBeLessThan(0.05);
    expect(mean.verdict).toBe('beats');
    expect(r.findings[0]).toMatch(/^mean beats the naive forecast \(the last value\): its RMSE is [\d.]+% lower/);
    expect(r.tests.spa!.pValue).toBeLessThan(0.05);
  });

  it('the Reality Check and SPA test equal the bootstrap functions on the per-origin rankBy losses', () => {
    const others = ['drift', 'ma:2', 'seasonal:5'];
    const sq = (m: string) => errors(c, m).map((e) => e * e);
    const options = { blockLength: c.tests.blockLength, resamples: 300, seed: 42 };
    const rc = realityCheck(others.map(sq), sq('naive'), options);
    const spa = spaTest(others.map(sq), sq('naive'), options);
    expect(c.tests).toMatchObject({
      benchmark: 'naive',
      metric: 'rmse',
      periods: 120,
      blockLength: 5,
      resamples: 300,
      seed: 42,
    });
    expect(c.tests.realityCheck).toEqual({ statistic: rc.statistic, pValue: rc.pValue, best: others[rc.best] });
    expect(c.tests.spa!.pValue).toBe(spa.pValue);
    expect(c.tests.spa!.best).toBe(others[spa.best]);
  });

  it('at horizons above 1: one test per step, the last as statistic and pValue, lags as the forecasts overlap', async () => {
    const r = await compareModels(sp, ['drift'], { testSize: 60, horizon: 3, step: 1, resamples: 100 });
    const dm = r.rows.find((x) => x.model === 'drift')!.dieboldMariano!;
    expect(dm.perStep).toHaveLength(3);
    for (const h of [0, 1, 2]) {
      const t = dieboldMariano(errors(r, 'drift', h), errors(r, 'naive', h), { horizon: h + 1 });
      expect(dm.perStep![h].statistic).toBeCloseTo(t.statistic, 12);
    }
    expect(dm.pValue).toBe(dm.perStep![2].pValue);
  });

  it('a listed benchmark is not added twice; an unknown one, or QLIKE on prices, is refused', async () => {
    const r = await compareModels(sp, ['drift', 'ma:2'], { testSize: 30, benchmark: 'drift', resamples: 50 });
    expect(r.rows).toHaveLength(2);
    expect(r.benchmark).toBe('drift');
    expect(r.rows.find((x) => x.model === 'drift')!.dieboldMariano).toBeNull();
    await expect(compareModels(sp, ['drift'], { testSize: 30, testLoss: 'qlike' })).rejects.toThrow(
      /QLIKE compares variance forecasts: the target is a price/,
    );
    await expect(compareModels(sp, ['drift'], { testSize: 30, benchmark: 'arima' })).rejects.toThrow(ValidationError);
    await expect(compareModels(sp, ['drift'], { testSize: 30, resamples: 0 })).rejects.toThrow(ValidationError);
  });

  it('volatility targets: garch is the default benchmark; testLoss qlike tests QLIKE, the verdict stays on squared error', async () => {
    const r = await compareModels(sp.slice(-400), ['ewma'], {
      targetTransform: 'rv:5',
      testSize: 60,
      refit: 'once',
      testLoss: 'qlike',
      resamples: 100,
    });
    expect(r.benchmark).toBe('garch');
    const ewma = r.rows.find((x) => x.model === 'ewma')!;
    expect(ewma.dieboldMariano!.loss).toBe('qlike');
    const d = r.results.ewma.points.map(
      (p, i) => pointLoss(p, 'qlike', 'volatility') - pointLoss(r.results.garch.points[i], 'qlike', 'volatility'),
    );
    expect(ewma.dieboldMariano!.statistic).toBeCloseTo(dieboldMarianoLoss(d).statistic, 12);
    const squared = dieboldMariano(errors(r, 'ewma'), errors(r, 'garch'));
    expect(ewma.verdict).toBe(squared.pValue < 0.05 ? (squared.statistic < 0 ? 'beats' : 'loses to') : 'ties');
  });
});
