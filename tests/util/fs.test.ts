import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/index.js';
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

  it('safeFileComponent never yields a path separator, . or ..', () => {
    for (const s of ['../../etc/passwd', '..', '.', '', 'a/b\\c', '^GSPC', 'BRK.B']) {
      const c = safeFileComponent(s);
      expect(c).not.toMatch(/[/\\]/);
      expect(['.', '..', '']).not.toContain(c);
    }
    expect(safeFileComponent('^GSPC')).toBe('^GSPC');
  });
});
