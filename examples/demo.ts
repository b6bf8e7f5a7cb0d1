/** The offline demo: reads the bundled S&P 500 file and prints what stockcast sees in it. */
import { readCsv } from '../src/index.js';

const sp = await readCsv('fixtures/sp500-2000.csv', { symbol: '^GSPC' });
const close = sp.column('close');
console.log(`${sp.meta.symbol}: ${sp.length} ${sp.meta.frequency} rows, ${sp.dates()[0].toISOString().slice(0, 10)} to ${sp.dates()[sp.length - 1].toISOString().slice(0, 10)}`);
console.log(`columns: ${sp.columns.join(', ')}`);
console.log(`close: first ${close[0].toFixed(2)}, last ${close[close.length - 1].toFixed(2)}, min ${Math.min(...close).toFixed(2)}, max ${Math.max(...close).toFixed(2)}`);
