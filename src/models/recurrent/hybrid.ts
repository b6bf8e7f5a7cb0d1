/**
 * A hybrid volatility model's fitted state: a base model's forecast times exp(correction), the correction the
 * mean of seeded recurrent networks read from log variances, their HAR components and (with prices) the returns.
 */
import { DataError } from '../../errors.js';
import {
  fitInputScale,
  harLogComponents,
  inputWindows,
  logVariance,
  type InputScale,
  type PositiveKind,
} from '../../prep/volatility-inputs.js';
import type { RecurrentEngine } from '../engines/engine.js';
import type { RecurrentSpec, RecurrentWeights } from '../engines/weights.js';
import {
  type CorrectionCheck,
  correctionSpec,
  loadCorrections,
  trainCorrections,
  type CorrectionOptions,
  type MemberTraining,
} from './correction-net.js';
import type { AdjustedOption } from './training.js';

/** The rows a hybrid reads: the target and, for targets derived from prices, the percent log returns. @internal */
export interface HybridRows {
  /** The volatility or variance target, rows 0..n-1. */
  y: ArrayLike<number>;
  /** 100 ln(C_t / C_{t-1}) per row, when the target comes from prices (the sign carries the leverage effect). */
  returns?: ArrayLike<number> | undefined;
}

/** One series' share of a fit: its rows, the training rows [from, to), and its base's forecasts. @internal */
export interface HybridPart {
  /** '' for one series, the symbol on a panel. */
  key: string;
  rows: HybridRows;
  from: number;
  to: number;
  /** Rows each training origin needs after `from` besides the lookback (HAR's month, the base's warm-up). */
  warm: number;
  /** Per candidate base, in order of preference (one when the base is named), its forecasts at training origins. */
  bases: ReadonlyArray<{ spec: string; at: BaseAt }>;
  /** The timestamp of a row (panels order their windows by date, so validation takes the latest dates). */
  stamp?: (row: number) => number;
}

/** The base's forecasts at a list of origins: per origin, H values on the target's scale. @internal */
export type BaseAt = (origins: number[]) => Promise<ArrayLike<number>[]>;

/** What fitting a hybrid did: recorded in `training`. */
export interface HybridTraining {
  /** The base model's spec (`garch`, `har`, `ewma`, ...): the one named, or the candidate chosen. */
  base: string;
  /**
   * When the base was chosen among candidates: each candidate's QLIKE at the training origins (every part's
   * windows, each forecast from rows before its origin); the lowest was kept.
   */
  candidates?: Record<string, number>;
  /** Candidates that could not forecast the training origins (NaN in `candidates`), with their error; never chosen. */
  skipped?: Record<string, string>;
  /** Networks averaged (the `seeds` option). */
  seeds: number;
  /** Training windows (training and validation). */
  windows: number;
  /** Input columns per window step. */
  inputs: string[];
  /** The loss: `qlike` on the variance forecast, or `mse` on log variances. */
  loss: 'qlike' | 'mse';
  /** Each member's training. */
  members: MemberTraining[];
  /**
   * The ensemble's correction against the base on the validation windows, before any final fit: kept only when
   * it beats the base there (one-sided Diebold-Mariano p-value below 0.05, `CORRECTION_LEVEL`).
   */
  check?: CorrectionCheck;
  /** Why the hybrid is its base exactly (too few windows, or a correction the check dropped), when so. */
  note?: string;
  /** Options the volatility defaults set because the user gave none (docs/volatility-and-risk.md). */
  defaults?: AdjustedOption[];
}

/** The plain-data state of a fitted hybrid (JSON): options, input scaling, floor and each member's weights. */
export interface HybridState {
  kind: 'stockcast-hybrid';
  version: 1;
  base: string;
  target: PositiveKind;
  horizon: number;
  options: Omit<CorrectionOptions, 'signal'>;
  floors: Record<string, number>;
  scales: Record<string, InputScale>;
  withReturns: boolean;
  weights: Array<Record<string, number[]>>;
  training: HybridTraining;
}

/** Fewer training windows than this train no network: the hybrid is then its base. */
const MIN_WINDOWS = 20;

/** The hybrid model of one series (or, on a panel, of every symbol at once: rows concatenated per symbol). @internal */
export class VolatilityHybrid {
  engines: RecurrentEngine[] = [];
  /** Per part (symbol; '' for one series): the smallest positive training value, raised to on zero-variance days. */
  floors: Record<string, number> = {};
  /** Per part: the standardization of its inputs, fitted on its training rows. */
  scales: Record<string, InputScale> = {};
  training: HybridTraining | undefined;

  constructor(
    readonly options: CorrectionOptions,
    readonly kind: PositiveKind,
    readonly horizon: number,
    /** The base's spec: the first candidate until a fit chooses. */
    public base: string,
    readonly withReturns: boolean,
    readonly defaults: AdjustedOption[] = [],
  ) {}

  /** The shape of each member network. */
  get spec(): RecurrentSpec {
    return correctionSpec(this.options, this.inputs.length, this.horizon);
  }

  /** Input column names. */
  get inputs(): string[] {
    return ['logVariance', 'logVarianceMean5', 'logVarianceMean22', ...(this.withReturns ? ['return'] : [])];
  }

  /** The input columns of rows 0..n-1 (each row t from rows <= t). */
  columns(key: string, rows: HybridRows, n: number): Float64Array[] {
    const l = logVariance(Array.prototype.slice.call(rows.y, 0, n) as number[], this.kind, this.floorOf(key, rows, n));
    const cols = harLogComponents(l);
    if (this.withReturns) {
      if (!rows.returns)
        throw new DataError('this hybrid reads the returns of the prices its target comes from: none were given');
      cols.push(Float64Array.from({ length: n }, (_, i) => rows.returns![i]));
    }
    return cols;
  }

  /** A part's floor: fitted, or for a symbol never seen, from its rows before n. */
  private floorOf(key: string, rows: HybridRows, n: number): number {
    return this.floors[key] ?? positiveFloor(rows.y, 0, n);
  }

  /** ln of a base variance forecast from a base forecast on the target's scale. */
  private logBase(key: string, b: number): number {
    const v = Math.max(b, this.floors[key]);
    return this.kind === 'volatility' ? 2 * Math.log(v) : Math.log(v);
  }

  /**
   * Fits on each part's rows [from, to) (one part per series; a panel gives one per symbol): each part's floor and
   * input scaling from its own rows, training windows at origins from `from + warm` to `to - H` (their targets all
   * before `to`), the base chosen among the candidates by QLIKE there, residuals against its forecasts, and one
   * set of networks over every part's windows.
   */
  async fit(parts: readonly HybridPart[]): Promise<this> {
    const L = this.options.lookback;
    const prepared = parts.map((p) => this.prepare(p));
    const count = prepared.reduce((s, p) => s + p.origins.length, 0);
    const choice = await this.chooseBase(parts, prepared, count >= MIN_WINDOWS);
    const defaults = this.defaults.length > 0 ? { defaults: this.defaults } : {};
    const record = {
      base: this.base,
      ...(choice.scores ? { candidates: choice.scores } : {}),
      ...(choice.skipped ? { skipped: choice.skipped } : {}),
      seeds: this.options.seeds,
      inputs: this.inputs,
      loss: this.options.loss,
      ...defaults,
    };
    this.disposeEngines();
    if (count < MIN_WINDOWS) {
      this.training = {
        ...record,
        windows: count,
        members: [],
        note: `${count} training windows (fewer than ${MIN_WINDOWS}): the base alone`,
      };
      return this;
    }
    const xs: Float32Array[] = [];
    const stamps: number[] = [];
    parts.forEach((p, i) => {
      const { cols, origins } = prepared[i];
      if (origins.length === 0) return;
      xs.push(inputWindows(cols, this.scales[p.key], origins, L));
      stamps.push(...origins.map((t) => p.stamp?.(t) ?? t));
    });
    // Validation takes the last share of the windows: the latest dates, so a panel's windows go in date order.
    const order = parts.length > 1 ? stamps.map((_, i) => i).sort((a, b) => stamps[a] - stamps[b] || a - b) : undefined;
    const F = this.inputs.length;
    const ys = choice.residuals.filter((y) => y.length > 0);
    const data = { x: gather(xs, L * F, order), y: gather(ys, this.horizon, order), count, steps: L, features: F };
    const trained = await trainCorrections(this.options, data, this.horizon);
    this.engines = trained.engines;
    const check = trained.check ? { check: trained.check } : {};
    const dropped =
      trained.check && !trained.check.kept
        ? { note: 'the correction did not beat the base on the validation windows: the base alone' }
        : {};
    this.training = { ...record, windows: count, members: trained.members, ...check, ...dropped };
    return this;
  }

  /** A part's floor, input columns and scaling (set on the model), and its training origins. */
  private prepare(p: HybridPart): { cols: Float64Array[]; origins: number[] } {
    this.floors[p.key] = positiveFloor(p.rows.y, p.from, p.to);
    const cols = this.columns(p.key, p.rows, p.to);
    this.scales[p.key] = fitInputScale(cols, p.from, p.to);
    const origins: number[] = [];
    for (let t = p.from + Math.max(this.options.lookback, p.warm); t + this.horizon <= p.to; t++) origins.push(t);
    return { cols, origins };
  }

  /**
   * The residual log variances (actual minus base, per part) against the chosen base: with several candidates and
   * enough windows, the one whose forecasts have the lowest QLIKE over every part's training windows (QLIKE of a
   * residual r is exp(r) - r - 1); else the first. Sets {@link VolatilityHybrid.base}.
   */
  private async chooseBase(
    parts: readonly HybridPart[],
    prepared: ReadonlyArray<{ cols: Float64Array[]; origins: number[] }>,
    enough: boolean,
  ): Promise<{ residuals: Float32Array[]; scores?: Record<string, number>; skipped?: Record<string, string> }> {
    const specs = parts[0]?.bases.map((b) => b.spec) ?? [this.base];
    const tried = enough ? specs : specs.slice(0, 1);
    let best: { spec: string; residuals: Float32Array[]; qlike: number } | undefined;
    const scores: Record<string, number> = {};
    const skipped: Record<string, string> = {};
    for (const spec of tried) {
      const residuals: Float32Array[] = [];
      try {
        for (const [i, p] of parts.entries()) residuals.push(await this.residuals(p, spec, prepared[i]));
      } catch (e) {
        // A candidate that cannot forecast these rows (HAR on logs on a day whose variance is 0) is not chosen;
        // the last one standing reports its error.
        if (!(e instanceof DataError)) throw e;
        scores[spec] = Number.NaN;
        skipped[spec] = e.message;
        if (Object.keys(skipped).length === tried.length) throw e;
        continue;
      }
      let sum = 0;
      let n = 0;
      // exp(r) - r - 1 as expm1(r) - r: never below 0 by rounding near r = 0, where candidates nearly tie.
      for (const y of residuals) {
        for (const r of y) sum += Math.expm1(r) - r;
        n += y.length;
      }
      scores[spec] = n > 0 ? sum / n : Number.NaN;
      // A score that is not a number (a base that failed somewhere) never wins over one that is.
      const qlike = Number.isNaN(scores[spec]) ? Infinity : scores[spec];
      if (!best || qlike < best.qlike) best = { spec, residuals, qlike };
    }
    this.base = best?.spec ?? this.base;
    const failed = Object.keys(skipped).length > 0 ? { skipped } : {};
    return { residuals: best?.residuals ?? [], ...(tried.length > 1 ? { scores } : {}), ...failed };
  }

  /** A part's residual log variances against one base's forecasts at its training origins. */
  private async residuals(
    p: HybridPart,
    spec: string,
    { cols, origins }: { cols: Float64Array[]; origins: number[] },
  ): Promise<Float32Array> {
    const H = this.horizon;
    const y = new Float32Array(origins.length * H);
    if (origins.length === 0) return y;
    const at = p.bases.find((b) => b.spec === spec);
    if (!at) throw new DataError(`the part ${p.key || '(series)'} has no base ${spec}`);
    const base = await at.at(origins);
    origins.forEach((t, k) => {
      for (let h = 0; h < H; h++) y[k * H + h] = cols[0][t + h] - this.logBase(p.key, base[k][h]);
    });
    return y;
  }

  /**
   * Each member's forecasts at the origins: base x exp(c) for a variance, base x exp(c / 2) for a volatility, so a
   * correction of exactly 0 gives the base's forecast bit for bit.
   * @returns [member][origin] -> H forecasts (one member, the base, when no network was trained)
   */
  async memberForecasts(
    key: string,
    rows: HybridRows,
    origins: readonly number[],
    base: readonly ArrayLike<number>[],
  ): Promise<Float64Array[][]> {
    const H = this.horizon;
    const asIs = origins.map((_, k) => Float64Array.from(base[k]).subarray(0, H));
    if (this.engines.length === 0 || origins.length === 0) return [asIs];
    const n = Math.max(...origins);
    const L = this.options.lookback;
    const cols = this.columns(key, rows, n);
    // A symbol the networks never saw (listed after the fit) is scaled by its own rows before the first origin.
    const scale = this.scales[key] ?? fitInputScale(cols, 0, Math.min(...origins));
    const x = inputWindows(cols, scale, origins, L);
    const half = this.kind === 'volatility' ? 0.5 : 1;
    const out: Float64Array[][] = [];
    for (const engine of this.engines) {
      const c = await engine.predict(x, origins.length, L);
      out.push(asIs.map((b, k) => b.map((v, h) => v * Math.exp(half * c[k * H + h]))));
    }
    return out;
  }

  /** Forecasts at the origins: the mean of the members' forecasts. */
  async predict(
    key: string,
    rows: HybridRows,
    origins: readonly number[],
    base: readonly ArrayLike<number>[],
  ): Promise<Float64Array[]> {
    const members = await this.memberForecasts(key, rows, origins, base);
    if (members.length === 1) return members[0];
    return origins.map((_, k) =>
      members[0][k].map((_, h) => members.reduce((s, m) => s + m[k][h], 0) / members.length),
    );
  }

  /** The fitted state as plain data (weights as numbers: float32 values survive JSON exactly). */
  toJSON(): HybridState {
    const { state, members } = this.saved();
    const weights = members.map((w) => Object.fromEntries(Object.entries(w).map(([k, v]) => [k, Array.from(v)])));
    return { ...state, weights };
  }

  /** The fitted state without the networks, the networks' weights apart (a model directory's weights file). */
  saved(): { state: Omit<HybridState, 'weights'>; members: RecurrentWeights[] } {
    if (!this.training) throw new DataError('a hybrid is saved after fit');
    const { signal: _, ...options } = this.options;
    const state = {
      kind: 'stockcast-hybrid',
      version: 1,
      base: this.base,
      target: this.kind,
      horizon: this.horizon,
      options,
      floors: this.floors,
      scales: this.scales,
      withReturns: this.withReturns,
      training: this.training,
    } as const;
    return { state, members: this.engines.map((e) => e.getWeights()) };
  }

  /** A hybrid from {@link VolatilityHybrid.toJSON}'s state. */
  static fromJSON(state: HybridState): Promise<VolatilityHybrid> {
    const weights = (state?.weights ?? []).map(
      (w): RecurrentWeights => Object.fromEntries(Object.entries(w).map(([k, v]) => [k, Float32Array.from(v)])),
    );
    return VolatilityHybrid.restore(state, weights);
  }

  /** A hybrid from {@link VolatilityHybrid.saved}'s state and member weights. */
  static async restore(state: Omit<HybridState, 'weights'>, members: RecurrentWeights[]): Promise<VolatilityHybrid> {
    if (state?.kind !== 'stockcast-hybrid' || state.version !== 1)
      throw new DataError(
        `not a saved hybrid volatility model: kind ${String(state?.kind)}, version ${String(state?.version)}`,
      );
    const h = new VolatilityHybrid(
      state.options,
      state.target,
      state.horizon,
      state.base,
      state.withReturns,
      state.training.defaults,
    );
    h.floors = state.floors;
    h.scales = state.scales;
    h.training = state.training;
    h.engines = await loadCorrections(state.options, h.spec, members);
    return h;
  }

  private disposeEngines(): void {
    for (const e of this.engines) e.dispose();
    this.engines = [];
  }

  /** Frees the networks. */
  dispose(): void {
    this.disposeEngines();
  }
}

/** Rows of `size` values from the parts, in `order` (indices into the parts' rows laid end to end) or as they are. */
function gather(parts: Float32Array[], size: number, order: number[] | undefined): Float32Array {
  const all = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  if (!order) return all;
  const out = new Float32Array(all.length);
  order.forEach((from, to) => out.set(all.subarray(from * size, (from + 1) * size), to * size));
  return out;
}

/** The smallest positive target value of rows [from, to) (a zero-variance day is raised to it), else 1e-12. */
function positiveFloor(y: ArrayLike<number>, from: number, to: number): number {
  let floor = Infinity;
  for (let i = from; i < to; i++) if (y[i] > 0 && y[i] < floor) floor = y[i];
  return Number.isFinite(floor) ? floor : 1e-12;
}
