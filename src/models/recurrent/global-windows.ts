/**
 * A global forecaster's windows over a panel: the spans cut at dates of the union (training, validation, calibration),
 * the training loop's lazy passes over them, and the network's outputs at any of them, a bounded batch at a time.
 */
import type { Panel } from '../../data/panel.js';
import {
  panelWindowBatches,
  panelWindowIndex,
  panelWindowLayout,
  type PanelWindowBatch,
  type PanelWindowIndex,
  type PanelWindowShape,
  type PanelWindowSource,
} from '../../prep/panel-windows.js';
import { createRng } from '../../util/random.js';
import type { EngineData, RecurrentEngine } from '../engines/engine.js';
import { heldOutSpans } from './fresh-engine.js';
import type { EpochSource } from './training.js';

/** Windows gathered per engine call: bounds memory to SUPER_BATCH x steps x inputs floats, whatever the panel size. */
export const SUPER_BATCH = 4096;

/**
 * Where each symbol's spans start, as row numbers of that symbol, cut at dates of the union of the symbols' dates:
 * training windows have every target before `trainEnd`; validation windows their targets in [trainEnd, fitEnd),
 * split at `selectionEnd` into the windows that select the epoch and the later ones that check the model;
 * calibration windows their targets from `fitEnd` on.
 */
export interface PanelSpans {
  /** Per symbol: the first validation row. */
  trainEnd: Int32Array;
  /** Per symbol: the first row of the check windows (with no split, `fitEnd`). */
  selectionEnd: Int32Array;
  /** Per symbol: the first calibration row (the rows a final fit trains on end here). */
  fitEnd: Int32Array;
  /** Per symbol: its rows. */
  lengths: Int32Array;
  /** Whether there are validation dates. */
  validation: boolean;
  /** Whether the validation dates are split in time: the earlier half selects, the later half checks. */
  split: boolean;
  /** Dates of the union before the first calibration date (the final fit's dates). */
  fitDates: number;
}

/**
 * Cuts a panel's spans at dates, as the forecaster cuts one series' rows: calibration the last fraction of the
 * union of dates, validation before it, each at least the horizon; with early stopping and two validation dates
 * or more, the validation dates split in two halves. @internal
 */
export function panelSpans(
  panel: Panel,
  o: { validation: number; calibration?: number | undefined; horizon: number; earlyStopping: unknown },
): PanelSpans {
  const dates = panel.unionRef();
  const n = dates.length;
  const { trainEnd, fitEnd } = heldOutSpans(n, o);
  const validationDates = fitEnd - trainEnd;
  const split = o.earlyStopping !== false && validationDates >= 2;
  const selectionEnd = split ? trainEnd + Math.floor(validationDates / 2) : fitEnd;
  const series = panel.symbols.map((s) => panel.get(s));
  const rows = (k: number) =>
    Int32Array.from(series, (s) => (k >= n ? s.length : s.indexAtOrAfter(dates[Math.max(0, k)])));
  return {
    trainEnd: rows(trainEnd),
    selectionEnd: rows(selectionEnd),
    fitEnd: rows(fitEnd),
    lengths: Int32Array.from(series, (s) => s.length),
    validation: validationDates > 0,
    split,
    fitDates: fitEnd,
  };
}

/**
 * The windows whose first target lies at or after `starts` of each symbol and all of whose targets lie before
 * `ends`; undefined when there are none. @internal
 */
export function windowsBetween(
  spans: PanelSpans,
  shape: PanelWindowShape,
  starts: ArrayLike<number> | undefined,
  ends: ArrayLike<number>,
): PanelWindowIndex | undefined {
  const index = panelWindowIndex(spans.lengths, { ...shape, ...(starts ? { starts } : {}), ends, allowEmpty: true });
  return index.count > 0 ? index : undefined;
}

function engineData(b: PanelWindowBatch, spreads: ArrayLike<number> | undefined): EngineData {
  const lossScale = spreads && Float32Array.from(b.symbol, (k) => spreads[k]);
  return { x: b.x, y: b.y, count: b.count, steps: b.steps, ...(lossScale ? { lossScale } : {}) };
}

/**
 * A panel's windows as the training loop sees them: each epoch shuffles the windows across symbols (from the
 * epoch's seed) and trains on them a bounded batch at a time; evaluation is the mean loss over every window.
 * `spreads` (loss `qlike`): each symbol's scaler spread, by symbol number, which the loss undoes.
 * @internal
 */
export function panelEpochs(
  sources: readonly PanelWindowSource[],
  shape: PanelWindowShape,
  index: PanelWindowIndex,
  spreads?: ArrayLike<number>,
): EpochSource {
  const order = Int32Array.from({ length: index.count }, (_, i) => i);
  return {
    count: index.count,
    steps: panelWindowLayout(shape).steps,
    async trainEpoch(engine, batchSize, rng) {
      rng.shuffle(order);
      let total = 0;
      for (const batch of panelWindowBatches(sources, shape, index, { batchSize: SUPER_BATCH, order })) {
        total += (await engine.trainEpoch(engineData(batch, spreads), batchSize, createRng(rng.fork()))) * batch.count;
      }
      return total / index.count;
    },
    async evaluate(engine) {
      let total = 0;
      for (const batch of panelWindowBatches(sources, shape, index, { batchSize: SUPER_BATCH })) {
        total += (await engine.evaluate(engineData(batch, spreads))) * batch.count;
      }
      return total / index.count;
    },
  };
}

/** The network's outputs at a set of windows, in the units it reads (scaled, relative to each window's last value). */
export interface PanelOutputs {
  /** Head outputs, [count, outputSize] row-major. */
  raw: Float32Array;
  /** Targets in the same units, [count, horizon] (NaN past a symbol's last row). */
  y: Float32Array;
  /** With `windowNorm: 'last'`: each window's last target value. */
  anchor: Float64Array | undefined;
  /** Symbol number of each window. */
  symbol: Int32Array;
  /** First target row of each window. */
  row: Int32Array;
  /** Windows. */
  count: number;
}

/** Runs the network over windows, a bounded batch at a time. @internal */
export async function panelOutputs(
  engine: RecurrentEngine,
  sources: readonly PanelWindowSource[],
  shape: PanelWindowShape,
  index: PanelWindowIndex,
): Promise<PanelOutputs> {
  const width = engine.spec.outputSize;
  const raw = new Float32Array(index.count * width);
  const y = new Float32Array(index.count * shape.horizon);
  const anchor = shape.windowNorm === 'last' ? new Float64Array(index.count) : undefined;
  let done = 0;
  for (const batch of panelWindowBatches(sources, shape, index, { batchSize: SUPER_BATCH })) {
    raw.set(await engine.predict(batch.x, batch.count, batch.steps), done * width);
    y.set(batch.y, done * shape.horizon);
    if (anchor) anchor.set(batch.anchor!, done);
    done += batch.count;
  }
  return { raw, y, anchor, symbol: index.symbol, row: index.row, count: index.count };
}
