import { describe, expect, it } from 'vitest';
import {
  createScaler,
  MinMaxScaler,
  NotFittedError,
  RobustScaler,
  scalerFromJSON,
  Series,
  StandardScaler,
  ValidationError,
} from '../../src/index.js';

const s = Series.create({
  timestamps: [0, 1, 2, 3, 4],
  columns: { close: [10, 20, 30, 40, 100], flat: [5, 5, 5, 5, 5] },
});

describe('scalers', () => {
  it('MinMaxScaler maps min..max to the feature range', () => {
    const m = new MinMaxScaler().fit(s);
    expect(Array.from(m.transform(s).column('close'))).toEqual([0, 1 / 9, 2 / 9, 3 / 9, 1]);
    const r = new MinMaxScaler({ featureRange: [-1, 1] }).fit([[0], [10]]);
    expect(r.transform([[0], [5], [10]])).toEqual([[-1], [0], [1]]);
  });

  it('StandardScaler uses the mean and population standard deviation', () => {
    const z = new StandardScaler().fit([[1], [3]]);
    expect(z.transform([[1], [2], [3]])).toEqual([[-1], [0], [1]]);
  });

  it('RobustScaler uses the median and the IQR', () => {
    const r = new RobustScaler().fit([[1], [2], [3], [4], [100]]);
    expect(r.transform([[3], [5]])).toEqual([[0], [1]]);
  });

  it('constant columns map to the lower bound (min-max) or 0, never NaN or Infinity', () => {
    for (const kind of ['minmax', 'standard', 'robust'] as const) {
      const t = createScaler(kind).fit(s).transform(s).column('flat');
      expect(Array.from(t)).toEqual([0, 0, 0, 0, 0]);
      const back = createScaler(kind).fit(s).inverseTransformColumn(t, 'flat');
      expect(Array.from(back)).toEqual([5, 5, 5, 5, 5]);
    }
  });

  it('inverse transforms are exact round trips', () => {
    for (const kind of ['minmax', 'standard', 'robust'] as const) {
      const sc = createScaler(kind).fit(s);
      const back = sc.inverseTransform(sc.transform(s));
      Array.from(back.column('close')).forEach((v, i) => expect(v).toBeCloseTo(s.column('close')[i], 12));
      const target = sc.inverseTransformColumn(sc.transformColumn([55], 'close'), 'close');
      expect(target[0]).toBeCloseTo(55, 12);
    }
  });

  it('transform before fit throws NotFittedError', () => {
    expect(() => new MinMaxScaler().transform(s)).toThrow(NotFittedError);
    expect(() => new StandardScaler().transformColumn([1], 0)).toThrow(
      'StandardScaler.transformColumn() was called before fit()',
    );
    expect(() => new RobustScaler().toJSON()).toThrow(NotFittedError);
  });

  it('toJSON / scalerFromJSON round-trip exactly', () => {
    for (const sc of [
      new MinMaxScaler({ featureRange: [-1, 1] }).fit(s),
      new StandardScaler().fit(s),
      new RobustScaler().fit(s),
    ]) {
      const json = JSON.parse(JSON.stringify(sc.toJSON()));
      const copy = scalerFromJSON(json);
      expect(copy.toJSON()).toEqual(sc.toJSON());
      expect(Array.from(copy.transform(s).column('close'))).toEqual(Array.from(sc.transform(s).column('close')));
    }
    expect(() => scalerFromJSON({ kind: 'minmax', columns: ['a'], center: [0], scale: [0], shift: [0] })).toThrow(
      ValidationError,
    );
  });

  it('does not mutate its input and names unknown columns', () => {
    const rows = [[1], [2]];
    new MinMaxScaler().fit(rows).transform(rows);
    expect(rows).toEqual([[1], [2]]);
    expect(() => new MinMaxScaler().fit(s).transformColumn([1], 'open')).toThrow(
      /fitted on columns close, flat: no column "open"/,
    );
    expect(() => new MinMaxScaler({ featureRange: [1, 0] })).toThrow(ValidationError);
  });
});
