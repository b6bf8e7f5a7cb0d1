/**
 * The lecture's first character model: one-hot over h, i, e, l, o; input "hihell", target "ihello";
 * hidden size 5 (= input size), Adam lr 0.1, 100 iterations, printing loss and prediction each iteration.
 * Run: npx tsx examples/hihello.ts
 */
import { CharVocab, createCharModel } from '../src/index.js';

const vocab = CharVocab.fromChars(['h', 'i', 'e', 'l', 'o']);
const model = createCharModel({
  vocab,
  cell: 'rnn',
  units: 5,
  learningRate: 0.1,
  epochs: 100,
  seed: 0,
  onEpochEnd: async ({ epoch, loss }) => {
    const prediction = await model.predict('hihell');
    console.log(
      `${epoch} loss: ${loss.toFixed(4)} prediction: ${JSON.stringify(Array.from(vocab.encode(prediction)))} true Y: [1, 0, 2, 3, 3, 4] prediction str: ${prediction}`,
    );
  },
});
await model.fit('hihello');
console.log(`final prediction: ${await model.predict('hihell')}`);
model.dispose();
