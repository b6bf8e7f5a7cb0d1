/** The two phases of a sweep: the search on the validation folds, then the chosen configuration's one test score. */
import { DataError } from '../errors.js';
import type { Series } from '../data/series.js';
import type { BacktestResult } from '../backtest/walk-forward.js';
import type { Rung } from './search.js';
import type { Params } from './space.js';
import type { Span } from './spans.js';
import {
  rank,
  scoreCandidates,
  searchTrials,
  type Objective,
  type RunContext,
  type Scored,
  type SweepProgress,
  type Trial,
} from './trials.js';
import { noStrategyReason, trialSharpe } from './skill.js';

/** One series of a sweep (a panel's symbol, or the series alone) with its validation and test spans. @internal */
export interface Part {
  symbol: string | undefined;
  spans: { validation: Span; test: Span };
}

/** What both phases share once the options, the model and the spans are settled. @internal */
export interface SweepRun {
  panel: boolean;
  horizon: number;
  step: number | undefined;
  objective: Objective;
  onProgress: ((p: SweepProgress) => void) | undefined;
  parts: Part[];
  rungs: Rung[];
  frequency: Series['meta']['frequency'];
  context: (onJobs: RunContext['onJobs']) => RunContext;
}

/** The test span's outcome of the chosen configuration. @internal */
export type TestScore = Extract<Scored, { ok: true }>;

/**
 * The search on the validation folds: every trial, and the best complete one (ties go to the earlier trial).
 * @throws {@link DataError} when every trial failed (the first reason given)
 * @internal
 */
export async function validate(
  run: SweepRun,
  points: Params[],
): Promise<{ trials: Trial[]; chosen: Trial; strategyNote: string | undefined }> {
  const { objective, rungs, context } = run;
  const validation = run.parts.map((p) => ({ symbol: p.symbol, span: p.spans.validation }));
  // At horizon 1 on a series every trial's strategy is simulated on its validation folds, for the deflated Sharpe.
  const strategyNote = noStrategyReason(run.panel, run.horizon, run.step);
  const sharpeOf = strategyNote
    ? undefined
    : (results: readonly BacktestResult[]) => trialSharpe(results, run.frequency);
  const trials = await searchTrials(
    points,
    rungs,
    validation,
    objective,
    (rung, progress) =>
      context((jobs) => {
        const at = rungs.length > 1 ? { rung: { index: rung, count: rungs.length } } : {};
        run.onProgress?.({ phase: 'validation', ...at, trials: progress(), jobs });
      }),
    sharpeOf,
  );
  const finalists = trials
    .filter((t) => t.status === 'complete')
    .sort((a, b) => rank(objective, a.objective) - rank(objective, b.objective) || a.index - b.index);
  if (finalists.length === 0)
    throw new DataError(
      `every one of the ${trials.length} trials failed; the first: ${trials[0].error ?? 'no reason given'}`,
      {},
      { hint: 'check the space against the data: a lookback needs rows before the validation span' },
    );
  return { trials, chosen: finalists[0], strategyNote };
}

/**
 * The test span, once, with the chosen configuration at the full budget.
 * @throws {@link DataError} when the chosen configuration fails on the test span
 * @internal
 */
export async function testChosen(run: SweepRun, chosen: Trial, trials: Trial[]): Promise<TestScore> {
  const done = {
    total: trials.length,
    done: trials.length,
    failed: trials.filter((t) => t.status === 'failed').length,
  };
  const [test] = await scoreCandidates(
    [{ index: chosen.index, params: chosen.params, epochs: chosen.epochs }],
    run.parts.map((p) => ({ symbol: p.symbol, span: p.spans.test })),
    run.context((jobs) => run.onProgress?.({ phase: 'test', trials: done, jobs })),
  );
  if (!test.ok)
    throw new DataError(`the chosen configuration (trial ${chosen.index}) failed on the test span: ${test.error}`);
  return test;
}
