/** `stockcast fetch`: Yahoo Finance -> CSV, through the cache. */
import { Command, Option } from 'commander';
import { formatCsv } from '../../data/csv/csv-write.js';
import { fetchYahoo } from '../../data/yahoo/yahoo.js';
import { atomicWriteFile } from '../../util/fs.js';
import { interruptSignal, printJson, wordOption } from '../common.js';

/** Builds the command. */
export function fetchCommand(): Command {
  return new Command('fetch')
    .description('download price history from Yahoo Finance (network) into a CSV file, through the cache')
    .argument('<symbol>', 'Yahoo ticker, e.g. AAPL, ^GSPC, 036570.KS')
    .addOption(wordOption('from', 'start date (default: all history for daily bars)'))
    .addOption(wordOption('to', 'end date (default: now)'))
    .addOption(wordOption('interval'))
    .addOption(wordOption('adjusted'))
    .addOption(new Option('--no-adjusted', 'keep raw prices, not adjusted for splits and dividends'))
    .addOption(wordOption('cacheDir').default('.stockcast-cache'))
    .addOption(wordOption('out', 'output CSV file (default: stdout)'))
    .addOption(wordOption('json', 'print a JSON summary instead of CSV on stdout'))
    .action(
      async (
        symbol: string,
        flags: {
          from?: string;
          to?: string;
          interval: string;
          adjusted: boolean;
          cacheDir: string;
          out?: string;
          json?: boolean;
        },
      ) => {
        const series = await fetchYahoo(symbol, {
          ...(flags.from ? { from: flags.from } : {}),
          ...(flags.to ? { to: flags.to } : {}),
          interval: flags.interval as never,
          adjusted: flags.adjusted,
          cacheDir: flags.cacheDir,
          signal: interruptSignal(),
        });
        const csv = formatCsv(series);
        if (flags.out) await atomicWriteFile(flags.out, csv);
        const summary = {
          symbol,
          rows: series.length,
          columns: series.columns,
          first: new Date(series.firstTimestamp).toISOString(),
          last: new Date(series.lastTimestamp).toISOString(),
          source: series.meta.source,
          ingest: series.meta.ingest,
          events: series.meta.events,
          out: flags.out ?? null,
        };
        if (flags.json) printJson(summary);
        else if (flags.out)
          console.log(
            `${symbol}: ${series.length} rows ${summary.first.slice(0, 10)} .. ${summary.last.slice(0, 10)} -> ${flags.out}`,
          );
        else process.stdout.write(csv);
      },
    );
}
