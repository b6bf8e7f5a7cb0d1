/**
 * danfojs-node interop: a Series to a DataFrame, pandas-style work there, and back to a Series.
 * Needs the optional peer dependency danfojs-node. Run: npx tsx examples/danfojs-interop.ts
 */
import type { DataFrame } from 'danfojs-node';
import { fromDataFrame, readCsv, toDataFrame } from '../src/index.js';

const ncsoft = await readCsv('fixtures/ncsoft-weekly.csv');
const df = await toDataFrame<DataFrame>(ncsoft);
console.log(`DataFrame ${df.shape[0]} x ${df.shape[1]}: ${df.columns.join(', ')}`);
df.head(3).print();

// Derive a column in danfojs: the price in thousands of won.
const thousands = df.column('stock_price').div(1000);
df.addColumn('price_k', thousands, { inplace: true });
const back = fromDataFrame(df, { columns: ['num_search', 'price_k'] });
console.log(
  `back to a Series: ${back.length} ${back.meta.frequency} rows, columns ${back.columns.join(', ')}; first price_k ${back.column('price_k')[0]}`,
);
