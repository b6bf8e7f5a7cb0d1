/** Bench: many-to-one training throughput and inference latency per cell and engine, next to PyTorch in the same run. */
import { spawnSync } from 'node:child_process';
import { setBackend } from '../src/index.js';
import type { RecurrentEngine } from '../src/models/engines/engine.js';
import { createEngine, type EngineChoice } from '../src/models/engines/engines.js';
import { initWeights, type CellType } from '../src/models/engines/weights.js';
import { createRng } from '../src/util/random.js';
import { findPython } from './python.js';

/** The case of the performance issue: N windows of T x F, H units, batch B, E epochs, Adam. */
export const CASE = { N: 2048, T: 30, F: 5, H: 64, B: 64, EPOCHS: 2 };

/** One measured case. */
export interface TrainingCase {
  name: CellType;
  engine: string;
  samplesPerSec: number;
  latency1Ms: number;
  latencyBatchMs: number;
  torchSamplesPerSec?: number;
  ratio?: number;
}

function data(seed: number): { x: Float32Array; y: Float32Array } {
  const rng = createRng(seed);
  const x = Float32Array.from({ length: CASE.N * CASE.T * CASE.F }, () => rng.uniform(-1, 1));
  const y = Float32Array.from({ length: CASE.N }, () => rng.uniform(-1, 1));
  return { x, y };
}

async function measure(
  engine: RecurrentEngine,
  x: Float32Array,
  y: Float32Array,
): Promise<Omit<TrainingCase, 'name' | 'engine'>> {
  const d = { x, y, count: CASE.N, steps: CASE.T };
  await engine.trainEpoch(
    { x: x.subarray(0, CASE.B * CASE.T * CASE.F), y: y.subarray(0, CASE.B), count: CASE.B, steps: CASE.T },
    CASE.B,
    createRng(1),
  ); // warm-up (kernels, JIT)
  const t0 = performance.now();
  for (let e = 0; e < CASE.EPOCHS; e++) await engine.trainEpoch(d, CASE.B, createRng(e));
  const seconds = (performance.now() - t0) / 1000;
  const one = x.subarray(0, CASE.T * CASE.F);
  for (let i = 0; i < 3; i++) await engine.predict(one, 1, CASE.T);
  let t1 = performance.now();
  for (let i = 0; i < 50; i++) await engine.predict(one, 1, CASE.T);
  const latency1Ms = (performance.now() - t1) / 50;
  await engine.predict(x, CASE.N, CASE.T);
  t1 = performance.now();
  for (let i = 0; i < 3; i++) await engine.predict(x, CASE.N, CASE.T);
  return { samplesPerSec: (CASE.N * CASE.EPOCHS) / seconds, latency1Ms, latencyBatchMs: (performance.now() - t1) / 3 };
}

/** PyTorch's figures for the same cases, when Debian's python3-torch is installed. */
export function torchReference():
  | Record<string, { samplesPerSec: number; latency1Ms: number; latencyBatchMs: number }>
  | undefined {
  const python = findPython(['torch']);
  if (!python) return undefined;
  const r = spawnSync(python, ['bench/torch_bench.py', ...Object.values(CASE).map(String)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`torch bench failed: ${r.stderr}`);
  return JSON.parse(r.stdout).cases;
}

/** Runs every cell on each engine setting and attaches PyTorch's figures from the same run. */
export async function benchTraining(
  engines: Array<{ label: string; engine: EngineChoice; backend?: 'wasm' | 'cpu'; threads?: number }>,
  cells: CellType[] = ['rnn', 'lstm', 'gru'],
): Promise<TrainingCase[]> {
  const { x, y } = data(1);
  const torch = torchReference();
  const out: TrainingCase[] = [];
  for (const e of engines) {
    if (e.backend) await setBackend(e.backend);
    for (const cell of cells) {
      const spec = { cell, inputSize: CASE.F, units: CASE.H, layers: 1, outputSize: 1 };
      const engine = await createEngine(e.engine, spec, initWeights(spec, 1), {
        loss: 'mse',
        optimizer: 'adam',
        learningRate: 1e-3,
        dropout: 0,
        ...(e.threads ? { threads: e.threads } : {}),
      });
      try {
        const m = await measure(engine, x, y);
        const t = torch?.[cell];
        out.push({
          name: cell,
          engine: e.label,
          ...m,
          ...(t ? { torchSamplesPerSec: t.samplesPerSec, ratio: m.samplesPerSec / t.samplesPerSec } : {}),
        });
      } finally {
        engine.dispose();
      }
    }
  }
  await setBackend('wasm');
  return out;
}
