/**
 * A global model's refit groups on a panel: which symbols train and which are forecast at a date origin, one group
 * fitted and forecast (in this thread, on a worker thread or on a queue worker, with the same numbers), and the
 * panel as one plain series so a group travels as any fold group does.
 */
import { DataError } from '../errors.js';
import { Panel } from '../data/panel.js';
import { Series } from '../data/series.js';
import type { ModelEnvironment, ModelTask, PanelModel, ResolvedModel, SymbolForecast } from '../models/contract.js';

/** What places a global model's training and forecast rows (the panel backtest's rules). @internal */
export interface PanelRules {
  /** Rows a symbol needs before an origin to be forecast there. */
  need: number;
  horizon: number;
  /** Rows of each symbol a model trains on before an origin (Infinity: all of them). */
  trainLength: number;
  /** Columns known ahead: a symbol is forecast only where they cover the horizon. */
  knownColumns?: readonly string[] | undefined;
}

/** The rules of a model's panel backtest: the history it needs, and its known-ahead columns. @internal */
export function panelRules(model: ResolvedModel, task: ModelTask, trainLength: number): PanelRules {
  const need = model.definition.history?.(model.options, task) ?? 1;
  const knownColumns = model.options.knownColumns as string[] | undefined;
  return { need, horizon: task.horizon, trainLength, knownColumns };
}

/** One origin of a panel group: its date and whether a fresh model is fitted there. @internal */
export interface PanelOrigin {
  origin: number;
  refit: boolean;
}

/** One symbol forecast at an origin: the origin row and the model's forecast. @internal */
export interface PanelForecast extends SymbolForecast {
  row: number;
}

/** The symbols forecast at a date origin and their origin rows: a row on the date and `need` rows before it. @internal */
export function forecastRows(panel: Panel, origin: number, rules: PanelRules): Map<string, number> {
  const at = new Map<string, number>();
  for (const [symbol, s] of panel) {
    const t = s.indexAtOrAfter(origin);
    // With columns known ahead, a symbol is forecast where those columns cover the whole horizon.
    const covered = !rules.knownColumns || t + rules.horizon <= s.length;
    if (t < s.length && s.timestampAt(t) === origin && t >= rules.need && covered) at.set(symbol, t);
  }
  return at;
}

/**
 * What a global model fitted at `origin` trains on: each eligible symbol's rows before the origin (its last
 * `trainLength` with a sliding window); eligible symbols have `need` + horizon of them.
 * @throws {@link DataError} when no symbol has enough rows
 * @internal
 */
export function trainingPanel(panel: Panel, origin: number, rules: PanelRules): Panel {
  const rows = (s: Series) => Math.min(s.indexAtOrAfter(origin), rules.trainLength);
  const eligible = panel.symbols.filter((symbol) => rows(panel.get(symbol)) >= rules.need + rules.horizon);
  if (eligible.length === 0) {
    throw new DataError(
      `no symbol has ${rules.need} + horizon ${rules.horizon} rows before the origin ${new Date(origin).toISOString()} to train on`,
      {},
      { hint: 'use a shorter lookback, or a smaller testSize' },
    );
  }
  return panel.select(eligible).map((s) => {
    const t = s.indexAtOrAfter(origin);
    return s.slice(t - rows(s), t);
  });
}

/**
 * One refit group of a global model: a fresh model fitted at the first origin, then a forecast at every origin
 * from the rows before it (within the sliding window) and the known-ahead columns.
 * @returns per origin, each forecast symbol's origin row and forecast
 * @internal
 */
export async function forecastPanelGroup(
  panel: Panel,
  model: ResolvedModel,
  task: ModelTask,
  rules: PanelRules,
  group: readonly PanelOrigin[],
  env: ModelEnvironment = {},
): Promise<Array<Map<string, PanelForecast>>> {
  let global: PanelModel | undefined;
  const out: Array<Map<string, PanelForecast>> = [];
  try {
    for (const { origin, refit } of group) {
      if (refit || !global) {
        global?.dispose?.();
        global = model.definition.panel!(model.options, task, { ...env, ...(model.base ? { base: model.base } : {}) });
        await global.fit(trainingPanel(panel, origin, rules));
      }
      out.push(await forecastAt(panel, global, rules, origin));
    }
  } finally {
    global?.dispose?.();
  }
  return out;
}

async function forecastAt(
  panel: Panel,
  global: PanelModel,
  rules: PanelRules,
  origin: number,
): Promise<Map<string, PanelForecast>> {
  const at = forecastRows(panel, origin, rules);
  // The rows a forecast may read: before the origin, and within the sliding window when there is one.
  const history = panel.select([...at.keys()]).map((s, symbol) => {
    const t = at.get(symbol)!;
    return s.slice(Math.max(0, t - rules.trainLength), t);
  });
  // Known-ahead columns: the values at the forecast rows, which the user promises are known at the origin.
  const known = rules.knownColumns
    ? Object.fromEntries(
        [...at].map(([symbol, t]) => [
          symbol,
          Object.fromEntries(
            rules.knownColumns!.map((c) => [
              c,
              panel
                .get(symbol)
                .columnRef(c)
                .subarray(t, t + rules.horizon),
            ]),
          ),
        ]),
      )
    : undefined;
  const predicted = await global.forecast(history, known);
  return new Map(Object.entries(predicted).map(([symbol, f]) => [symbol, { row: at.get(symbol)!, ...f }]));
}

const SEP = '\u001f';

/**
 * A panel as one series on the union of its dates, so it travels to worker threads and queue workers as any
 * series does: column `symbol SEP column` holds the symbol's values (0 on dates it lacks), and column
 * `symbol SEP` is 1 on its dates and 0 elsewhere.
 * @internal
 */
export function panelAsSeries(panel: Panel): Series {
  const dates = panel.unionRef();
  const columns: Record<string, Float64Array> = {};
  for (const [symbol, s] of panel) {
    const present = new Float64Array(dates.length);
    const rows = new Int32Array(s.length);
    for (let i = 0, j = 0; i < s.length; i++) {
      while (dates[j] !== s.timestampAt(i)) j++;
      rows[i] = j;
      present[j] = 1;
    }
    columns[symbol + SEP] = present;
    for (const c of s.columns) {
      const wide = new Float64Array(dates.length);
      const values = s.columnRef(c);
      for (let i = 0; i < s.length; i++) wide[rows[i]] = values[i];
      columns[symbol + SEP + c] = wide;
    }
  }
  const { frequency, stepMs } = panel.frequencyInfo;
  return Series.create({ timestamps: dates, columns, meta: { frequency, stepMs } });
}

/**
 * The inverse of {@link panelAsSeries}: each symbol's own dates and values, in the panel's order.
 * @throws {@link DataError} when the series was not made by it
 * @internal
 */
export function seriesAsPanel(wide: Series): Panel {
  const symbols = wide.columns
    .filter((c) => c.endsWith(SEP) && c.indexOf(SEP) === c.length - 1)
    .map((c) => c.slice(0, -1));
  if (symbols.length === 0)
    throw new DataError('a panel job needs its input as a panel: the series has no symbol columns');
  const entries = symbols.map((symbol): [string, Series] => {
    const present = wide.columnRef(symbol + SEP);
    const rows: number[] = [];
    for (let j = 0; j < present.length; j++) if (present[j] === 1) rows.push(j);
    const names = wide.columns.filter((c) => c.startsWith(symbol + SEP) && c.length > symbol.length + 1);
    const columns = Object.fromEntries(
      names.map((c) => [c.slice(symbol.length + 1), Float64Array.from(rows, (j) => wide.columnRef(c)[j])]),
    );
    return [symbol, Series.create({ timestamps: Float64Array.from(rows, (j) => wide.timestampAt(j)), columns })];
  });
  return Panel.create(entries);
}

/**
 * A group's forecasts as plain arrays (as fold groups return them): per origin, for each forecast symbol its index
 * in the panel, its origin row, H values and, when the model gave them, H x K quantiles.
 * @internal
 */
export function packPanelForecasts(
  panel: Panel,
  forecasts: ReadonlyArray<Map<string, PanelForecast>>,
  task: ModelTask,
): number[][] {
  const index = new Map(panel.symbols.map((s, i) => [s, i]));
  const K = task.quantiles?.length ?? 0;
  return forecasts.map((at) => {
    const withQuantiles = K > 0 && [...at.values()].every((f) => f.quantiles);
    const out = [withQuantiles ? 1 : 0];
    for (const [symbol, f] of at) {
      out.push(index.get(symbol)!, f.row, ...Array.from(f.values).slice(0, task.horizon));
      if (withQuantiles) out.push(...Array.from(f.quantiles!).slice(0, task.horizon * K));
    }
    return out;
  });
}

/** The inverse of {@link packPanelForecasts}. @internal */
export function unpackPanelForecasts(
  panel: Panel,
  packed: readonly number[][],
  task: ModelTask,
): Array<Map<string, PanelForecast>> {
  const H = task.horizon;
  const K = task.quantiles?.length ?? 0;
  return packed.map((a) => {
    const withQuantiles = a[0] === 1;
    const size = 2 + H + (withQuantiles ? H * K : 0);
    const at = new Map<string, PanelForecast>();
    for (let p = 1; p + size <= a.length; p += size) {
      const f: PanelForecast = { row: a[p + 1], values: a.slice(p + 2, p + 2 + H) };
      if (withQuantiles) f.quantiles = a.slice(p + 2 + H, p + size);
      at.set(panel.symbols[a[p]], f);
    }
    return at;
  });
}
