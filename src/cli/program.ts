/** The `stockcast` program: every subcommand with its flags, built once for the CLI and for the tests that read its flags. */
import { Command } from 'commander';
import { backtestCommand } from './commands/backtest.js';
import { charseqCommand } from './commands/charseq.js';
import { fetchCommand } from './commands/fetch.js';
import { forecastCommand } from './commands/forecast.js';
import { infoCommand } from './commands/info.js';
import { sweepCommand } from './commands/sweep.js';
import { workerCommand } from './commands/worker.js';
import { wordOption } from './common.js';

/** Builds the program (no parsing, no side effects). */
export function createProgram(): Command {
  const program = new Command('stockcast')
    .description('forecast stock prices with recurrent neural networks')
    .addOption(wordOption('verbose'))
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`${text.split('\n')[0]}\n`) });
  for (const make of [
    fetchCommand,
    forecastCommand,
    backtestCommand,
    sweepCommand,
    workerCommand,
    charseqCommand,
    infoCommand,
  ])
    program.addCommand(make().addOption(wordOption('verbose')).exitOverride());
  return program;
}
