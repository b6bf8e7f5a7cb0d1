import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError, parseCsv, readCsv, readPanelCsv } from '../../../src/index.js';

// CSV from a Blob, a File and a ReadableStream reads exactly as from the file, in Node as in browsers.
const text = readFileSync('fixtures/ncsoft-weekly.csv', 'utf8');

describe('readCsv / readPanelCsv from Blobs and streams', () => {
  it('a Blob, a File and a byte stream split inside a multi-byte character give the Series of the file', async () => {
    const fromFile = await readCsv('fixtures/ncsoft-weekly.csv');
    const bytes = new TextEncoder().encode(text.replace('num_search', 'num_séarch'));
    const expected = parseCsv(new TextDecoder().decode(bytes));
    expect((await readCsv(new Blob([text]))).toRows()).toEqual(fromFile.toRows());
    expect((await readCsv(new File([text], 'ncsoft.csv'))).meta.source).toBe('ncsoft.csv');
    const at = bytes.indexOf(0xc3) + 1; // between the two bytes of é
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.subarray(0, at));
        c.enqueue(bytes.subarray(at));
        c.close();
      },
    });
    const s = await readCsv(stream);
    expect(s.columns).toEqual(['num_séarch', 'stock_price']);
    expect(s.toRows()).toEqual(expected.toRows());
  });

  it('errors name the File like a file path', async () => {
    const bad = new File(['date,close\n2021-01-01,1\n2021-01-02,x\n'], 'prices.csv');
    await expect(readCsv(bad)).rejects.toThrow(/^prices\.csv:3:2 column "close": expected a number, received "x"/);
    await expect(readCsv(42 as never)).rejects.toThrow(DataError);
    await expect(readCsv(42 as never)).rejects.toThrow(
      /expected a file path, a File or Blob, or a ReadableStream, received \[object Number\]/,
    );
  });

  it('readPanelCsv reads a Blob like the file', async () => {
    const fromFile = await readPanelCsv('fixtures/stocks.csv');
    const fromBlob = await readPanelCsv(new Blob([readFileSync('fixtures/stocks.csv')]));
    expect(fromBlob.symbols).toEqual(fromFile.symbols);
    expect(fromBlob.get('AAPL').toRows()).toEqual(fromFile.get('AAPL').toRows());
  });
});
