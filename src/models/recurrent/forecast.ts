/** What forecasters return and keep: forecasts with their intervals and quantiles, and the signature of the training data. */

/** Quantile forecasts: for each horizon step, one value per level. */
export interface ForecastQuantiles {
  /** The levels, increasing. */
  levels: number[];
  /** [horizon, levels] row-major, in the target's units; never decreasing along the levels. */
  values: Float64Array;
  /** Whether they were calibrated by CQR on held-out rows (`calibration`). */
  calibrated: boolean;
}

/** A forecast in price units, with the future timestamps it is for. */
export interface Forecast {
  /** Quantile forecasts, when the forecaster was fitted with `quantiles`. */
  quantiles?: ForecastQuantiles;
  /** Lower ends of the prediction interval, when the forecaster was fitted with `coverage`. */
  lower?: Float64Array;
  /** Upper ends of the prediction interval. */
  upper?: Float64Array;
  /** The interval's target coverage. */
  coverage?: number;
  /** The target column forecast. */
  target: string;
  /** The last observed timestamp the forecast starts after. */
  origin: number;
  /** Future timestamps (business days for daily data, weeks for weekly, ...). */
  timestamps: Float64Array;
  /** Forecast values in the target's units. */
  values: Float64Array;
}

/** A split-conformal prediction interval: forecast +/- the half-width of each horizon step. */
export interface PredictionInterval {
  /** Half-widths, one per horizon step, in target units. */
  widths: Float64Array;
  /** The target coverage, e.g. 0.9. */
  coverage: number;
}

/** What a fitted forecaster was trained on; checked when it predicts: the feature and target columns must be there and the frequency the same. */
export interface DataSignature {
  /** Columns of the training series. */
  columns: string[];
  /** Its inferred frequency. */
  frequency: string;
  /** Its median step in ms. */
  stepMs: number;
  /** First training timestamp (epoch ms). */
  firstTimestamp: number;
  /** Last training timestamp (epoch ms). */
  lastTimestamp: number;
  /** Number of rows. */
  rows: number;
}
