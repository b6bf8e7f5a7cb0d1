/** `stockcast charseq`: train the lecture's next-character model on a text, reconstruct it, optionally generate. */
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { DataError } from '../../errors.js';
import { type CharModel, charAccuracy, createCharModel } from '../../seq/char-model.js';
import {
  addWords,
  duration,
  interactive,
  interruptSignal,
  printJson,
  progressBar,
  UsageError,
  type Flags,
} from '../common.js';

type CharseqFlags = Flags<
  | 'cell'
  | 'units'
  | 'layers'
  | 'dropout'
  | 'learningRate'
  | 'optimizer'
  | 'epochs'
  | 'batchSize'
  | 'seed'
  | 'threads'
  | 'engine'
  | 'schedule'
  | 'temperature',
  'text' | 'file' | 'lookback' | 'clipNorm' | 'generate' | 'prime' | 'json'
>;

/** The words the command takes, in the order `--help` lists them. */
const WORDS = [
  'text',
  'file',
  'cell',
  'units',
  'layers',
  'dropout',
  'lookback',
  'epochs',
  'batchSize',
  'learningRate',
  'optimizer',
  'schedule',
  'clipNorm',
  'seed',
  'threads',
  'engine',
  'generate',
  'prime',
  'temperature',
  'json',
] as const;

/** Builds the command. */
export function charseqCommand(): Command {
  const command = new Command('charseq').description(
    "train a character-level RNN on a text (the lecture's hihello / charseq / longseq)",
  );
  addWords(
    command,
    WORDS,
    {
      lookback: 'characters per window (default: 30, or the whole text minus one character for shorter texts)',
    },
    ['lookback'],
  );
  return command.action(runCharseq);
}

/** The command's action: read the text, train, reconstruct, optionally generate, print. */
async function runCharseq(flags: CharseqFlags): Promise<void> {
  const text = await readText(flags);
  const length = Array.from(text).length;
  if (length < 2) throw new UsageError(`the text needs at least 2 characters, received ${length}`);
  const model = await trainModel(flags, text);
  const lookback = model.lookback!;
  const prediction = await model.reconstruct(text);
  const accuracy = charAccuracy(prediction, Array.from(text).slice(1).join(''));
  const loss = model.training!.history.at(-1)!.loss;
  let generated: string | undefined;
  if (flags.generate) {
    const prime = flags.prime ?? Array.from(text).slice(0, lookback).join('');
    generated = await model.generate(prime, flags.generate, { temperature: flags.temperature, seed: flags.seed });
  }
  model.dispose();
  if (accuracy < 90)
    process.stderr.write(
      `note: the model reconstructs only ${accuracy.toFixed(1)}% of the text; train longer (--epochs) or faster (--learning-rate, e.g. 0.01-0.1)\n`,
    );
  const vocabulary = model.vocab!.chars.join('');
  if (flags.json)
    return printJson({
      loss,
      prediction,
      accuracy,
      lookback,
      vocabulary,
      ...(generated !== undefined ? { generated } : {}),
    });
  console.log(`vocabulary (${model.vocab!.size}): ${JSON.stringify(vocabulary)}, windows of ${lookback}`);
  console.log(`final loss ${loss.toFixed(5)}; reconstruction ${accuracy.toFixed(1)}% correct:`);
  console.log(prediction);
  if (generated !== undefined) console.log(`\ngenerated:\n${generated}`);
}

/** The text to learn: `--text` as given, or the contents of `--file` (exactly one of them). */
async function readText(flags: CharseqFlags): Promise<string> {
  if ((flags.text === undefined) === (flags.file === undefined))
    throw new UsageError('give exactly one of --text or --file');
  if (!flags.file) return flags.text ?? '';
  try {
    return await readFile(flags.file, 'utf8');
  } catch (e) {
    throw new DataError(`cannot read file: ${(e as Error).message}`, { file: flags.file });
  }
}

/** Trains a character model on the text with a progress bar (Ctrl-C stops the training). */
async function trainModel(flags: CharseqFlags, text: string): Promise<CharModel> {
  const bar = progressBar(interactive(flags.json), 'training |{bar}| epoch {value}/{total} loss {loss} ETA {eta_text}');
  bar.start(flags.epochs, { loss: '-', eta_text: '-' });
  const model = createCharModel({
    cell: flags.cell,
    units: flags.units,
    layers: flags.layers,
    dropout: flags.dropout,
    ...(flags.lookback !== undefined ? { lookback: flags.lookback } : {}),
    learningRate: flags.learningRate,
    optimizer: flags.optimizer,
    epochs: flags.epochs,
    batchSize: flags.batchSize,
    seed: flags.seed,
    threads: flags.threads,
    engine: flags.engine,
    schedule: flags.schedule,
    ...(flags.clipNorm !== undefined ? { clipNorm: flags.clipNorm } : {}),
    signal: interruptSignal(),
    onEpochEnd: (e) => bar.update(e.epoch, { loss: e.loss.toFixed(4), eta_text: duration(e.etaMs) }),
  });
  try {
    await model.fit(text);
  } finally {
    bar.stop();
  }
  return model;
}
