import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MISSING_CELLS, NUMBER_CELLS, REFUSED_CELLS, withCell } from '../helpers/cell-cases.js';
import { cli, cliAsync, type CliRun } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-cli-cells-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const day = (i: number) => new Date(Date.UTC(2021, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);

describe('stockcast reads CSV cells as the API does', () => {
  it('every missing-value token is dropped under --missing drop; spaced numbers keep their values', () => {
    // Alternate one number row and one missing row, so every token sits between two numbers.
    const numbers = [100, ...NUMBER_CELLS.map(([cell]) => cell), ...MISSING_CELLS.map((_, i) => String(200 + i))].slice(
      0,
      MISSING_CELLS.length + 1,
    );
    const lines = ['date,close'];
    const kept: Array<{ date: string; value: number }> = [];
    numbers.forEach((cell, i) => {
      lines.push(`${day(2 * i)},"${cell}"`);
      kept.push({ date: day(2 * i), value: Number(cell) });
      if (i < MISSING_CELLS.length) lines.push(`${day(2 * i + 1)},"${MISSING_CELLS[i]}"`);
    });
    const file = join(dir, 'tokens.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = cli(
      'backtest',
      '--csv',
      file,
      '--models',
      'naive',
      '--missing',
      'drop',
      '--test-size',
      String(kept.length - 1),
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const points = JSON.parse(r.stdout).models.naive.points as Array<{ timestamp: string; actual: number }>;
    expect(points.map((p) => p.timestamp.slice(0, 10))).toEqual(kept.slice(1).map((k) => k.date));
    // JSON writes -0 as 0.
    expect(points.map((p) => p.actual)).toEqual(kept.slice(1).map((k) => k.value + 0));
  });

  it('every refused form exits 1 with a DataError at file:line:column', async () => {
    const runs: Array<[string, RegExp, CliRun]> = [];
    // Two at a time: each run starts a Node process.
    for (let i = 0; i < REFUSED_CELLS.length; i += 2) {
      const batch = REFUSED_CELLS.slice(i, i + 2).map(async ([cell, pattern], j) => {
        const file = join(dir, `refused-${i + j}.csv`);
        writeFileSync(file, withCell(cell));
        runs.push([
          file,
          pattern,
          await cliAsync('backtest', '--csv', file, '--models', 'naive', '--missing', 'drop', '--json'),
        ]);
      });
      await Promise.all(batch);
    }
    expect(runs).toHaveLength(REFUSED_CELLS.length);
    for (const [file, pattern, r] of runs) {
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.startsWith(`DataError: ${file}:3:2 column "close": `)).toBe(true);
      expect(r.stderr).toMatch(pattern);
    }
    // Twenty CLI starts: about 25 s on an idle two-core machine, several times that on a loaded one.
  }, 600_000);
});
