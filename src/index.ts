/**
 * stockcast: forecasting stock prices with recurrent neural networks.
 *
 * Data flows one way: data (Series, CSV, Yahoo, danfojs) -> prep (windows, scalers, transforms, splits)
 * -> models (recurrent forecasters) -> backtest. Character-level sequence models live in seq.
 *
 * @packageDocumentation
 */
export { StockcastError, DataError, ValidationError, MarketDataError, NotFittedError, BackendError, PersistenceError } from './errors.js';
export type { StockcastErrorCode, SourceLocation } from './errors.js';

export { Series } from './data/series.js';
export type { SeriesInit, SeriesMeta, SeriesRow, IngestReport, SeriesEvent } from './data/series.js';
export { inferFrequency, futureTimestamps } from './data/frequency.js';
export type { Frequency, FrequencyInfo } from './data/frequency.js';
export { MissingPolicySchema, DuplicatePolicySchema } from './data/assemble.js';
export type { MissingPolicy, DuplicatePolicy } from './data/assemble.js';
export { parseCsv, readCsv, CsvOptionsSchema } from './data/csv.js';
export type { CsvOptions } from './data/csv.js';
export { fetchYahoo, YahooOptionsSchema } from './data/yahoo.js';
export type { YahooOptions } from './data/yahoo.js';
export { toDataFrame, fromDataFrame, FromDataFrameOptionsSchema } from './data/dataframe.js';
export type { DataFrameLike, FromDataFrameOptions } from './data/dataframe.js';
