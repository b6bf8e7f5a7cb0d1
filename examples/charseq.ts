/**
 * The lecture's charseq: learn " if you want you" character by character (vocabulary = its sorted characters).
 * Run: npx tsx examples/charseq.ts
 */
import { CharVocab, createCharModel } from '../src/index.js';

const sample = ' if you want you';
const model = createCharModel({
  cell: 'rnn',
  units: CharVocab.fromText(sample).size,
  learningRate: 0.1,
  epochs: 100,
  seed: 0,
  onEpochEnd: async ({ epoch, loss }) => {
    if (epoch % 10 === 0)
      console.log(
        `${epoch} loss: ${loss.toFixed(4)} prediction str: ${JSON.stringify(await model.predict(sample.slice(0, -1)))}`,
      );
  },
});
await model.fit(sample);
console.log(`vocabulary: ${JSON.stringify(model.vocab!.chars.join(''))}`);
console.log(`final prediction: ${JSON.stringify(await model.predict(sample.slice(0, -1)))}`);
model.dispose();
