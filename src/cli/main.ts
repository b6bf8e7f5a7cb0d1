#!/usr/bin/env node
/** The `stockcast` command line: a thin front end over the public API. Exit codes: 0 ok, 1 runtime failure, 2 usage error, 130 interrupted. */
import '../node-runtime.js';
import { CommanderError } from 'commander';
import { StockcastError, ValidationError } from '../errors.js';
import { UsageError } from './common.js';
import { createProgram } from './program.js';

const program = createProgram();

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const verbose = process.argv.includes('--verbose');
  if (process.exitCode === 130) {
    // Ctrl-C: the interrupt handler already said so; keep its exit code.
  } else if (e instanceof CommanderError) {
    // Help and version exit 0; everything else commander reports is a usage error.
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (e instanceof UsageError || e instanceof ValidationError) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    const message =
      e instanceof StockcastError ? `${e.name}: ${e.message}` : `error: ${(e as Error)?.message ?? String(e)}`;
    process.stderr.write(`${message.split('\n')[0]}\n`);
    if (verbose && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exitCode = 1;
  }
}
