import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createForecaster, loadForecaster, PersistenceError, Series } from '../../../src/index.js';
import { writeFaults } from '../../../src/util/fs.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-persist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => delete writeFaults.at);

const series = Series.create({
  timestamps: Array.from({ length: 60 }, (_, i) => i * 86_400_000),
  columns: { close: Array.from({ length: 60 }, (_, i) => 100 + Math.sin(i / 3) * 5 + i) },
});
// Every epoch runs (no early stopping), so two seeds give two different models (the naive start could win both).
const trained = (seed: number) =>
  createForecaster({ lookback: 5, units: 4, epochs: 2, seed, earlyStopping: false }).fit(series);
const predictionOf = async (path: string) => {
  const m = await loadForecaster(path);
  const p = Array.from((await m.predict(series)).values);
  m.dispose();
  return p;
};

describe('crash-safe model saves', () => {
  it('a save interrupted at any step leaves a complete model at the path: the old one before the manifest is replaced, the new one after', async () => {
    const [a, b] = [await trained(1), await trained(2)];
    const pa = Array.from((await a.predict(series)).values);
    const pb = Array.from((await b.predict(series)).values);
    expect(pa).not.toEqual(pb);
    // The steps of a save, in order, as the fault hook sees them.
    const steps: string[] = [];
    await a.save(join(dir, 'probe'));
    writeFaults.at = (step) => void steps.push(step);
    await a.save(join(dir, 'probe'));
    delete writeFaults.at;
    expect(steps).toEqual([
      'before-rename',
      'before-dir-sync',
      'weights-written',
      'before-rename',
      'before-dir-sync',
      'manifest-replaced',
    ]);
    for (let k = 0; k < steps.length; k++) {
      const path = join(dir, `m${k}`);
      await a.save(path);
      let calls = 0;
      writeFaults.at = () => {
        if (calls++ === k) throw new Error(`crash at step ${k}`);
      };
      await expect(b.save(path)).rejects.toThrow(PersistenceError);
      delete writeFaults.at;
      // Before the manifest's rename (steps 0-3) the old model is there; after it (steps 4-5) the new one.
      expect(await predictionOf(path)).toEqual(k < 4 ? pa : pb);
      // The next save completes. What the crash left (a weights or temporary file no manifest names) stays until it
      // is an hour old, since a younger one may belong to a save still running elsewhere; then a save removes it.
      await b.save(path);
      expect(await predictionOf(path)).toEqual(pb);
      const named = () => JSON.parse(readFileSync(join(path, 'model.json'), 'utf8')).weightsFile as string;
      const strays = readdirSync(path).filter((f) => f !== 'model.json' && f !== named());
      expect(strays.length).toBeLessThanOrEqual(1);
      const old = new Date(Date.now() - 2 * 3_600_000);
      for (const f of strays) utimesSync(join(path, f), old, old);
      await b.save(path);
      expect(readdirSync(path).sort()).toEqual(['model.json', named()].sort());
    }
    a.dispose();
    b.dispose();
  });

  it('the old weights are removed only after the directory is flushed: a failed flush keeps them for a power loss', async () => {
    const [a, b] = [await trained(1), await trained(2)];
    const path = join(dir, 'flush');
    await a.save(path);
    const oldWeights = JSON.parse(readFileSync(join(path, 'model.json'), 'utf8')).weightsFile as string;
    // Which files the directory holds at each flush: the old weights must still be there at the manifest's flush.
    const atFlush: string[][] = [];
    writeFaults.at = (step, p) => void (step === 'before-dir-sync' && p === path && atFlush.push(readdirSync(path)));
    await b.save(path);
    expect(atFlush).toHaveLength(2);
    expect(atFlush[1]).toContain(oldWeights);
    expect(readdirSync(path)).not.toContain(oldWeights);
    // A flush that fails (EIO from fsync, or the power going) after the manifest's rename: the save fails and the
    // old weights stay, so whichever manifest the disk ends up with names a file that exists.
    await a.save(path);
    const before = JSON.parse(readFileSync(join(path, 'model.json'), 'utf8')).weightsFile as string;
    let flushes = 0;
    writeFaults.at = (step) => {
      if (step === 'before-dir-sync' && ++flushes === 2)
        throw Object.assign(new Error('EIO: fsync failed'), { code: 'EIO' });
    };
    await expect(b.save(path)).rejects.toThrow(PersistenceError);
    delete writeFaults.at;
    expect(readdirSync(path)).toContain(before);
    a.dispose();
    b.dispose();
  });

  it('two processes saving to one path while a third reads: every read finds a complete model', async () => {
    const path = join(dir, 'shared');
    const a = await trained(1);
    await a.save(path);
    a.dispose();
    const saver = (seed: number) =>
      new Promise<number | null>((resolve) => {
        const script = `import { createForecaster, Series } from './src/index.ts';
          const s = Series.create({ timestamps: Array.from({ length: 60 }, (_, i) => i * 86400000), columns: { close: Array.from({ length: 60 }, (_, i) => 100 + Math.sin(i / 3) * 5 + i) } });
          const m = await createForecaster({ lookback: 5, units: 4, epochs: 2, seed: ${seed} }).fit(s);
          for (let i = 0; i < 25; i++) await m.save(${JSON.stringify(path)});`;
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          stdio: 'inherit',
        });
        child.on('exit', resolve);
      });
    const running = Promise.all([saver(1), saver(2)]);
    let done = false;
    void running.then(() => (done = true));
    let reads = 0;
    while (!done) {
      const m = await loadForecaster(path);
      expect(m.spec.units).toBe(4);
      m.dispose();
      reads++;
    }
    expect(await running).toEqual([0, 0]);
    expect(reads).toBeGreaterThan(0);
    const files = readdirSync(path);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files).toContain(JSON.parse(readFileSync(join(path, 'model.json'), 'utf8')).weightsFile);
  });
});
