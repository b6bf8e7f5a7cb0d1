import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCharModel,
  createForecaster,
  createGlobalForecaster,
  loadCharModel,
  loadForecaster,
  loadGlobalForecaster,
  NotFittedError,
  parseCsv,
  PersistenceError,
  readPanelCsv,
  type RecurrentForecaster,
  type Series,
} from '../../../src/index.js';

// Models as bytes: a tar archive of the files of a model directory, so the two forms convert with `tar`.
const dir = mkdtempSync(join(tmpdir(), 'stockcast-bytes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows = ['date,close'];
for (let i = 0; i < 120; i++)
  rows.push(
    `${new Date(Date.UTC(2022, 0, 3) + i * 864e5).toISOString().slice(0, 10)},${(50 + 5 * Math.sin(i / 5) + i / 20).toFixed(3)}`,
  );
let s: Series;
let model: RecurrentForecaster;
let expected: number[];
beforeAll(async () => {
  s = parseCsv(rows.join('\n'));
  model = await createForecaster({
    cell: 'gru',
    units: 8,
    lookback: 10,
    horizon: 2,
    epochs: 3,
    seed: 3,
    coverage: 0.8,
  }).fit(s);
  expected = Array.from((await model.predict(s)).values);
});

describe('toBytes / loadForecaster(bytes)', () => {
  it('round-trips through bytes, an ArrayBuffer and a Blob with identical predictions and interval', async () => {
    const bytes = await model.toBytes();
    expect(bytes).toBeInstanceOf(Uint8Array);
    for (const source of [bytes, bytes.slice().buffer, new Blob([bytes])]) {
      const copy = await loadForecaster(source);
      const f = await copy.predict(s);
      expect(Array.from(f.values)).toEqual(expected);
      expect(copy.predictionInterval?.coverage).toBe(0.8);
      copy.dispose();
    }
  });

  it('is a tar of model.json and its weights file: tar -x gives a model directory, tar -c of a directory loads as bytes', async () => {
    const bytes = await model.toBytes();
    writeFileSync(join(dir, 'model.tar'), bytes);
    const out = join(dir, 'extracted');
    mkdirSync(out);
    expect(
      execFileSync('tar', ['-tf', join(dir, 'model.tar')], { encoding: 'utf8' })
        .trim()
        .split('\n'),
    ).toEqual(['model.json', expect.stringMatching(/^weights-[0-9a-f]{8}-[0-9a-f]{8}\.bin$/)]);
    execFileSync('tar', ['-xf', join(dir, 'model.tar'), '-C', out]);
    const fromDir = await loadForecaster(out);
    expect(Array.from((await fromDir.predict(s)).values)).toEqual(expected);
    fromDir.dispose();

    const saved = join(dir, 'saved');
    await model.save(saved);
    const packed = execFileSync('tar', ['-cf', '-', '-C', dir, 'saved']);
    const fromTar = await loadForecaster(new Uint8Array(packed));
    expect(Array.from((await fromTar.predict(s)).values)).toEqual(expected);
    fromTar.dispose();
  });

  it('names the weights file by its content: the same model, the same name', async () => {
    const a = members(await model.toBytes());
    expect(a.map((m) => m.name)).toEqual([
      'model.json',
      expect.stringMatching(/^weights-[0-9a-f]{8}-[0-9a-f]{8}\.bin$/),
    ]);
    expect(members(await model.toBytes())[1].name).toBe(a[1].name);
    const other = await createForecaster({ cell: 'gru', units: 8, lookback: 10, horizon: 2, epochs: 3, seed: 4 }).fit(
      s,
    );
    expect(members(await other.toBytes())[1].name).not.toBe(a[1].name);
    other.dispose();
  });

  it('rejects what is not a saved forecaster with a PersistenceError naming the member', async () => {
    const bytes = await model.toBytes();
    await expect(loadForecaster(new TextEncoder().encode('date,close\n2020-01-01,1\n'))).rejects.toThrow(
      /^model bytes\/model\.json: missing: not a saved stockcast model/,
    );
    const [json, weights] = members(bytes);
    const corrupt = bytes.slice();
    corrupt[weights.offset + 5] ^= 0xff;
    await expect(loadForecaster(corrupt)).rejects.toThrow(PersistenceError);
    await expect(loadForecaster(corrupt)).rejects.toThrow(
      /model bytes\/weights-[0-9a-f-]+\.bin: corrupt: its SHA-256 differs/,
    );
    expect(JSON.parse(new TextDecoder().decode(bytes.subarray(json.offset, json.offset + json.size))).kind).toBe(
      'forecaster',
    );
    await expect(loadForecaster(new Blob([]))).rejects.toThrow(
      /missing: not a saved stockcast model \(the archive holds no files\)/,
    );
    await expect(loadForecaster(42 as unknown as Uint8Array)).rejects.toThrow(
      /expected an ArrayBuffer, a Uint8Array or a Blob, received \[object Number\]/,
    );
  });

  it('global forecasters and character models round-trip through bytes too; the kinds are checked', async () => {
    const stocks = await readPanelCsv('fixtures/stocks.csv');
    const global = await createGlobalForecaster({ cell: 'gru', units: 6, lookback: 6, epochs: 2, seed: 1 }).fit(stocks);
    const gBytes = await global.toBytes();
    const gCopy = await loadGlobalForecaster(new Blob([gBytes]));
    const [a, b] = [await global.predict(stocks), await gCopy.predict(stocks)];
    const values = (r: Record<string, { values: Float64Array }>) =>
      Object.entries(r).map(([k, f]) => [k, Array.from(f.values)]);
    expect(values(b)).toEqual(values(a));
    expect(Object.keys(a)).toEqual(stocks.symbols);
    await expect(loadForecaster(gBytes)).rejects.toThrow(
      /^model bytes\/model\.json: holds a global-forecaster, not a forecaster/,
    );
    global.dispose();
    gCopy.dispose();

    const chars = await createCharModel({ cell: 'rnn', learningRate: 0.1, epochs: 30, seed: 2 }).fit(
      ' if you want you',
    );
    const cCopy = await loadCharModel(await chars.toBytes());
    expect(await cCopy.predict(' if you want yo')).toBe(await chars.predict(' if you want yo'));
    chars.dispose();
    cCopy.dispose();
  });

  it('throws NotFittedError before fit', async () => {
    await expect(createForecaster({}).toBytes()).rejects.toThrow(NotFittedError);
    await expect(createForecaster({}).toBytes()).rejects.toThrow(/toBytes/);
  });
});

/** The members of a ustar archive: name, data offset and size (read here by hand, independently of the library that writes it). */
function members(bytes: Uint8Array): { name: string; offset: number; size: number }[] {
  const text = (at: number, n: number) => new TextDecoder().decode(bytes.subarray(at, at + n)).replace(/\0.*$/s, '');
  const out = [];
  for (let at = 0; at + 512 <= bytes.length && bytes[at] !== 0; ) {
    const size = Number.parseInt(text(at + 124, 12).trim(), 8);
    out.push({ name: text(at, 100), offset: at + 512, size });
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}
