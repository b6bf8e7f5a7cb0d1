/**
 * The lecture's stock example: a many-to-one RNN reads 5 weeks of (num_search, stock_price) from the NCSoft
 * table and predicts next week's price, printed next to the naive "same as last week" forecast.
 * Run: npx tsx examples/ncsoft-weekly.ts   (STOCKCAST_FAST=1 trains fewer epochs)
 */
import { createForecaster, readCsv } from '../src/index.js';

const fast = process.env.STOCKCAST_FAST === '1';
const series = await readCsv('fixtures/ncsoft-weekly.csv');
const weeks = series.dates();
console.log(
  `NCSoft weekly: ${series.length} weeks, ${weeks[0].toISOString().slice(0, 10)} .. ${weeks[series.length - 1].toISOString().slice(0, 10)}`,
);

// Hold out the last week to see how the model does on a price it has not seen.
const known = series.slice(0, -1);
const model = createForecaster({
  cell: 'rnn',
  units: 8,
  lookback: 5,
  target: 'stock_price',
  features: ['num_search', 'stock_price'],
  epochs: fast ? 60 : 300,
  batchSize: 4,
  learningRate: 0.01,
  seed: 7,
  onEpochEnd: ({ epoch, epochs, loss }) => {
    if (epoch % Math.ceil(epochs / 5) === 0) console.log(`  epoch ${epoch}/${epochs}  loss ${loss.toFixed(5)}`);
  },
});
await model.fit(known);

const held = await model.predict(known);
const actual = series.column('stock_price')[series.length - 1];
const naive = known.column('stock_price')[known.length - 1];
const fmt = (v: number) => Math.round(v).toLocaleString('en-US');
console.log(`\nweek of ${new Date(held.timestamps[0]).toISOString().slice(0, 10)} (held out):`);
console.log(`  RNN forecast  ${fmt(held.values[0])} KRW   (error ${fmt(held.values[0] - actual)})`);
console.log(`  naive (last)  ${fmt(naive)} KRW   (error ${fmt(naive - actual)})`);
console.log(`  actual        ${fmt(actual)} KRW`);

// Then the real next week, after the table ends.
await model.fit(series);
const next = await model.predict(series);
console.log(
  `\nnext week ${new Date(next.timestamps[0]).toISOString().slice(0, 10)}: RNN ${fmt(next.values[0])} KRW, naive ${fmt(series.column('stock_price')[series.length - 1])} KRW`,
);
model.dispose();
