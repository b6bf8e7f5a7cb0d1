/**
 * Fetch live prices from Yahoo Finance and forecast the next 5 trading days.
 * Needs network access to Yahoo; offline it says so and exits cleanly (exit code 0).
 * Run: npx tsx examples/yahoo-forecast.ts [SYMBOL]
 */
import { createForecaster, fetchYahoo, MarketDataError } from '../src/index.js';

const symbol = process.argv[2] ?? '^GSPC';
const from = new Date(Date.now() - 5 * 365 * 86_400_000);
let series: Awaited<ReturnType<typeof fetchYahoo>>;
try {
  series = await fetchYahoo(symbol, { from, cacheDir: '.stockcast-cache', retries: 1, timeoutMs: 10_000 });
} catch (e) {
  if (e instanceof MarketDataError) {
    console.log(
      `could not reach Yahoo Finance for ${symbol} (${e.message}); this example needs network access. Try the offline demo: npm run demo`,
    );
    process.exit(0);
  }
  throw e;
}
console.log(
  `${symbol}: ${series.length} daily rows to ${series.dates()[series.length - 1].toISOString().slice(0, 10)}`,
);
const model = createForecaster({
  cell: 'lstm',
  units: 32,
  lookback: 30,
  horizon: 5,
  target: 'close',
  epochs: 20,
  seed: 1,
});
await model.fit(series.slice(-1000));
const f = await model.predict(series);
f.timestamps.forEach((t, i) => console.log(`${new Date(t).toISOString().slice(0, 10)}  ${f.values[i].toFixed(2)}`));
model.dispose();
