/** The probabilistic and risk part of `stockcast backtest` output: JSON fields, tables, charts and the console summary. */
import type { Comparison } from '../../backtest/compare.js';
import type { BacktestResult } from '../../backtest/walk-forward.js';
import type { ReportTable } from '../../report/report.js';
import { coverageChart, exceedanceChart, quantileFanChart } from '../../report/risk-charts.js';
import { coverageByLevelChart, pitChart } from '../../report/stats-charts.js';
import { printTable } from '../common.js';

const pct = (p: number) => `${Math.round(p * 1000) / 10}%`;

/** The JSON fields a model's result adds when it has quantiles, VaR tests or a target transform. */
export function riskJson(
  r: Pick<BacktestResult, 'quantiles' | 'risk'> & { transform?: BacktestResult['transform'] },
): Record<string, unknown> {
  return {
    ...(r.transform ? { transform: r.transform } : {}),
    ...(r.quantiles
      ? {
          quantiles: {
            levels: r.quantiles.levels,
            metrics: r.quantiles.metrics,
            perStep: r.quantiles.perStep,
            pit: r.quantiles.pit,
            coverageByLevel: r.quantiles.coverageByLevel,
          },
        }
      : {}),
    ...(r.risk
      ? {
          risk: r.risk.map((x) => ({
            level: x.level,
            observations: x.observations,
            exceedances: x.exceedances,
            rate: x.rate,
            kupiec: x.kupiec,
            independence: x.independence,
            conditionalCoverage: x.conditionalCoverage,
          })),
        }
      : {}),
  };
}

/** The CRPS column, where the levels support a CRPS (every model of a backtest shares the levels). */
function crpsColumn(withQ: BacktestResult[]): { columns: string[]; cells: (r: BacktestResult) => number[] } {
  if (withQ[0].quantiles!.metrics.crps === undefined) return { columns: [], cells: () => [] };
  return { columns: ['CRPS'], cells: (r) => [r.quantiles!.metrics.crps!] };
}

/** Report tables: probabilistic metrics and VaR tests per model (none when no model gave quantiles). */
export function riskTables(c: Comparison): ReportTable[] {
  const withQ = c.rows.map((row) => c.results[row.model]).filter((r) => r.quantiles);
  if (withQ.length === 0) return [];
  const intervals = withQ[0].quantiles!.metrics.intervals.map((iv) => pct(iv.nominal));
  const crps = crpsColumn(withQ);
  const tables: ReportTable[] = [
    {
      title: 'Probabilistic metrics (pooled)',
      columns: [
        'model',
        ...crps.columns,
        'mean pinball',
        ...intervals.flatMap((n) => [`${n} coverage`, `${n} width`, `${n} Winkler`]),
      ],
      rows: withQ.map((r) => [
        r.model,
        ...crps.cells(r),
        r.quantiles!.metrics.meanPinball,
        ...r.quantiles!.metrics.intervals.flatMap((iv) => [iv.coverage, iv.meanWidth, iv.winkler]),
      ]),
    },
  ];
  const risk = withQ.filter((r) => r.risk && r.risk.length > 0);
  if (risk.length > 0) {
    tables.push({
      title: 'VaR backtests (first-step forecasts of the return)',
      columns: [
        'model',
        'level',
        'T',
        'exceedances',
        'expected',
        'Kupiec LR',
        'p',
        'independence LR',
        'p',
        'cond. coverage LR',
        'p',
      ],
      rows: risk.flatMap((r) =>
        r.risk!.map((x) => [
          r.model,
          x.level,
          x.observations,
          x.exceedances,
          x.level * x.observations,
          x.kupiec.statistic,
          x.kupiec.pValue,
          x.independence.statistic,
          x.independence.pValue,
          x.conditionalCoverage.statistic,
          x.conditionalCoverage.pValue,
        ]),
      ),
    });
  }
  return tables;
}

/**
 * Report charts: the best quantile model's fan, coverage by step, PIT histogram and coverage by level, and each VaR
 * level's exceedance timeline.
 */
export async function riskCharts(c: Comparison): Promise<string[]> {
  const best = c.rows.map((row) => c.results[row.model]).find((r) => r.quantiles);
  if (!best) return [];
  const q = best.quantiles!;
  const charts = [
    await quantileFanChart(q.points, {
      levels: q.levels,
      target: best.target,
      title: `${best.target}: ${best.model} quantile forecasts, step 1`,
    }),
  ];
  if (best.horizon > 1)
    charts.push(await coverageChart(q.perStep, { title: `${best.model}: interval coverage by horizon step` }));
  if (q.pit) {
    const p = q.pit.chiSquare.pValue.toPrecision(2);
    const title = `${best.model}: PIT histogram of ${q.pit.count} forecasts (uniformity p-value ${p})`;
    charts.push(await pitChart(q.pit, { title }));
  }
  if (q.coverageByLevel) {
    charts.push(await coverageByLevelChart(q.coverageByLevel, { title: `${best.model}: coverage by quantile level` }));
  }
  for (const x of best.risk ?? [])
    charts.push(
      await exceedanceChart(
        { timestamps: x.timestamps, returns: x.returns, valueAtRisk: x.valueAtRisk },
        { level: x.level, model: best.model },
      ),
    );
  return charts;
}

/** Prints the probabilistic metrics and VaR tests under the ranked table. */
export function printRisk(c: Comparison): void {
  const withQ = c.rows.map((row) => c.results[row.model]).filter((r) => r.quantiles);
  if (withQ.length === 0) return;
  console.log('\nprobabilistic forecasts (pooled):');
  const intervals = withQ[0].quantiles!.metrics.intervals.map((iv) => pct(iv.nominal));
  const crps = crpsColumn(withQ);
  printTable(
    ['model', ...crps.columns, 'pinball', ...intervals.flatMap((n) => [`cov ${n}`, `width ${n}`])],
    withQ.map((r) => [
      r.model,
      ...crps.cells(r),
      r.quantiles!.metrics.meanPinball,
      ...r.quantiles!.metrics.intervals.flatMap((iv) => [iv.coverage, iv.meanWidth]),
    ]),
  );
  const risk = withQ.filter((r) => r.risk && r.risk.length > 0);
  if (risk.length === 0) return;
  console.log(
    '\nVaR backtests (first-step forecasts; p-values of Kupiec, Christoffersen independence, conditional coverage):',
  );
  printTable(
    ['model', 'level', 'T', 'hits', 'expected', 'p Kupiec', 'p indep', 'p cc'],
    risk.flatMap((r) =>
      r.risk!.map((x) => [
        r.model,
        x.level,
        x.observations,
        x.exceedances,
        x.level * x.observations,
        x.kupiec.pValue,
        x.independence.pValue,
        x.conditionalCoverage.pValue,
      ]),
    ),
  );
}
