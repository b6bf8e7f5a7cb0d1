// The API that runs everywhere: what both entries export, the Node.js entry (src/index.ts) and the browser entry
// (src/browser.ts). Each entry installs its platform first, then adds what only it has.

export {
  StockcastError,
  DataError,
  ValidationError,
  MarketDataError,
  NotFittedError,
  BackendError,
  PersistenceError,
} from './errors.js';
export type { StockcastErrorCode, SourceLocation, ValidationIssue } from './errors.js';

export { Series } from './data/series.js';
export type { SeriesInit, SeriesMeta, SeriesRow, IngestReport, SeriesEvent } from './data/series.js';
export { inferFrequency, futureTimestamps } from './data/frequency.js';
export type { Frequency, FrequencyInfo, FutureTimestampsOptions } from './data/frequency.js';
export { MissingPolicySchema, DuplicatePolicySchema } from './data/assemble.js';
export type { MissingPolicy, DuplicatePolicy } from './data/assemble.js';
export { parseCsv, readCsv, CsvOptionsSchema } from './data/csv/csv.js';
export type { CsvOptions } from './data/csv/csv.js';
export type { CsvSource, BlobLike, StreamLike } from './data/csv/csv-source.js';
export { resolveTarget, CLOSE_COLUMNS } from './data/target.js';

export { makeWindows, countWindows, windowBatches, windowsAt, WindowOptionsSchema } from './prep/windows.js';
export type { Windows, WindowOptions, WindowShape } from './prep/windows.js';
export { MinMaxScaler, StandardScaler, RobustScaler, createScaler, scalerFromJSON } from './prep/scalers.js';
export type { Scaler, ScalerKind, ScalerState, ScalerInput } from './prep/scalers.js';
export { normalizeWindows, denormalizeTargets, WindowNormOptionsSchema } from './prep/window-norm.js';
export type { NormalizedWindows, WindowNormOptions } from './prep/window-norm.js';
export { pctChange, logReturns, diff, invertPctChange, invertLogReturns, invertDiff } from './prep/transforms.js';
export { chronologicalSplit, SplitOptionsSchema } from './prep/split.js';
export type { ChronologicalSplit, SplitOptions, SplitRange, SplitRanges } from './prep/split.js';
export { prepareWindows } from './prep/pipeline.js';
export type { PrepareOptions, PreparedWindows } from './prep/pipeline.js';

export { createForecaster, RecurrentForecaster } from './models/recurrent/forecaster.js';
export type { Forecast, ForecastQuantiles, DataSignature, PredictionInterval } from './models/recurrent/forecast.js';
export { ForecasterOptionsSchema } from './models/recurrent/forecaster-options.js';
export type { ForecasterOptions, ResolvedForecasterOptions } from './models/recurrent/forecaster-options.js';
export { loadForecaster } from './models/recurrent/forecaster-io.js';
export { EarlyStoppingSchema } from './models/recurrent/training.js';
export type {
  AdjustedOption,
  EpochInfo,
  EarlyStopping,
  FinalFit,
  HistoryEntry,
  TrainResult,
} from './models/recurrent/training.js';
export type { ValidationCheck, ValidationTest } from './models/recurrent/validation.js';
export { importTorchRnn, TorchImportOptionsSchema } from './models/persistence/torch-import.js';
export type { TorchImportOptions, TorchRnnModel } from './models/persistence/torch-import.js';
export type { CellType, RecurrentSpec } from './models/engines/weights.js';
export { CELLS } from './vocabulary.js';

export { baselineForecast } from './models/baselines/baselines.js';
export type { BaselineSpec } from './models/baselines/baselines.js';
export { computeMetrics, metricsPerStep, naiveScale } from './backtest/metrics.js';
export type { Metrics, ForecastPoint } from './backtest/metrics.js';
export { parseModelSpec } from './backtest/models.js';
export type { BacktestModel, ParsedModelSpec, LegacySpec } from './backtest/models.js';
export type { VarianceContext } from './models/baselines/variance-baselines.js';
export { registerModel, unregisterModel, listModels } from './models/registry.js';
export type { ModelInfo } from './models/registry.js';
export { resolveModel } from './models/resolve.js';
export type { ModelSpec, ResolveContext } from './models/resolve.js';
export type {
  ModelDefinition,
  ModelTask,
  TargetKind,
  FoldWindow,
  Forecasts,
  SeriesModel,
  PanelModel,
  SymbolForecast,
  ModelEnvironment,
  ModelModule,
  ResolvedModel,
} from './models/contract.js';
export { walkForward, WalkForwardOptionsSchema } from './backtest/walk-forward.js';
export { forecastAhead, ForecastAheadOptionsSchema } from './backtest/forecast-ahead.js';
export type { AheadForecast, ForecastAheadOptions, PanelAheadForecast } from './backtest/forecast-ahead.js';
export { loadVolatilityModel, SavedForecastOptionsSchema } from './backtest/saved-ahead.js';
export type { SavedForecastOptions, SeriesAhead, VolatilityModel } from './backtest/saved-ahead.js';
export type { HybridTraining } from './models/recurrent/hybrid.js';
export type { CorrectionCheck, MemberTraining } from './models/recurrent/correction-net.js';
export type { WalkForwardOptions, BacktestResult, Fold, AppliedTransform } from './backtest/walk-forward.js';
export { compareModels } from './backtest/compare.js';
export type { Comparison, ComparisonRow, CompareSeriesOptions } from './backtest/compare.js';
export { CompareOptionsSchema, defaultBenchmark } from './backtest/comparison.js';
export { strategyTrials } from './backtest/strategy-trials.js';
export type { StrategyTrials } from './backtest/strategy-trials.js';
export type { CompareOptions } from './backtest/comparison.js';
export type { DieboldMarianoResult, StepTest, TestLoss, LossMetric } from './backtest/forecast-tests.js';
export type { ComparisonRealityCheck, ComparisonSpaTest, ModelSetTests } from './backtest/model-set-tests.js';
export { verdict, SIGNIFICANCE } from './stats/verdict.js';
export type { Verdict } from './stats/verdict.js';
export { simulateStrategy, StrategyOptionsSchema } from './backtest/strategy.js';
export type { StrategyOptions, StrategyResult, Performance, StrategyPerformance } from './backtest/strategy.js';

export { CharVocab } from './seq/vocab.js';
export type { CharVocabJSON } from './seq/vocab.js';
export { textWindows, TextWindowOptionsSchema } from './seq/text-windows.js';
export type { TextWindows, TextWindowOptions } from './seq/text-windows.js';
export {
  createCharModel,
  loadCharModel,
  CharModelOptionsSchema,
  GenerateOptionsSchema,
  charAccuracy,
} from './seq/char-model.js';
export type { CharModel, CharModelOptions, GenerateOptions } from './seq/char-model.js';
export { renderSvg, forecastChart, backtestChart, equityChart, lossChart } from './report/charts.js';
export { formatCsv } from './data/csv/csv-write.js';

// Volatility and risk (issue 15): realized-volatility estimators, econometric variance models, probabilistic metrics and VaR tests.
export {
  realizedVolatility,
  addVolatility,
  addLogVolume,
  volatilityWarmup,
  VolatilityOptionsSchema,
  VolatilityEstimatorSchema,
} from './prep/volatility.js';
export type { VolatilityEstimator, VolatilityOptions, VolatilityResult, OhlcArrays } from './prep/volatility.js';
export {
  fitGarch,
  garchLogLikelihood,
  garchVariances,
  garchVarianceForecast,
  GarchOptionsSchema,
} from './models/econometric/garch.js';
export { innovationQuantile, garchValueAtRisk } from './models/econometric/value-at-risk.js';
export type { InnovationDistribution } from './models/econometric/value-at-risk.js';
export type { GarchOptions, GarchParams, GarchFit } from './models/econometric/garch.js';
export { ewmaVariance, EwmaOptionsSchema } from './models/econometric/ewma.js';
export type { EwmaOptions } from './models/econometric/ewma.js';
export { fitHar, harForecast, HarOptionsSchema } from './models/econometric/har.js';
export type { HarOptions, HarFit } from './models/econometric/har.js';
export {
  CRPS_TOLERANCE,
  crpsCells,
  crpsFromQuantiles,
  crpsSupport,
  pinballLoss,
  probabilisticMetrics,
  probabilisticMetricsPerStep,
} from './backtest/probabilistic.js';
export type {
  QuantileForecastPoint,
  IntervalMetrics,
  ProbabilisticMetrics,
  LevelLoss,
  CrpsCells,
  CrpsSupport,
} from './backtest/probabilistic.js';
export { chiSquarePValue, kupiecTest, christoffersenTest, varBacktest, historicalVar } from './backtest/risk-tests.js';
export type { LrTest, VarBacktest } from './backtest/risk-tests.js';
export { parseTargetTransform, applyTargetTransform } from './prep/target-transform.js';
export type { DailyVariance, TargetTransform, TransformedTarget } from './prep/target-transform.js';
export type { PriceColumnNames } from './prep/price-columns.js';
export { quantileFanChart, coverageChart, exceedanceChart } from './report/risk-charts.js';
export type { VarianceModelSpec } from './models/baselines/variance-baselines.js';
export type { QuantileBacktest, RiskBacktest } from './backtest/quantile-results.js';
export { volatilityBands, varianceBands } from './prep/price-bands.js';
export type { PriceBands } from './prep/price-bands.js';
// Realized measures from intraday bars, the HAR family, volatility metrics and HAR features (issue 24).
export { resampleBars, ResampleOptionsSchema } from './prep/resample.js';
export type { ResampleOptions } from './prep/resample.js';
export { realizedMeasures, RealizedOptionsSchema, REALIZED_COLUMNS } from './prep/realized.js';
export type { RealizedOptions } from './prep/realized.js';
export type { AggregationReport } from './data/series.js';
export { fitHarModel, harModelForecast, harForecasts, HarModelOptionsSchema } from './models/econometric/har-family.js';
export { HAR_TERMS, HAR_NEEDS } from './models/econometric/har-family.js';
export type { HarModelOptions, HarModelFit, HarForecasts, HarRefit } from './models/econometric/har-family.js';
export type { HarVariant } from './models/econometric/har-family.js';
export { qlike, mseLog, volatilityMetrics, VolatilityMetricOptionsSchema } from './backtest/volatility-metrics.js';
export { addHarComponents, HarComponentsOptionsSchema } from './prep/har-features.js';
export type { HarComponentsOptions, HarComponentsResult } from './prep/har-features.js';
export type { VolatilityMetricOptions, VolatilityMetrics } from './backtest/volatility-metrics.js';
// Telling skill from luck (issue 25): Sharpe uncertainty, forecast tests, bootstraps, ranking, calibration.
export {
  sharpeRatio,
  probabilisticSharpe,
  deflatedSharpe,
  expectedMaxSharpe,
  SharpeOptionsSchema,
  ProbabilisticSharpeOptionsSchema,
  DeflatedSharpeOptionsSchema,
} from './stats/sharpe.js';
export type {
  SharpeOptions,
  SharpeEstimate,
  SharpeSummary,
  ProbabilisticSharpeOptions,
  DeflatedSharpeOptions,
} from './stats/sharpe.js';
export {
  dieboldMariano,
  dieboldMarianoLoss,
  dieboldMarianoPanel,
  DieboldMarianoOptionsSchema,
  DieboldMarianoLossOptionsSchema,
} from './stats/diebold-mariano.js';
export type {
  DieboldMarianoOptions,
  DieboldMarianoLossOptions,
  DieboldMarianoTest,
  PanelLossDifferential,
  PanelDieboldMarianoTest,
} from './stats/diebold-mariano.js';
export { stationaryBootstrap, realityCheck, spaTest, BootstrapOptionsSchema } from './stats/bootstrap.js';
export type { BootstrapOptions, RealityCheck, SpaTest } from './stats/bootstrap.js';
export {
  rankedProbabilityScore,
  returnQuintiles,
  quintileProbabilities,
  QuintileOptionsSchema,
} from './stats/ranking.js';
export type { AssetDistribution, NormalReturn, QuantileReturn, QuintileOptions } from './stats/ranking.js';
export { rankForecast, RankForecastOptionsSchema } from './stats/rank-forecast.js';
export type {
  RankForecastOptions,
  RankForecastPoint,
  RankForecastDate,
  RankForecastResult,
} from './stats/rank-forecast.js';
export { randomSignalBaseline, percentileOf, RandomSignalOptionsSchema } from './stats/random-baselines.js';
export type { RandomSignalOptions, RandomBaseline } from './stats/random-baselines.js';
export { pit, coverageByLevel } from './stats/calibration.js';
export { randomBaselineChart, pitChart, coverageByLevelChart } from './report/stats-charts.js';
export type { CalibrationPoint, PitBin, PitHistogram, LevelCoverage, ChiSquareTest } from './stats/calibration.js';
// Panels, calendars and missing-value tokens (issue 14, issue 12's parsing).
export { DEFAULT_NA_VALUES } from './data/cells.js';
export { Panel } from './data/panel.js';
export { formatPanelCsv } from './data/csv/csv-write.js';
export type { PanelInit, PanelMeta } from './data/panel.js';
export { parsePanelCsv, readPanelCsv, PanelCsvOptionsSchema } from './data/csv/panel-csv.js';
export type { PanelCsvOptions } from './data/csv/panel-csv.js';
export { ExchangeCalendar } from './data/calendar/calendar.js';
export type { CalendarSpec, CalendarDay } from './data/calendar/calendar.js';
export type { CalendarRule } from './data/calendar/calendar-rules.js';
export { nyseCalendar, calendarByName, NYSE_CALENDAR_SPEC, CALENDAR_NAMES } from './data/calendar/calendar-nyse.js';
export { calendarFeatures, CalendarFeatureSchema, CALENDAR_FEATURES } from './prep/calendar-features.js';
export type { CalendarFeature } from './prep/calendar-features.js';
export { panelWindowIndex, panelWindowBatches, gatherPanelWindows, panelWindowLayout } from './prep/panel-windows.js';
export { createGlobalForecaster, GlobalForecaster } from './models/recurrent/global-forecaster.js';
export { GlobalForecasterOptionsSchema } from './models/recurrent/global-forecaster-options.js';
export type { GlobalForecasterOptions } from './models/recurrent/global-forecaster-options.js';
export { loadGlobalForecaster } from './models/recurrent/global-forecaster-io.js';
export { walkForwardPanel, PanelWalkForwardOptionsSchema } from './backtest/panel-walk-forward.js';
export { comparePanelModels } from './backtest/panel-compare.js';
export type {
  PanelComparison,
  PanelComparisonResult,
  PanelComparisonRow,
  PanelDieboldMarianoResult,
} from './backtest/panel-compare.js';
export { panelBacktestChart } from './report/panel-charts.js';
export { renderReport, writeReport } from './report/report.js';
export type { ReportContent, ReportTable } from './report/report.js';
export type {
  PanelWalkForwardOptions,
  PanelBacktestResult,
  PanelForecastPoint,
  SymbolResult,
  PanelFit,
} from './backtest/panel-walk-forward.js';
export type {
  PanelWindowSource,
  PanelWindowShape,
  PanelWindowIndex,
  PanelWindowBatch,
  PanelWindowLayout,
  PanelWindowCounts,
} from './prep/panel-windows.js';

// The engine: which kernels run, what a training ran on, and sharing cores between parallel jobs.
export type { KernelInfo } from './models/engines/fused/kernels.js';
export type { EngineRun } from './models/engines/engine.js';
export { gpuAdapter } from './models/engines/webgpu/device.js';
export type { GpuAdapterSummary } from './models/engines/webgpu/device.js';
export { AUTO_WEBGPU } from './models/engines/webgpu/auto.js';
export { shareCores } from './models/engines/threads.js';
export type { ThreadsOption, CoreShare } from './models/engines/threads.js';

// The browser's own (issue 17): where the kernels are, saving models in IndexedDB, what runs here.
export { useAssets, browserThreads, BrowserAssetsSchema } from './web/assets.js';
export type { BrowserAssets, ThreadSupport } from './web/assets.js';
export { saveToIndexedDB, loadFromIndexedDB, IndexedDBOptionsSchema } from './web/indexeddb.js';
export type { IndexedDBOptions } from './web/indexeddb.js';
export type { ModelBytes } from './models/persistence/model-bytes.js';
