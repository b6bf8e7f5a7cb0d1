/**
 * Train once, save, load elsewhere: the loaded forecaster predicts exactly what the trained one did.
 * Run: npx tsx examples/save-load.ts
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForecaster, loadForecaster, readCsv } from '../src/index.js';

const sp = (await readCsv('fixtures/sp500-2000.csv')).slice(-500);
const model = createForecaster({
  cell: 'gru',
  units: 16,
  lookback: 20,
  horizon: 3,
  target: 'close',
  epochs: process.env.STOCKCAST_FAST === '1' ? 2 : 15,
  seed: 11,
});
await model.fit(sp);
const dir = join(mkdtempSync(join(tmpdir(), 'stockcast-example-')), 'sp500-gru');
await model.save(dir);
console.log(`saved to ${dir}: ${readdirSync(dir).sort().join(', ')}`);

const loaded = await loadForecaster(dir);
const [a, b] = [await model.predict(sp), await loaded.predict(sp)];
console.log(`trained: ${Array.from(a.values, (v) => v.toFixed(4)).join(', ')}`);
console.log(`loaded:  ${Array.from(b.values, (v) => v.toFixed(4)).join(', ')}`);
console.log(`identical: ${a.values.every((v, i) => v === b.values[i])}`);
console.log(
  `trained on ${loaded.signature?.rows} ${loaded.signature?.frequency} rows up to ${new Date(loaded.signature!.lastTimestamp).toISOString().slice(0, 10)}`,
);
model.dispose();
loaded.dispose();
rmSync(dir, { recursive: true, force: true });
