/** What a panel backtest returns, and how its points become per-symbol and pooled metrics, Theil's U and quantile metrics. */
import type { Panel } from '../data/panel.js';
import type { TargetKind } from '../models/contract.js';
import type { VarianceContext } from '../models/baselines/variance-baselines.js';
import { computeMetrics, metricsPerStep, naiveScale, type ForecastPoint, type Metrics } from './metrics.js';
import { quantileBacktest, quantileResults, type QuantileBacktest, type RiskBacktest } from './quantile-results.js';
import type { RankForecastResult } from '../stats/rank-forecast.js';

/** A forecast point of one symbol. */
export interface PanelForecastPoint extends ForecastPoint {
  /** The symbol. */
  symbol: string;
}

/** One symbol's part of a panel backtest. */
export interface SymbolResult {
  /** Its forecast points. */
  points: PanelForecastPoint[];
  /** Its metrics (MASE scaled by its own in-sample naive error before its first origin). */
  metrics: Metrics;
  /** Theil's U: the model's RMSE over the naive forecast's RMSE on the same points. */
  theilU: number;
  /** With `quantiles`: this symbol's quantile points and probabilistic metrics. */
  quantiles?: QuantileBacktest;
  /** With `quantiles` on a `logret` target: VaR backtests of the levels below 0.5. */
  risk?: RiskBacktest[];
}

/** What {@link walkForwardPanel} returns. */
export interface PanelBacktestResult {
  /** The model's display name. */
  model: string;
  /** The target column. */
  target: string;
  /** The horizon. */
  horizon: number;
  /** Origins (epoch ms): the dates forecasts start at (with `horizonMean`, those with a mean scored). */
  origins: number[];
  /** Every point of every symbol. */
  points: PanelForecastPoint[];
  /** Metrics pooled over every symbol's points (MASE: each point scaled by its symbol's naive error). */
  metrics: Metrics;
  /** Pooled metrics per horizon step (with `horizonMean`, one: the mean's). */
  perStep: Metrics[];
  /** Whether the points are means over the H steps (`horizonMean`). */
  horizonMean: boolean;
  /** Theil's U pooled: RMSE over the naive RMSE on the same points. */
  theilU: number;
  /** Per symbol. */
  bySymbol: Record<string, SymbolResult>;
  /** What the target is: `price`, `return`, `volatility` or `variance` (see `targetKind`). */
  targetKind: TargetKind;
  /** Per refit of a recurrent model: what it was trained on. */
  fits: PanelFit[];
  /** With `quantiles`: every symbol's quantile points, with metrics pooled over them. */
  quantiles?: QuantileBacktest;
  /** With `rankForecast`: the rank forecasts' RPS against the uniform one, and the portfolio's information ratio. */
  rankForecast?: RankForecastResult;
}

/** One refit of the global model in a panel backtest. */
export interface PanelFit {
  /** The origin (epoch ms) the model was trained for. */
  origin: number;
  /** The last training timestamp of any symbol: always before the origin. */
  lastTrainingTimestamp: number;
  /** The symbols trained on (those with lookback + horizon rows before the origin). */
  symbols: string[];
}

/** What one panel backtest carries between its steps. @internal */
export interface PanelRun {
  panel: Panel;
  origins: number[];
  need: number;
  target: string;
  H: number;
  /** Each origin scored by the mean of its H steps. */
  horizonMean: boolean;
  levels: number[] | undefined;
  kind: TargetKind;
  /** Rows of each symbol a model trains on before an origin (Infinity: every row, an expanding window). */
  trainLength: number;
  /** Per symbol, quantile forecasts by origin row. */
  quantileFolds: Map<string, Array<{ origin: number; quantiles: number[][] }>>;
  fits: PanelFit[];
}

const rmse = (e: number[]) => Math.sqrt(e.reduce((a, b) => a + b * b, 0) / e.length);

/** Per-symbol and pooled metrics, Theil's U, quantile metrics. @internal */
export function summarize(
  name: string,
  run: PanelRun,
  points: PanelForecastPoint[],
  naiveErrors: Map<string, number[]>,
  contexts: Map<string, VarianceContext>,
): PanelBacktestResult {
  const { panel, target, H, levels, kind } = run;
  // MASE per symbol: its in-sample naive error before its first origin.
  const bySymbol: Record<string, SymbolResult> = {};
  const scales = new Map<string, number>();
  for (const symbol of panel.symbols) {
    const mine = points.filter((p) => p.symbol === symbol);
    if (mine.length === 0) continue;
    const s = panel.get(symbol);
    const scale = naiveScale(s.columnRef(target), s.indexAtOrAfter(mine[0].originTimestamp));
    scales.set(symbol, scale);
    bySymbol[symbol] = {
      points: mine,
      metrics: computeMetrics(mine, scale, kind),
      theilU: rmse(mine.map((p) => p.actual - p.predicted)) / rmse(naiveErrors.get(symbol)!),
    };
  }
  const pooledQuantiles = levels ? quantilesBySymbol(run, levels, bySymbol, contexts) : undefined;
  const pooled = computeMetrics(points, Number.NaN, kind);
  const scaled = points.map((p) => Math.abs(p.actual - p.predicted) / scales.get(p.symbol)!);
  pooled.mase = scaled.every(Number.isFinite) ? scaled.reduce((a, b) => a + b, 0) / scaled.length : Number.NaN;
  const allNaive = [...naiveErrors.values()].flat();
  const scored = new Set(points.map((p) => p.originTimestamp));
  return {
    model: name,
    target,
    horizon: H,
    // With horizonMean, an origin whose span runs past every symbol's rows has no mean to score: it is left out.
    origins: run.horizonMean ? run.origins.filter((t) => scored.has(t)) : run.origins,
    points,
    metrics: pooled,
    perStep: metricsPerStep(points, { horizon: run.horizonMean ? 1 : H, scale: Number.NaN, targetKind: kind }),
    horizonMean: run.horizonMean,
    theilU: rmse(points.map((p) => p.actual - p.predicted)) / rmse(allNaive),
    bySymbol,
    targetKind: kind,
    fits: run.fits,
    ...(pooledQuantiles ? { quantiles: pooledQuantiles } : {}),
  };
}

/** Each symbol's quantile points and metrics (set on its result), and the quantile metrics pooled over them. */
function quantilesBySymbol(
  run: PanelRun,
  levels: number[],
  bySymbol: Record<string, SymbolResult>,
  contexts: Map<string, VarianceContext>,
): QuantileBacktest {
  const returns = [...contexts.values()][0]?.transform.kind === 'log-returns';
  const all: QuantileBacktest['points'] = [];
  for (const [symbol, folds] of run.quantileFolds) {
    if (!bySymbol[symbol]) continue;
    const s = run.panel.get(symbol);
    // Only the steps inside the series (the last origins of a symbol may reach past its end).
    const inside = folds
      .map((f) => ({ origin: f.origin, quantiles: f.quantiles.slice(0, Math.max(0, s.length - f.origin)) }))
      .filter((f) => f.quantiles.length > 0);
    const r = quantileResults(inside, s.columnRef(run.target), (row) => s.timestampAt(row), levels, returns);
    bySymbol[symbol].quantiles = r.quantiles;
    if (r.risk) bySymbol[symbol].risk = r.risk;
    all.push(...r.quantiles.points);
  }
  return quantileBacktest(all, levels, run.H);
}
