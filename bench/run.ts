/**
 * `npm run bench`: training throughput against PyTorch, CSV ingestion against pandas, windowing memory, and the
 * worker-thread backtest speed-up. Ratios are measured in one run. `--json` prints one JSON document;
 * `--only training|gemm|csv|windows|backtest|panel|panel-memory` runs one part (panel-memory, a 500 x 5,000 fit, only on request); `--quick` skips the slow pure-JS tfjs backend (about 2 minutes);
 * `--only csv-shapes` (only on request) times CSV ingestion of five other shapes of the csv part's file against pandas;
 * `--defaults [--candidates]` measures the default forecaster against the naive forecast on the benchmark set instead;
 * `--sweep` measures sweeps on a BullMQ queue (its own redis-server; 1, 2 and 4 worker processes) instead;
 * `--bundle` measures only the browser build's size (esbuild, minified, gzip; also part of the default run);
 * `--volatility [--quick]` measures recurrent volatility models (before and after the volatility defaults) against EWMA,
 * HAR and GARCH on the S&P file, R's series and simulations instead (committed output: bench/results/volatility.txt);
 * `--volatility --panel` times the default volatility model on a 30-stock, 10-year panel (1 seed and the default);
 * `--realized` measures realized measures and resampling on 1M one-minute bars against pandas instead;
 * `--figures` records the numbers the docs quote (csv, csv-shapes, grid, realized) into docs/figures.json (see scripts/figures.ts).
 * `--engine webgpu [--grid [--quick]|--case ...]` measures the webgpu engine next to the fused engine (all cores) and
 * PyTorch (CUDA when available) instead (docs/gpu.md).
 */
import '../src/node-runtime.js';
import { benchBacktest } from './backtest.js';
import { benchBundle } from './bundle.js';
import { benchCsv } from './csv-ingest.js';
import { benchCsvShapes } from './csv-shapes.js';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { recordFigures } from '../scripts/figures.js';
import { benchDefaults } from './defaults.js';
import { benchSweep } from './sweep.js';
import { benchGemm } from './gemm.js';
import { benchRealized, realizedFigures } from './realized.js';
import { benchGpu, formatGpuRow, GPU_HEADER } from './gpu.js';
import { benchGrid, formatRow, GRID_HEADER, gridCases, parseCase } from './grid.js';
import { benchGlobalVsLocal, benchPanelMemory } from './panel.js';
import { benchTraining } from './training.js';
import { benchWindows } from './windows.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
// --figures: record the numbers the docs quote into docs/figures.json (then `npx tsx scripts/figures.ts --write`).
const figures = args.includes('--figures');
const measuredOn = () =>
  `${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}, Node ${process.versions.node}`;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const want = (part: string) => only === undefined || only === part;
const log = (line: string) => {
  if (!json) console.log(line);
};

const report: Record<string, unknown> = {};
const value = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
if (value('--engine') === 'webgpu') {
  // The GPU against the fused engine on every core and PyTorch (CUDA when available), case by case.
  const cores = availableParallelism();
  const asked = value('--threads');
  const threads = [asked === undefined || asked === 'all' ? cores : Number(asked)];
  const chosen = args.flatMap((a, i) => (a === '--case' ? threads.map((t) => parseCase(args[i + 1], t)) : []));
  const quick = !args.includes('--grid') || args.includes('--quick');
  const cases = args.includes('--case') ? chosen : gridCases(quick, threads);
  const row = (line: string) => (json ? console.error(line) : log(line));
  const seconds = Number(value('--seconds') ?? 1);
  const onAdapter = (a: string) => row(`${a}\n${GPU_HEADER}`);
  const result = await benchGpu(cases, { seconds, onAdapter, onRow: (r) => row(formatGpuRow(r)) });
  const legend = 'per batch: upload (gather + write), submit (record + submit), wait (bounded queue);';
  if (!json) log(`${legend} per epoch: read (losses + weights); fused on ${cores} threads`);
  if (json) console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
if (args.includes('--grid') || args.includes('--case')) {
  // --grid: the full grid (--quick: a subset); --case cell:units:layers:lookback:features:batch (repeatable) runs
  // chosen cases; --threads N|all limits the thread counts (default: 1 and all cores); --seconds S per measurement
  // (default 1); --repeat R alternates stockcast and PyTorch R times per case and reports medians.
  const cores = availableParallelism();
  const threadArg = value('--threads');
  const threads =
    threadArg === undefined ? [...new Set([1, cores])] : [threadArg === 'all' ? cores : Number(threadArg)];
  const cases = args.includes('--case')
    ? args.flatMap((a, i) => (a === '--case' ? threads.map((t) => parseCase(args[i + 1], t)) : []))
    : gridCases(args.includes('--quick'), threads);
  log(GRID_HEADER);
  const seconds = value('--seconds');
  const repeat = value('--repeat');
  // With --json the table still goes to stderr, as progress.
  const row = (line: string) => (json ? console.error(line) : log(line));
  const result = await benchGrid(cases, {
    ...(seconds ? { seconds: Number(seconds) } : {}),
    ...(repeat ? { repeat: Number(repeat) } : {}),
    onRow: (r) => row(formatRow(r)),
  });
  if (result.torchPeakGflops !== null)
    log(
      `PyTorch 512^3 matmul, one thread (the machine's native GEMM peak): ${result.torchPeakGflops.toFixed(1)} GFLOP/s`,
    );
  const ratios = result.grid
    .filter((r) => r.threads === 1 && r.ratio !== null)
    .map((r) => r.ratio!)
    .sort((a, b) => a - b);
  if (figures && ratios.length >= 10) {
    const source = 'npm run bench -- --grid --figures (one thread, every case against PyTorch)';
    const median = ratios[Math.floor(ratios.length / 2)];
    recordFigures(
      {
        gridCases: { value: ratios.length, digits: 0, source },
        gridMinRatio: { value: ratios[0], digits: 2, source },
        gridMaxRatio: { value: ratios[ratios.length - 1], digits: 0, suffix: 'x', source },
        gridMedianRatio: { value: median, digits: 1, suffix: 'x', source },
      },
      measuredOn(),
    );
  }
  if (json) console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
if (args.includes('--volatility') && args.includes('--panel')) {
  // The default volatility model on a 30-stock, 10-year simulated panel: wall time with 1 seed and the default seeds.
  const { benchVolatilityPanel } = await import('./volatility-panel.js');
  log(
    `default recurrent volatility model, 30 stocks x 2520 days, rv:5, 500 test days, refit every 50 (${measuredOn()})`,
  );
  const runs = await benchVolatilityPanel(log);
  report.volatilityPanel = runs;
  if (figures) {
    const [one, all] = runs;
    const source = 'npm run bench -- --volatility --panel --figures (bench/volatility-panel.ts)';
    const perSeed = (a: number, b: number) => (a - b) / (all.seeds - 1);
    recordFigures(
      {
        volatilityPanelSeconds: { value: all.seconds, digits: 0, suffix: ' s', source },
        volatilityPanelCpuSeconds: { value: all.cpuSeconds, digits: 0, suffix: ' s', source },
        volatilityPanelSeeds: { value: all.seeds, digits: 0, source },
        volatilitySeedCpuSeconds: { value: perSeed(all.cpuSeconds, one.cpuSeconds), digits: 0, suffix: ' s', source },
        volatilitySeedSeconds: { value: perSeed(all.seconds, one.seconds), digits: 0, suffix: ' s', source },
      },
      measuredOn(),
    );
  }
  if (json) console.log(JSON.stringify(report, null, 2));
  process.exit(0);
}
if (args.includes('--volatility')) {
  const { benchVolatility, formatVolatilityRow } = await import('./volatility.js');
  log(`recurrent volatility models against the best of EWMA, HAR and GARCH (${measuredOn()})`);
  const rows = await benchVolatility({
    quick: args.includes('--quick'),
    onRow: (r) => log(['', ...formatVolatilityRow(r)].join('\n')),
  });
  report.volatility = rows;
  if (figures && !args.includes('--quick')) {
    // The docs' table and counts (docs/tables/volatility.md, docs/figures.json; scripts/figures.ts --write shows them).
    const { volatilityTable, volatilityCounts } = await import('./volatility.js');
    writeFileSync('docs/tables/volatility.md', volatilityTable(rows));
    const source = 'npm run bench -- --volatility --figures (bench/volatility.ts)';
    const counts = Object.entries(volatilityCounts(rows)).map(([k, value]) => [k, { value, digits: 0, source }]);
    recordFigures(Object.fromEntries(counts), measuredOn());
  }
  if (json) console.log(JSON.stringify(report, null, 2));
  process.exit(0);
}
if (args.includes('--realized')) {
  // Realized measures and resampling on 1M one-minute bars, next to reading them and to pandas on the same file.
  const r = await benchRealized();
  report.realized = r;
  const mb = (r.inputBytes / 1e6).toFixed(0);
  log(`\nrealized measures and resampling: ${r.bars.toLocaleString('en-US')} one-minute bars (input columns ${mb} MB)`);
  log(`readCsv took ${r.readSec.toFixed(2)} s`);
  log('CPU seconds, best of 5 (the first calls include JIT compilation); allocated: typed-array bytes the call made');
  log('operation                      rows   stockcast s   pandas s   pandas / stockcast   allocated     output');
  for (const row of r.rows) {
    const pandas = row.pandasSec === undefined ? '        -' : row.pandasSec.toFixed(3).padStart(9);
    const ratio = row.ratio === undefined ? '-' : row.ratio.toFixed(2);
    const kb = (bytes: number) => `${(bytes / 1e3).toFixed(0)} kB`;
    const times = `${row.stockcastSec.toFixed(3).padStart(13)} ${pandas} ${ratio.padStart(20)}`;
    const memory = `${kb(row.allocatedBytes).padStart(11)} ${kb(row.outputBytes).padStart(10)}`;
    log(`${row.what.padEnd(26)} ${String(row.rows).padStart(8)} ${times} ${memory}`);
  }
  if (figures) recordFigures(realizedFigures(r), measuredOn());
  if (json) console.log(JSON.stringify(report, null, 2));
  process.exit(0);
}
if (args.includes('--sweep')) {
  // Sweep throughput on a job queue with 1, 2 and 4 worker processes, and the queue's cost per job (minutes).
  const { rows, roundTrip } = await benchSweep(log);
  report.sweep = { rows, roundTrip };
  log('\nsweep: 16 LSTM trials x 2 validation folds + 2 test folds (34 jobs); one job at a time per worker');
  log('setup                           wall s   trials/min   train s   not-training ms/job   identical');
  for (const r of rows)
    log(
      `${r.setup.padEnd(31)} ${r.wallSec.toFixed(1).padStart(6)} ${r.trialsPerMin.toFixed(1).padStart(12)} ${r.trainSec.toFixed(1).padStart(9)} ${r.overheadMsPerJob.toFixed(0).padStart(21)}   ${r.identical}`,
    );
  log(
    `queue round trip: ${(roundTrip.wallMsPerJob - roundTrip.trainMsPerJob).toFixed(0)} ms per job beyond ${roundTrip.trainMsPerJob.toFixed(0)} ms of training (${roundTrip.jobs} tiny jobs, one worker)`,
  );
  if (json) console.log(JSON.stringify(report, null, 2));
  process.exit(0);
}
if (args.includes('--bundle') || want('bundle')) {
  const b = await benchBundle();
  report.bundle = b;
  log(
    `\nbrowser build (src/browser.ts, esbuild --platform=browser --minify, ESM with splitting; ${b.inputs} modules; no TensorFlow.js)`,
  );
  log('part                                             bytes      gzip');
  for (const p of b.parts) log(`${p.what.padEnd(46)} ${String(p.bytes).padStart(8)} ${String(p.gzip).padStart(9)}`);
  log(`loaded with the page (entry + kernels), gzip: ${b.initialGzip} bytes; everything, gzip: ${b.totalGzip} bytes`);
  if (args.includes('--bundle')) {
    if (json) console.log(JSON.stringify(report, null, 2));
    process.exit(0);
  }
}
if (args.includes('--defaults')) {
  // Accuracy of the default options against the naive forecast (slow: minutes per series); `--candidates` adds
  // the input schemes the defaults were chosen from.
  const rows = await benchDefaults({ candidates: args.includes('--candidates'), log });
  report.defaults = rows;
  const worst = rows.reduce((a, b) => (b.theilU > a.theilU ? b : a));
  log(`worst Theil's U: ${worst.theilU.toFixed(3)} (${worst.series}, ${worst.cell}, ${worst.inputs}); target <= 1.05`);
  if (json) console.log(JSON.stringify(report, null, 2));
  process.exit(0);
}
if (want('training')) {
  const engines: Parameters<typeof benchTraining>[0] = [
    { label: 'fused', engine: 'fused', threads: 2 },
    { label: 'fused-1t', engine: 'fused', threads: 1 },
    { label: 'tfjs-wasm', engine: 'tfjs', backend: 'wasm' },
    ...(args.includes('--quick') ? [] : [{ label: 'tfjs-cpu', engine: 'tfjs' as const, backend: 'cpu' as const }]),
  ];
  const cases = await benchTraining(engines);
  report.cases = cases;
  log('training: many-to-one, N=2048 windows of 30 x 5, 64 units, batch 64, 2 epochs, Adam');
  log('case  engine      samples/s   torch/s   ratio   latency 1 (ms)   latency 2048 (ms)');
  for (const c of cases) {
    log(
      `${c.name.padEnd(5)} ${c.engine.padEnd(10)} ${c.samplesPerSec.toFixed(0).padStart(10)} ${(c.torchSamplesPerSec?.toFixed(0) ?? '-').padStart(9)} ${(c.ratio?.toFixed(2) ?? '-').padStart(7)} ${c.latency1Ms.toFixed(3).padStart(16)} ${c.latencyBatchMs.toFixed(1).padStart(19)}`,
    );
  }
  const speedups = ['rnn', 'lstm', 'gru'].map((n) => {
    const f = cases.find((c) => c.name === n && c.engine === 'fused');
    const w = cases.find((c) => c.name === n && c.engine === 'tfjs-wasm');
    return f && w ? `${n} ${(f.samplesPerSec / w.samplesPerSec).toFixed(1)}x` : undefined;
  });
  if (speedups.every(Boolean)) log(`fused vs tfjs-wasm: ${speedups.join(', ')}`);
}
if (want('gemm')) {
  const g = benchGemm();
  report.gemm = g;
  log('\nfused engine products (one thread):');
  for (const c of g.cases) log(`  ${c.kernels.padEnd(14)} ${c.name}  ${c.gflops.toFixed(1)} GFLOP/s`);
  if (g.torch512)
    log(`  PyTorch 512x512x512 matmul, one thread (the machine's native peak)  ${g.torch512.toFixed(1)} GFLOP/s`);
}
if (want('csv')) {
  const csv = await benchCsv();
  report.csv = csv;
  log(
    `\ncsv: ${csv.rows} rows in ${csv.stockcastSec.toFixed(2)} s; pandas ${csv.pandasSec?.toFixed(2) ?? '-'} s; ratio (pandas time / stockcast time) ${csv.ratio?.toFixed(2) ?? '-'}`,
  );
  if (figures && csv.ratio !== undefined && csv.pandasSec !== undefined) {
    const source = 'npm run bench -- --only csv --figures (1,000,000 one-minute OHLCV rows, best of 3, same file)';
    recordFigures(
      {
        csvSeconds: { value: csv.stockcastSec, digits: 2, suffix: ' s', source },
        csvPandasSeconds: { value: csv.pandasSec, digits: 2, suffix: ' s', source },
        csvRatio: { value: csv.ratio, digits: 2, source },
      },
      measuredOn(),
    );
  }
}
if (want('windows')) {
  const w = benchWindows();
  report.windows = w;
  log(
    `\nwindows: ${w.windows} windows (L=60) from ${w.rows} rows in ${w.seconds.toFixed(2)} s; each batch of 4096 holds ${w.batchMB.toFixed(2)} MB, peak RSS grew ${w.rssGrowthMB.toFixed(0)} MB (all windows at once would be ${w.fullMaterializationMB.toFixed(0)} MB)`,
  );
}
if (want('backtest')) {
  const b = await benchBacktest();
  report.backtest = b;
  log(
    `\nbacktest: ${b.folds} LSTM refit folds, serial ${b.serialSec.toFixed(1)} s, 2 workers ${b.parallelSec.toFixed(1)} s, speed-up ${b.speedup.toFixed(2)}x, identical: ${b.identical}`,
  );
}
if (want('panel')) {
  const g = await benchGlobalVsLocal();
  report.panel = g;
  log(
    `\npanel: ${g.symbols} symbols x ${g.days} days, horizon ${g.horizon}: one global LSTM ${g.globalSeconds.toFixed(1)} s (MAPE ${g.globalMape.toFixed(2)}%), one LSTM per symbol ${g.localSeconds.toFixed(1)} s (MAPE ${g.localMape.toFixed(2)}%), naive MAPE ${g.naiveMape.toFixed(2)}%`,
  );
}
// Slow (one epoch over 2.2M windows): only on request.
// Five files of 1M rows, each read 3 times by both: only on request.
if (only === 'csv-shapes') {
  const shapes = await benchCsvShapes();
  report.csvShapes = shapes;
  log('\ncsv shapes (1,000,000 rows each; ratio = pandas time / stockcast time):');
  for (const s of shapes)
    log(
      `  ${s.shape.padEnd(10)} ${s.stockcastSec.toFixed(2)} s; pandas ${s.pandasSec?.toFixed(2) ?? '-'} s; ratio ${s.ratio?.toFixed(2) ?? '-'}`,
    );
  if (figures && shapes.every((s) => s.ratio !== undefined)) {
    const source =
      'npm run bench -- --only csv-shapes --figures (1,000,000 one-minute OHLCV rows per shape, best of 3)';
    const key = (shape: string) => `csvRatio${shape[0].toUpperCase()}${shape.slice(1)}`;
    recordFigures(
      Object.fromEntries(shapes.map((s) => [key(s.shape), { value: s.ratio!, digits: 2, source }])),
      measuredOn(),
    );
  }
}
if (only === 'panel-memory') {
  const m = await benchPanelMemory();
  report.panelMemory = m;
  log(
    `\npanel memory: ${m.symbols} x ${m.days}, ${m.windows} windows (L=60, 5 features) in ${m.epochSeconds.toFixed(0)} s for one epoch; peak RSS ${m.peakRssMB.toFixed(0)} MB (panel alone ${m.rssWithPanelMB.toFixed(0)} MB; all windows at once would be ${m.allWindowsMB.toFixed(0)} MB)`,
  );
}
if (json) console.log(JSON.stringify(report, null, 2));
