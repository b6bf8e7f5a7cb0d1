/** `stockcast charseq`: train the lecture's next-character model on a text, reconstruct it, optionally generate. */
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { DataError } from '../../errors.js';
import { CharRNN, charAccuracy } from '../../seq/char-rnn.js';
import { duration, integer, interactive, nonNegative, positiveInt, printJson, progressBar, UsageError } from '../common.js';

interface CharseqFlags {
  text?: string;
  file?: string;
  seqLen?: number;
  cell: 'rnn' | 'lstm' | 'gru';
  hidden?: number;
  layers: number;
  lr: number;
  epochs: number;
  seed: number;
  clipNorm?: number;
  schedule: 'constant' | 'cosine';
  generate?: number;
  prime?: string;
  temperature: number;
  json?: boolean;
}

/** Builds the command. */
export function charseqCommand(): Command {
  return new Command('charseq')
    .description("train a character-level RNN on a text (the lecture's hihello / charseq / longseq)")
    .option('--text <string>', 'the training text')
    .option('--file <path>', 'read the training text from a file')
    .option('--seq-len <n>', 'window length (default: the whole text minus one character for short texts, else 40)', positiveInt)
    .addOption(new Option('--cell <cell>', 'recurrent cell').choices(['rnn', 'lstm', 'gru']).default('rnn'))
    .option('--hidden <n>', 'hidden units (default: the vocabulary size)', positiveInt)
    .option('--layers <n>', 'stacked layers', positiveInt, 1)
    .option('--lr <x>', 'learning rate', nonNegative, 0.1)
    .option('--epochs <n>', 'training iterations', positiveInt, 100)
    .option('--seed <n>', 'seed', integer, 0)
    .option('--clip-norm <x>', 'clip the gradient norm', nonNegative)
    .addOption(new Option('--schedule <kind>', 'learning-rate schedule').choices(['constant', 'cosine']).default('constant'))
    .option('--generate <n>', 'generate this many characters after training', positiveInt)
    .option('--prime <string>', 'text to start generation from (default: the first window)')
    .option('--temperature <t>', 'sampling temperature (0 = most likely)', nonNegative, 1)
    .option('--json', 'print only a JSON document')
    .action(async (flags: CharseqFlags) => {
      if ((flags.text === undefined) === (flags.file === undefined)) throw new UsageError('give exactly one of --text or --file');
      if (flags.lr <= 0) throw new UsageError('--lr must be > 0');
      let text = flags.text ?? '';
      if (flags.file) {
        try {
          text = await readFile(flags.file, 'utf8');
        } catch (e) {
          throw new DataError(`cannot read file: ${(e as Error).message}`, { file: flags.file });
        }
      }
      const length = Array.from(text).length;
      if (length < 2) throw new UsageError(`the text needs at least 2 characters, received ${length}`);
      const seqLength = flags.seqLen ?? (length <= 64 ? length - 1 : 40);
      const bar = progressBar(interactive(flags.json), 'training |{bar}| epoch {value}/{total} loss {loss} ETA {eta_text}');
      bar.start(flags.epochs, { loss: '-', eta_text: '-' });
      const model = new CharRNN({
        cell: flags.cell,
        ...(flags.hidden ? { units: flags.hidden } : {}),
        layers: flags.layers,
        seqLength,
        learningRate: flags.lr,
        epochs: flags.epochs,
        seed: flags.seed,
        schedule: flags.schedule,
        ...(flags.clipNorm ? { clipNorm: flags.clipNorm } : {}),
        onEpochEnd: (e) => bar.update(e.epoch, { loss: e.loss.toFixed(4), eta_text: duration(e.etaMs) }),
      });
      try {
        await model.fit(text);
      } finally {
        bar.stop();
      }
      const prediction = await model.reconstruct(text);
      const accuracy = charAccuracy(prediction, Array.from(text).slice(1).join(''));
      const loss = model.training!.history.at(-1)!.loss;
      let generated: string | undefined;
      if (flags.generate) {
        const prime = flags.prime ?? Array.from(text).slice(0, seqLength).join('');
        generated = await model.generate(prime, flags.generate, { temperature: flags.temperature, seed: flags.seed });
      }
      model.dispose();
      if (flags.json) return printJson({ loss, prediction, accuracy, seqLength, vocabulary: model.vocab!.chars.join(''), ...(generated !== undefined ? { generated } : {}) });
      console.log(`vocabulary (${model.vocab!.size}): ${JSON.stringify(model.vocab!.chars.join(''))}, windows of ${seqLength}`);
      console.log(`final loss ${loss.toFixed(5)}; reconstruction ${accuracy.toFixed(1)}% correct:`);
      console.log(prediction);
      if (generated !== undefined) console.log(`\ngenerated:\n${generated}`);
    });
}
