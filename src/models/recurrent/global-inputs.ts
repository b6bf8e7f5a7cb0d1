/** What a global forecaster's network reads of each symbol: scaled past covariates, known covariates, statics. */
import { DataError } from '../../errors.js';
import type { ExchangeCalendar } from '../../data/calendar/calendar.js';
import type { Panel } from '../../data/panel.js';
import type { Series } from '../../data/series.js';
import { futureTimestamps } from '../../data/frequency.js';
import { calendarFeatures, type CalendarFeature } from '../../prep/calendar-features.js';
import type { PanelWindowShape, PanelWindowSource } from '../../prep/panel-windows.js';
import { createScaler, type Scaler, type ScalerKind } from '../../prep/scalers.js';
import type { StaticCodec } from '../../prep/statics.js';
import type { ResolvedGlobalForecasterOptions } from './global-forecaster-options.js';

/** A fitted (or fitting) global forecaster's view of its inputs. @internal */
export interface GlobalInputs {
  options: ResolvedGlobalForecasterOptions;
  target: string;
  /** The training symbols (their order numbers the symbol embedding). */
  symbols: readonly string[];
  calendar: ExchangeCalendar | undefined;
  codec: StaticCodec | undefined;
}

/** The input columns: the features, else the target alone. @internal */
export function featuresOf(c: GlobalInputs): string[] {
  return c.options.features ?? [c.target];
}

/** The window shape the inputs make. @internal */
export function inputShape(c: GlobalInputs): PanelWindowShape {
  const o = c.options;
  const statics = (c.codec?.width ?? 0) + (o.symbolEmbedding ? c.symbols.length : 0);
  const known = (o.calendarFeatures?.length ?? 0) + (o.knownColumns?.length ?? 0);
  const windowNorm = o.windowNorm === 'last' ? 'last' : 'none';
  return { lookback: o.lookback, horizon: o.horizon, past: featuresOf(c).length, known, statics, windowNorm };
}

function staticsOf(c: GlobalInputs, symbol: string): Float32Array | undefined {
  const o = c.options;
  const given = o.statics ? o.statics[symbol] : undefined;
  if (o.statics && !given) {
    const have = Object.keys(o.statics)
      .map((s) => `"${s}"`)
      .join(', ');
    throw new DataError(`no static covariates for symbol "${symbol}": statics has ${have}`);
  }
  const width = c.codec?.width ?? 0;
  const embed = o.symbolEmbedding ? c.symbols.length : 0;
  if (width + embed === 0) return undefined;
  const out = new Float32Array(width + embed);
  if (given) out.set(c.codec!.encode(given));
  if (embed) {
    const k = c.symbols.indexOf(symbol);
    if (k < 0) {
      const hint = 'train with symbolEmbedding: false to forecast new symbols from their own history';
      const message = `symbol "${symbol}" was not seen in training, and the model uses a per-symbol embedding`;
      throw new DataError(message, {}, { hint });
    }
    out[width + k] = 1;
  }
  return out;
}

/** Calendar covariates of the history's dates and the `future` ones. */
function calendarColumns(c: GlobalInputs, series: Series, future: Float64Array): ArrayLike<number>[] {
  const names = (c.options.calendarFeatures ?? []) as CalendarFeature[];
  if (names.length === 0) return [];
  const ts = Float64Array.from([...series.timestampsRef(), ...future]);
  const f = calendarFeatures(ts, { features: names, calendar: c.calendar });
  return names.map((name) => f.get(name)!);
}

/**
 * One symbol's inputs, scaled by its scaler; future-known covariates cover the `future` timestamps too (user
 * columns known ahead: the history's values, then the next values the caller gave). @internal
 */
export function inputSource(
  c: GlobalInputs,
  series: Series,
  scaler: Scaler | undefined,
  future: Float64Array,
  knownAhead?: Record<string, ArrayLike<number>>,
): PanelWindowSource {
  const features = featuresOf(c);
  const used = series.select([...new Set([...features, c.target])]);
  const scaled = scaler ? scaler.transform(used) : used;
  const ahead = (col: string) => Array.from(knownAhead?.[col] ?? []).slice(0, future.length);
  const user = (c.options.knownColumns ?? []).map((col) =>
    Float64Array.from([...series.columnRef(col), ...ahead(col)]),
  );
  const known = [...calendarColumns(c, series, future), ...user];
  const statics = staticsOf(c, series.meta.symbol ?? '');
  return {
    past: features.map((col) => Float32Array.from(scaled.columnRef(col))),
    target: Float32Array.from(scaled.columnRef(c.target)),
    ...(known.length > 0 ? { known } : {}),
    ...(statics ? { statics } : {}),
  };
}

/**
 * A scaler per symbol (none with `scaler: 'none'`), each fitted on that symbol's first `rows[k]` rows: its
 * training rows. A symbol with no training row (it starts inside the held-out span) is scaled on every row it has
 * before `fallback[k]`, as a symbol unseen in training is scaled on the history given. @internal
 */
export function fitScalers(
  c: GlobalInputs,
  panel: Panel,
  rows: ArrayLike<number>,
  fallback: ArrayLike<number>,
): Map<string, Scaler> {
  const out = new Map<string, Scaler>();
  const kind = c.options.scaler;
  if (kind === 'none') return out;
  const cols = [...new Set([...featuresOf(c), c.target])];
  panel.symbols.forEach((symbol, k) => {
    const series = panel.get(symbol);
    const n = rows[k] > 0 ? rows[k] : fallback[k] > 0 ? fallback[k] : series.length;
    out.set(symbol, createScaler(kind).fit(series.slice(0, n).select(cols)));
  });
  return out;
}

/** Each symbol's next values of each column known ahead (`{ AAPL: { earnings: [0, 1, 0] } }`). @internal */
export type KnownAhead = Record<string, Record<string, ArrayLike<number>>>;

function checkKnown(c: GlobalInputs, panel: Panel, known: KnownAhead | undefined): void {
  const o = c.options;
  for (const symbol of o.knownColumns ? panel.symbols : []) {
    for (const col of o.knownColumns!) {
      const given = known?.[symbol]?.[col];
      const where = `options.known.${symbol}.${col}`;
      if (!given || given.length < o.horizon) {
        const needs = `known column "${col}" of symbol "${symbol}" needs its next ${o.horizon} values in ${where}`;
        throw new DataError(`predict(): ${needs}: received ${given ? given.length : 'none'}`);
      }
      for (let i = 0; i < o.horizon; i++) {
        if (Number.isFinite(given[i])) continue;
        throw new DataError(`predict(): ${where}[${i}] is not a finite number: received ${given[i]}`);
      }
    }
  }
}

/**
 * What a forecast from each symbol's last row reads: its inputs (known covariates over the next `horizon` dates of
 * the calendar), its scaler (the training one, or for a symbol unseen in training, one fitted on the history
 * given) and those future dates. @internal
 */
export function predictionInputs(
  c: GlobalInputs,
  panel: Panel,
  fitted: { scalers: ReadonlyMap<string, Scaler>; known?: KnownAhead },
): { sources: PanelWindowSource[]; scalers: Array<Scaler | undefined>; futures: Float64Array[] } {
  const o = c.options;
  checkKnown(c, panel, fitted.known);
  const cols = [...new Set([...featuresOf(c), c.target])];
  const kind = o.scaler;
  const out = {
    sources: [] as PanelWindowSource[],
    scalers: [] as Array<Scaler | undefined>,
    futures: [] as Float64Array[],
  };
  for (const [symbol, series] of panel) {
    if (series.length < o.lookback) {
      const hint = 'leave it out, or use a shorter lookback';
      const message = `symbol "${symbol}" has ${series.length} rows, fewer than lookback = ${o.lookback}`;
      throw new DataError(message, {}, { hint });
    }
    const own = () => fitted.scalers.get(symbol) ?? createScaler(kind as ScalerKind).fit(series.select(cols));
    const scaler = kind === 'none' ? undefined : own();
    const dates = { ...series.frequencyInfo, steps: o.horizon, calendar: c.calendar };
    const future = futureTimestamps(series.lastTimestamp, dates);
    out.sources.push(inputSource(c, series, scaler, future, fitted.known?.[symbol]));
    out.scalers.push(scaler);
    out.futures.push(future);
  }
  return out;
}
