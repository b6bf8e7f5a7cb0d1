import { describe, expect, it } from 'vitest';
import {
  DataError,
  gatherPanelWindows,
  makeWindows,
  panelWindowBatches,
  panelWindowIndex,
  panelWindowLayout,
  type PanelWindowSource,
} from '../../src/index.js';
import { createRng } from '../../src/util/random.js';
import { syntheticPanel } from '../helpers/panels.js';

const f32 = (a: ArrayLike<number>) => Float32Array.from(a);

describe('panelWindowIndex', () => {
  it('lists every (symbol, target row) pair; short symbols get none', () => {
    const idx = panelWindowIndex([5, 3, 2], { lookback: 2, horizon: 1 });
    expect(Array.from(idx.symbol)).toEqual([0, 0, 0, 1]);
    expect(Array.from(idx.row)).toEqual([2, 3, 4, 2]);
    expect(Array.from(idx.perSymbol)).toEqual([3, 1, 0]);
  });
  it('keeps targets before each symbol’s end and from its start, with a step', () => {
    const idx = panelWindowIndex([10, 10], { lookback: 2, horizon: 2, step: 2, starts: [3, 0], ends: [8, 6] });
    expect(Array.from(idx.row)).toEqual([3, 5, 2, 4]);
    for (let w = 0; w < idx.count; w++) expect(idx.row[w] + 2).toBeLessThanOrEqual([8, 6][idx.symbol[w]]);
  });
  it('fails when no symbol has a window', () => {
    expect(() => panelWindowIndex([2, 3], { lookback: 3, horizon: 1 })).toThrow(DataError);
    expect(() => panelWindowIndex([2, 3], { lookback: 3, horizon: 1 })).toThrow(
      'no symbol has a complete window: lookback 3 + horizon 1 needs 4 rows',
    );
  });
});

describe('gathering panel windows', () => {
  it('equal, symbol by symbol, to makeWindows on each series', () => {
    const panel = syntheticPanel({ symbols: 4, days: 120, seed: 5, columns: ['close', 'volume'] });
    const sources: PanelWindowSource[] = [...panel].map(([, s]) => ({
      past: [f32(s.columnRef('volume')), f32(s.columnRef('close'))],
      target: f32(s.columnRef('close')),
    }));
    const shape = { lookback: 7, horizon: 3, past: 2, known: 0, statics: 0 };
    const idx = panelWindowIndex(
      [...panel].map(([, s]) => s.length),
      shape,
    );
    const all = gatherPanelWindows(sources, shape, idx);
    let offset = 0;
    for (const [i, [, s]] of [...panel].entries()) {
      const w = makeWindows(s, { lookback: 7, horizon: 3, target: 'close', features: ['volume', 'close'] });
      expect(all.x.subarray(offset * 14, (offset + w.count) * 14)).toEqual(w.x);
      expect(all.y.subarray(offset * 3, (offset + w.count) * 3)).toEqual(w.y);
      expect(Array.from(idx.row.subarray(offset, offset + w.count))).toEqual(Array.from(w.targetIndex));
      expect(new Set(idx.symbol.subarray(offset, offset + w.count))).toEqual(new Set([i]));
      offset += w.count;
    }
    expect(offset).toBe(idx.count);
  });

  it('lays out forecast steps with future-known covariates, statics and a forecast-step flag', () => {
    const source: PanelWindowSource = {
      past: [f32([10, 11, 12, 13, 14])],
      target: f32([10, 11, 12, 13, 14]),
      known: [f32([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7])],
      statics: f32([7]),
    };
    const shape = { lookback: 2, horizon: 2, past: 1, known: 1, statics: 1 };
    expect(panelWindowLayout(shape)).toEqual({ steps: 4, inputSize: 4 });
    const b = gatherPanelWindows([source], shape, { symbol: [0, 0], row: [2, 5] });
    // Window at t=2: past rows 0,1 then forecast steps 2,3 (past value unknown = 0, known of that step, flag 1).
    expect(Array.from(b.x.subarray(0, 16))).toEqual(
      [10, 0.1, 7, 0, 11, 0.2, 7, 0, 0, 0.3, 7, 1, 0, 0.4, 7, 1].map((v) => Math.fround(v)),
    );
    expect(Array.from(b.y.subarray(0, 2))).toEqual([12, 13]);
    // At t = n (a forecast past the data): targets are NaN; the known covariates must reach row n + H - 1.
    expect(Array.from(b.y.subarray(2))).toEqual([Number.NaN, Number.NaN]);
    expect(() =>
      gatherPanelWindows([{ ...source, known: [f32([1, 2, 3, 4, 5, 6])] }], shape, { symbol: [0], row: [5] }),
    ).toThrow(/the future-known covariates cover rows up to 5, but window 0 forecasts rows up to 6/);
  });

  it('never reads a row at or after a window’s first target (past covariates poisoned there)', () => {
    const n = 40;
    const target = f32(Array.from({ length: n }, (_, i) => i));
    const shape = { lookback: 5, horizon: 3, past: 1, known: 1, statics: 0 };
    for (const t of [5, 17, 37]) {
      const poisoned = f32(target.map((v, i) => (i >= t ? 1e9 : v)));
      const b = gatherPanelWindows(
        [{ past: [poisoned], target, known: [f32(Array.from({ length: n }, () => 0.5))] }],
        shape,
        { symbol: [0], row: [t] },
      );
      expect(Math.max(...b.x)).toBeLessThan(1e9);
    }
  });
});

describe("windowNorm 'last' on panel windows", () => {
  it('matches normalizeWindows on each series, with the anchor that maps predictions back', () => {
    const close = Float32Array.of(100, 110, 121, 100, 90, 99);
    const volume = Float32Array.of(5, 6, 7, 8, 9, 10);
    const sources: PanelWindowSource[] = [{ past: [volume, close], target: close }];
    const b = gatherPanelWindows(
      sources,
      { lookback: 2, horizon: 1, past: 2, known: 0, statics: 0, windowNorm: 'last' },
      { symbol: [0, 0], row: [2, 5] },
    );
    // Window at row 2 reads rows 0-1: volume 5, 6 and close 100, 110, relative to 6 and 110.
    expect(Array.from(b.x.subarray(0, 4))).toEqual([5 / 6 - 1, 100 / 110 - 1, 0, 0].map(Math.fround));
    expect(b.y[0]).toBeCloseTo(121 / 110 - 1, 6);
    expect(Array.from(b.anchor!)).toEqual([110, 90]);
    expect((b.y[1] + 1) * b.anchor![1]).toBeCloseTo(99, 4);
    const zero: PanelWindowSource[] = [{ past: [Float32Array.of(1, 0, 2)], target: Float32Array.of(1, 0, 2) }];
    expect(() =>
      gatherPanelWindows(
        zero,
        { lookback: 2, horizon: 1, past: 1, known: 0, statics: 0, windowNorm: 'last' },
        { symbol: [0], row: [2] },
      ),
    ).toThrow(/ends at 0/);
  });
});

describe('panelWindowBatches', () => {
  it('covers every window once in a shuffled order, one bounded batch at a time', () => {
    const panel = syntheticPanel({ symbols: 6, days: 200, seed: 9, columns: ['close'] });
    const sources = [...panel].map(([, s]) => ({
      past: [f32(s.columnRef('close'))],
      target: f32(s.columnRef('close')),
    }));
    const shape = { lookback: 10, horizon: 1, past: 1, known: 0, statics: 0 };
    const idx = panelWindowIndex(
      sources.map((s) => s.target.length),
      shape,
    );
    const order = createRng(3).shuffle(Int32Array.from({ length: idx.count }, (_, i) => i));
    const seen = new Set<string>();
    let batches = 0;
    for (const b of panelWindowBatches(sources, shape, idx, { batchSize: 64, order })) {
      expect(b.count).toBeLessThanOrEqual(64);
      expect(b.x.length).toBe(b.count * 10);
      for (let w = 0; w < b.count; w++) seen.add(`${b.symbol[w]}:${b.row[w]}`);
      if (batches === 0) expect(new Set(b.symbol).size).toBeGreaterThan(1); // shuffled across symbols
      batches++;
    }
    expect(seen.size).toBe(idx.count);
    expect(batches).toBe(Math.ceil(idx.count / 64));
    expect(() => panelWindowBatches(sources, shape, idx, { batchSize: 64, order: [1, 2] }).next()).toThrow(
      /order lists 2 windows, the index has/,
    );
  });
});
