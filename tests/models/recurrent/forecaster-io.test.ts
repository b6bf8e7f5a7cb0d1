import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createForecaster, loadForecaster, PersistenceError, Series } from '../../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-forecaster-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const series = Series.create({
  timestamps: Array.from({ length: 40 }, (_, i) => i * 86_400_000),
  columns: { close: Array.from({ length: 40 }, (_, i) => 100 + Math.sin(i / 3) * 5 + i) },
});

describe('loading a saved forecaster', () => {
  const path = join(dir, 'model');
  const manifestPath = join(path, 'model.json');
  const withPayload = async (corrupt: (p: Record<string, any>) => void, check: () => Promise<void>) => {
    const original = readFileSync(manifestPath, 'utf8');
    const manifest = JSON.parse(original);
    corrupt(manifest.payload);
    writeFileSync(manifestPath, JSON.stringify(manifest));
    try {
      await check();
    } finally {
      writeFileSync(manifestPath, original);
    }
  };

  it('restores a saved interval and quantile shifts of the right shape', async () => {
    const model = await createForecaster({ lookback: 4, horizon: 2, units: 4, epochs: 1, seed: 5 }).fit(series);
    await model.save(path);
    model.dispose();
    await withPayload(
      (p) => {
        p.interval = { widths: [0.5, 1.5], coverage: 0.8 };
        p.quantileShifts = [[], []];
      },
      async () => {
        const back = await loadForecaster(path);
        expect(back.predictionInterval?.coverage).toBe(0.8);
        expect(Array.from(back.predictionInterval!.widths)).toEqual([0.5, 1.5]);
        expect(back.quantileShifts?.map((s) => s.length)).toEqual([0, 0]);
        back.dispose();
      },
    );
  });

  it.each([
    ['invalid options', (p: Record<string, any>) => (p.options.lookback = -1), /invalid saved options: lookback: /],
    [
      'an interval of the wrong length',
      (p: Record<string, any>) => (p.interval = { widths: [1], coverage: 0.9 }),
      /invalid interval: expected 2 finite widths/,
    ],
    [
      'quantile shifts of the wrong shape',
      (p: Record<string, any>) => (p.quantileShifts = [[1]]),
      /invalid quantileShifts: expected 2 rows of 0 finite numbers/,
    ],
    ['a broken scaler', (p: Record<string, any>) => (p.scaler = { kind: 'nonsense' }), /invalid scaler state: /],
  ])('refuses %s with a PersistenceError', async (_, corrupt, message) => {
    await withPayload(corrupt, async () => {
      await expect(loadForecaster(path)).rejects.toThrow(PersistenceError);
      await expect(loadForecaster(path)).rejects.toThrow(message);
    });
  });
});
