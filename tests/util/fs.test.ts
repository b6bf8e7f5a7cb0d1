import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/index.js';
import { readChartCache, writeChartCache, type CachedChart } from '../../src/data/yahoo/yahoo-cache.js';
import { atomicWriteFile, safeFileComponent, writeFaults } from '../../src/util/fs.js';

const dir = mkdtempSync(join(tmpdir(), 'stockcast-fs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => delete writeFaults.at);
const crashBeforeRename = () => {
  writeFaults.at = (step) => {
    if (step === 'before-rename') throw new Error('crash');
  };
};

describe('crash-safe writes', () => {
  it('atomicWriteFile: a write that fails before its rename leaves the old file whole and no temporary file', async () => {
    const path = join(dir, 'a.json');
    await atomicWriteFile(path, '{"old": true}');
    crashBeforeRename();
    await expect(atomicWriteFile(path, '{"new": true}')).rejects.toThrow('crash');
    expect(readFileSync(path, 'utf8')).toBe('{"old": true}');
    expect(readdirSync(dir)).toEqual(['a.json']);
    delete writeFaults.at;
    await atomicWriteFile(path, '{"new": true}');
    expect(readFileSync(path, 'utf8')).toBe('{"new": true}');
  });

  it('reports: an interrupted write keeps the previous report', async () => {
    const path = join(dir, 'report.html');
    writeFileSync(path, '<p>previous</p>');
    crashBeforeRename();
    await expect(writeReport(path, { title: 'x', charts: [], tables: [], details: {} })).rejects.toThrow('crash');
    expect(readFileSync(path, 'utf8')).toBe('<p>previous</p>');
  });

  it('the Yahoo cache: an interrupted write keeps the previous chart readable, with no temporary file left', async () => {
    const cache = join(dir, 'cache');
    const chart = (close: number): CachedChart => ({
      version: 1,
      symbol: 'AAPL',
      interval: '1d',
      gmtoffset: 0,
      timestamps: [1700000000],
      open: [1],
      high: [2],
      low: [0.5],
      close: [close],
      adjclose: [close],
      volume: [10],
      dividends: [],
      splits: [],
    });
    await writeChartCache(cache, 'AAPL_1d.json', chart(1.5));
    crashBeforeRename();
    await expect(writeChartCache(cache, 'AAPL_1d.json', chart(9))).rejects.toThrow('crash');
    expect((await readChartCache(cache, 'AAPL_1d.json'))?.close).toEqual([1.5]);
    expect(readdirSync(cache)).toEqual(['AAPL_1d.json']);
    delete writeFaults.at;
    await writeChartCache(cache, 'AAPL_1d.json', chart(9));
    expect((await readChartCache(cache, 'AAPL_1d.json'))?.close).toEqual([9]);
  });

  it('safeFileComponent never yields a path separator, . or ..', () => {
    for (const s of ['../../etc/passwd', '..', '.', '', 'a/b\\c', '^GSPC', 'BRK.B']) {
      const c = safeFileComponent(s);
      expect(c).not.toMatch(/[/\\]/);
      expect(['.', '..', '']).not.toContain(c);
    }
    expect(safeFileComponent('^GSPC')).toBe('^GSPC');
  });
});
