/**
 * Bench grid: many-to-one training throughput of every cell x units x layers x shape at 1 thread and at all cores,
 * next to PyTorch with the same thread count, case by case in the same run (a python line server runs each case
 * right after ours, so both see the same machine load). Also single-window inference latency, engine memory and
 * achieved GFLOP/s.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import type { RecurrentEngine } from '../src/models/engines/engine.js';
import { createEngine, type EngineChoice } from '../src/models/engines/engines.js';
import { gateCount, initWeights, type CellType } from '../src/models/engines/weights.js';
import { createRng } from '../src/util/random.js';
import type { Timings } from '../src/models/engines/webgpu/traffic.js';
import { findPython } from './python.js';

/** One grid case. */
export interface GridCase {
  cell: CellType;
  units: number;
  layers: number;
  lookback: number;
  features: number;
  batch: number;
  threads: number;
}

/** One measured grid row (the JSON schema of `--grid --json`). */
export interface GridRow extends GridCase {
  engine: string;
  samplesPerSec: number;
  torchSamplesPerSec: number | null;
  ratio: number | null;
  latency1Ms: number;
  torchLatency1Ms: number | null;
  memoryBytes: number | null;
  gflops: number;
}

const SHAPES = [
  { lookback: 30, features: 5, batch: 64 },
  { lookback: 60, features: 1, batch: 32 },
  { lookback: 30, features: 5, batch: 256 },
];

/** The full grid (`quick`: a subset that still has every cell, a small and a large model, and 2 layers). */
export function gridCases(quick: boolean, threads: number[]): GridCase[] {
  const out: GridCase[] = [];
  const cells: CellType[] = ['rnn', 'lstm', 'gru'];
  const units = quick ? [64, 256] : [32, 64, 128, 256];
  const layers = quick ? [1] : [1, 2];
  const shapes = quick ? [SHAPES[0], SHAPES[2]] : SHAPES;
  for (const t of threads)
    for (const cell of cells)
      for (const u of units)
        for (const l of layers) for (const s of shapes) out.push({ cell, units: u, layers: l, ...s, threads: t });
  if (quick) for (const t of threads) out.push({ cell: 'lstm', units: 128, layers: 2, ...SHAPES[1], threads: t });
  return out;
}

/** Parses `cell:units:layers:lookback:features:batch` (e.g. `lstm:64:1:30:5:64`). */
export function parseCase(text: string, threads: number): GridCase {
  const [cell, ...nums] = text.split(':');
  const [units, layers, lookback, features, batch] = nums.map(Number);
  if (
    !['rnn', 'lstm', 'gru'].includes(cell) ||
    [units, layers, lookback, features, batch].some((n) => !Number.isInteger(n) || n < 1)
  ) {
    throw new Error(
      `--case expects cell:units:layers:lookback:features:batch, e.g. lstm:64:1:30:5:64; received ${text}`,
    );
  }
  return { cell: cell as CellType, units, layers, lookback, features, batch, threads };
}

/** Multiply-adds x 2 of one training sample: forward, plus twice that for the backward pass. */
export function trainFlopsPerSample(c: GridCase): number {
  const G = gateCount(c.cell) * c.units;
  let forward = 0;
  for (let l = 0; l < c.layers; l++) forward += 2 * c.lookback * ((l === 0 ? c.features : c.units) + c.units) * G;
  return 3 * forward;
}

/** The PyTorch line server (Debian's python3-torch), or undefined without it. */
export class TorchServer {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;

  private constructor(python: string) {
    this.proc = spawn(python, ['bench/torch_grid.py'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.lines = createInterface({ input: this.proc.stdout })[Symbol.asyncIterator]();
  }

  static start(): TorchServer | undefined {
    const python = findPython(['torch']);
    return python ? new TorchServer(python) : undefined;
  }

  async ask<T>(request: object): Promise<T> {
    this.proc.stdin.write(`${JSON.stringify(request)}\n`);
    const next = await this.lines.next();
    if (next.done) throw new Error('the PyTorch bench server exited');
    return JSON.parse(next.value) as T;
  }

  close(): void {
    this.proc.stdin.end();
  }
}

/** One engine's measurement of a case. */
export interface OurMeasurement {
  engine: string;
  samplesPerSec: number;
  latency1Ms: number;
  memoryBytes: number | null;
  /** The webgpu engine's host time over the timed epochs (uploads, submissions, waits, readbacks). */
  timings?: Timings;
  seconds: number;
}

/**
 * Trains a case for `seconds` on an engine (default `auto`, given no batch size: a CPU engine) and times
 * one-window inference.
 */
export async function measureOurs(
  c: GridCase,
  seconds: number,
  choice: EngineChoice = 'auto',
): Promise<OurMeasurement> {
  const spec = { cell: c.cell, inputSize: c.features, units: c.units, layers: c.layers, outputSize: 1 };
  const engine: RecurrentEngine = await createEngine(choice, spec, initWeights(spec, 1), {
    loss: 'mse',
    optimizer: 'adam',
    learningRate: 1e-3,
    dropout: 0,
    threads: c.threads,
  });
  try {
    const rng = createRng(7);
    // Epochs of 4 batches: a measurement is whole epochs of at least 5 batches and `seconds`.
    const n = c.batch * 4;
    const x = Float32Array.from({ length: n * c.lookback * c.features }, () => rng.uniform(-1, 1));
    const y = Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
    const data = { x, y, count: n, steps: c.lookback };
    await engine.trainEpoch(
      {
        x: x.subarray(0, c.batch * c.lookback * c.features),
        y: y.subarray(0, c.batch),
        count: c.batch,
        steps: c.lookback,
      },
      c.batch,
      createRng(1),
    );
    let done = 0;
    const clock = engine as unknown as { timings?: () => Timings };
    const before = clock.timings?.();
    const t0 = performance.now();
    for (let e = 0; done < 5 * c.batch || performance.now() - t0 < seconds * 1000; e++) {
      await engine.trainEpoch(data, c.batch, createRng(e));
      done += n;
    }
    const elapsed = (performance.now() - t0) / 1000;
    const samplesPerSec = done / elapsed;
    const after = clock.timings?.();
    const diff = (a: Timings, b: Timings) =>
      Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - b[k as keyof Timings]]));
    const timings = before && after ? (diff(after, before) as unknown as Timings) : undefined;
    const one = x.subarray(0, c.lookback * c.features);
    for (let i = 0; i < 5; i++) await engine.predict(one, 1, c.lookback);
    let reps = 0;
    const t1 = performance.now();
    while (reps < 20 || performance.now() - t1 < 200) {
      await engine.predict(one, 1, c.lookback);
      reps++;
    }
    const latency1Ms = (performance.now() - t1) / reps;
    // describe() is new with the native kernels; older engines (for before/after runs) report their kind.
    const run = (engine as Partial<RecurrentEngine>).describe?.() ?? {
      engine: engine.kind,
      kernels: 'wasm',
      isa: 'simd128',
      threads: c.threads,
    };
    const name =
      run.engine === 'fused' ? `${run.kernels}-${run.isa}` : run.engine === 'webgpu' ? 'webgpu' : `tfjs-${run.kernels}`;
    const memoryBytes = (engine as unknown as { memoryBytes?: () => number }).memoryBytes?.() ?? null;
    const engineName = `${name}/${run.threads}t`;
    const measured = { samplesPerSec, latency1Ms, memoryBytes, seconds: elapsed };
    return { engine: engineName, ...measured, ...(timings ? { timings } : {}) };
  } finally {
    engine.dispose();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Runs the cases, each next to PyTorch; calls `onRow` as rows complete. With `repeat` > 1 each case alternates
 * stockcast and PyTorch that many times and reports medians (samples/s of each side, and of the per-round
 * ratios), which steadies ratios on a shared machine.
 */
export async function benchGrid(
  cases: GridCase[],
  options: { seconds?: number; repeat?: number; onRow?: (row: GridRow) => void } = {},
): Promise<{ grid: GridRow[]; cores: number; torchPeakGflops: number | null }> {
  const seconds = options.seconds ?? 1;
  const repeat = Math.max(1, options.repeat ?? 1);
  const torch = TorchServer.start();
  const rows: GridRow[] = [];
  try {
    const torchPeakGflops = torch ? (await torch.ask<{ gflops: number }>({ peak: true })).gflops : null;
    for (const c of cases) {
      const ours: Array<Awaited<ReturnType<typeof measureOurs>>> = [];
      const theirs: Array<{ samplesPerSec: number; latency1Ms: number }> = [];
      for (let r = 0; r < repeat; r++) {
        ours.push(await measureOurs(c, seconds));
        if (torch) theirs.push(await torch.ask<{ samplesPerSec: number; latency1Ms: number }>({ ...c, seconds }));
      }
      const sps = median(ours.map((o) => o.samplesPerSec));
      const row: GridRow = {
        ...c,
        engine: ours[0].engine,
        samplesPerSec: sps,
        torchSamplesPerSec: torch ? median(theirs.map((t) => t.samplesPerSec)) : null,
        ratio: torch ? median(ours.map((o, i) => o.samplesPerSec / theirs[i].samplesPerSec)) : null,
        latency1Ms: median(ours.map((o) => o.latency1Ms)),
        torchLatency1Ms: torch ? median(theirs.map((t) => t.latency1Ms)) : null,
        memoryBytes: ours[0].memoryBytes,
        gflops: (sps * trainFlopsPerSample(c)) / 1e9,
      };
      rows.push(row);
      options.onRow?.(row);
    }
    return { grid: rows, cores: availableParallelism(), torchPeakGflops };
  } finally {
    torch?.close();
  }
}

/** One table line. */
export function formatRow(r: GridRow): string {
  const shape = `${r.cell} ${r.units}x${r.layers} ${r.lookback}x${r.features} b${r.batch}`;
  const mem = r.memoryBytes === null ? '-' : (r.memoryBytes / 2 ** 20).toFixed(1);
  return `${shape.padEnd(26)} ${String(r.threads).padStart(2)}  ${r.engine.padEnd(14)} ${r.samplesPerSec.toFixed(0).padStart(9)} ${(r.torchSamplesPerSec?.toFixed(0) ?? '-').padStart(9)} ${(r.ratio?.toFixed(2) ?? '-').padStart(6)} ${r.gflops.toFixed(1).padStart(7)} ${r.latency1Ms.toFixed(3).padStart(8)} ${(r.torchLatency1Ms?.toFixed(3) ?? '-').padStart(8)} ${mem.padStart(8)}`;
}

/** The table header. */
export const GRID_HEADER = `${'case (cell units x layers, T x F, batch)'.padEnd(26)} th  ${'engine'.padEnd(14)} ${'samples/s'.padStart(9)} ${'torch/s'.padStart(9)} ${'ratio'.padStart(6)} ${'GFLOP/s'.padStart(7)} ${'lat ms'.padStart(8)} ${'torch ms'.padStart(8)} ${'mem MiB'.padStart(8)}`;
