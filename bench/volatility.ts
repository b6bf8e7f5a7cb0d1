/**
 * `npm run bench -- --volatility`: recurrent volatility models before (the plain lstm the SDK ran until the
 * volatility defaults, then the hybrid on GARCH that was the default until each fit chose its base) and after
 * (plain `lstm` on a volatility target: the hybrid defaults) against EWMA, HAR and
 * GARCH, on the bundled S&P 500 file, R's daily series and simulations: pooled QLIKE, RMSE, log MSE and the
 * Diebold-Mariano test (QLIKE) against the best econometric baseline.
 */
import { walkForward, type BacktestResult, type ModelSpec } from '../src/index.js';
import { dieboldMarianoAgainst } from '../src/backtest/forecast-tests.js';
import { volatilityCases, type VolatilityCase } from './volatility-data.js';

/** The models of each case: the three baselines, then before and after (GARCH reads returns: not on a measure). */
const MODELS: Array<{ name: string; spec: ModelSpec }> = [
  { name: 'ewma', spec: 'ewma' },
  { name: 'har', spec: 'har' },
  { name: 'garch', spec: 'garch' },
  { name: 'har-log', spec: 'har-log' },
  // Before: the plain network with the options it ran with until now (windows relative to their last value).
  { name: 'lstm (before)', spec: { model: 'lstm', options: { windowNorm: 'last' }, name: 'lstm (before)' } },
  // The default until each fit chose its base: the hybrid on GARCH (HAR on a realized measure) always.
  { name: 'lstm+garch', spec: 'lstm+garch' },
  { name: 'lstm+har', spec: 'lstm+har' },
  { name: 'lstm', spec: 'lstm' },
];
/** The baselines of a target from prices, and of a realized measure. */
const BASELINES = { prices: ['ewma', 'har', 'garch'], realized: ['ewma', 'har', 'har-log'] };

/** One model's pooled scores on one case. */
export interface VolatilityScore {
  model: string;
  qlike: number;
  rmse: number;
  mseLog: number;
  seconds: number;
  /** Against the best baseline by QLIKE: the DM statistic (negative: lower loss) and its two-sided p-value. */
  dm?: { benchmark: string; statistic: number; pValue: number };
}

/** One case's scores. */
export interface VolatilityRow {
  case: string;
  kind: 'real' | 'simulated';
  transform: string;
  horizon: number;
  testSize: number;
  refit: number;
  best: string;
  scores: VolatilityScore[];
}

/** Runs every case; `onRow` sees each as it finishes. */
export async function benchVolatility(o: {
  quick: boolean;
  onRow?: (r: VolatilityRow) => void;
}): Promise<VolatilityRow[]> {
  const rows: VolatilityRow[] = [];
  for (const c of await volatilityCases(o.quick)) {
    const row = await runCase(c, o.quick);
    o.onRow?.(row);
    rows.push(row);
  }
  return rows;
}

export async function runCase(c: VolatilityCase, quick: boolean): Promise<VolatilityRow> {
  const testSize = quick ? 250 : Math.min(750, Math.floor(c.series.length * 0.3));
  const refit = quick ? 125 : 150;
  const realized = c.transform.startsWith('realized ');
  const target = realized
    ? { target: c.transform.slice('realized '.length), targetKind: 'variance' as const }
    : { targetTransform: c.transform };
  const options = { ...target, horizon: c.horizon, step: 1, testSize, refit, concurrency: 2 };
  const baselines = BASELINES[realized ? 'realized' : 'prices'];
  // The hybrid of the old default: on GARCH from prices, on HAR on a measure.
  const old = realized ? 'lstm+har' : 'lstm+garch';
  const models = MODELS.filter(
    (m) => baselines.includes(m.name) || !/^(ewma|har|garch|har-log|lstm\+)/.test(m.name) || m.name === old,
  );
  const results = new Map<string, BacktestResult>();
  const scores: VolatilityScore[] = [];
  for (const m of models) {
    const started = performance.now();
    const r = (await walkForward(c.series, m.spec, options)) as BacktestResult;
    results.set(m.name, r);
    const metrics = r.metrics as unknown as { qlike: number; rmse: number; mseLog: number };
    scores.push({
      model: m.name,
      qlike: metrics.qlike,
      rmse: metrics.rmse,
      mseLog: metrics.mseLog,
      seconds: (performance.now() - started) / 1000,
    });
  }
  const best = scores.filter((s) => baselines.includes(s.model)).sort((a, b) => a.qlike - b.qlike)[0].model;
  for (const s of scores) {
    if (s.model === best) continue;
    const setup = {
      benchmark: best,
      loss: 'qlike' as const,
      kind: realized ? ('variance' as const) : ('volatility' as const),
      horizon: c.horizon,
      spacing: 1,
    };
    const t = dieboldMarianoAgainst(results.get(s.model)!.points, results.get(best)!.points, setup);
    s.dm = { benchmark: best, statistic: t.statistic, pValue: t.pValue };
  }
  return { case: c.name, kind: c.kind, transform: c.transform, horizon: c.horizon, testSize, refit, best, scores };
}

/** A row as text lines. */
export function formatVolatilityRow(r: VolatilityRow): string[] {
  const head = `${r.case} (${r.transform}, h ${r.horizon}; ${r.testSize} test days, refit every ${r.refit}); best baseline by QLIKE: ${r.best}`;
  const lines = [
    head,
    'model               QLIKE      RMSE    log MSE   DM stat  DM p      vs best QLIKE  vs best RMSE   seconds',
  ];
  const best = r.scores.find((s) => s.model === r.best)!;
  for (const s of r.scores) {
    const rel = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)}%`;
    // Forecasts identical to the best baseline's (a hybrid that kept its base alone) have no test: '='.
    const same = s.dm && Number.isNaN(s.dm.statistic);
    const dm =
      s.dm && !same
        ? `${s.dm.statistic.toFixed(2).padStart(8)}  ${s.dm.pValue.toFixed(3).padEnd(6)}`
        : same
          ? '       =  =     '
          : '       -  -     ';
    lines.push(
      `${s.model.padEnd(17)} ${s.qlike.toFixed(4).padStart(7)} ${(s.rmse < 0.01 ? s.rmse.toExponential(2) : s.rmse.toFixed(3)).padStart(9)} ${s.mseLog.toFixed(4).padStart(10)} ${dm} ${rel(s.qlike, best.qlike).padStart(14)} ${rel(s.rmse, best.rmse).padStart(13)} ${s.seconds.toFixed(1).padStart(9)}`,
    );
  }
  return lines;
}

/** A signed percentage, one decimal. */
const pct = (a: number, b: number) => {
  const x = ((a - b) / b) * 100;
  return `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
};

/**
 * The docs' table (docs/tables/volatility.md): per case, the before (plain LSTM), the previous default (the hybrid
 * on GARCH, or HAR on a measure) and the default now, against the best baseline on QLIKE (and RMSE and the DM
 * p-value for the default).
 */
export function volatilityTable(rows: readonly VolatilityRow[]): string {
  const lines = [
    '| case | h | best baseline | before: QLIKE | lstm+garch (lstm+har): QLIKE | default: QLIKE | default: RMSE | default: DM p |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const best = r.scores.find((s) => s.model === r.best)!;
    const at = (name: string) => r.scores.find((s) => s.model === name);
    const before = at('lstm (before)')!;
    const old = at('lstm+garch') ?? at('lstm+har')!;
    const now = at('lstm')!;
    const p = now.dm && !Number.isNaN(now.dm.pValue) ? now.dm.pValue.toFixed(3) : 'same forecasts';
    lines.push(
      `| ${r.case} | ${r.horizon} | ${r.best} | ${pct(before.qlike, best.qlike)} | ${pct(old.qlike, best.qlike)} | ${pct(now.qlike, best.qlike)} | ${pct(now.rmse, best.rmse)} | ${p} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Counts the docs quote: cases, the default within 1% of the best baseline (QLIKE), and significantly better. */
export function volatilityCounts(rows: readonly VolatilityRow[]): Record<string, number> {
  const now = rows.map((r) => ({
    rel: r.scores.find((s) => s.model === 'lstm')!.qlike / r.scores.find((s) => s.model === r.best)!.qlike - 1,
    dm: r.scores.find((s) => s.model === 'lstm')!.dm,
  }));
  return {
    volatilityCases: rows.length,
    volatilityWithin1: now.filter((n) => n.rel <= 0.01).length,
    volatilityBetter: now.filter((n) => n.rel < 0).length,
    volatilitySignificant: now.filter((n) => n.rel < 0 && n.dm !== undefined && n.dm.pValue < 0.05).length,
  };
}
