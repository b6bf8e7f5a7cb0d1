import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CharVocab, charAccuracy, createCharModel, loadCharModel, NotFittedError } from '../../src/index.js';
import { expectNoLeakedTensors } from '../helpers/tensors.js';

const SENTENCE =
  "if you want to build a ship, don't drum up people together to collect wood and don't assign them tasks and work, but rather teach them to long for the endless immensity of the sea.";

describe("the lecture's experiments", () => {
  it.each(['fused', 'tfjs'] as const)(
    'hihello on %s: hidden 5, Adam 0.1, 100 iterations -> exactly "ihello", no leaked tensors',
    async (engine) => {
      await expectNoLeakedTensors(async () => {
        const model = createCharModel({
          vocab: CharVocab.fromChars(['h', 'i', 'e', 'l', 'o']),
          cell: 'rnn',
          units: 5,
          learningRate: 0.1,
          epochs: 100,
          seed: 0,
          engine,
        });
        await model.fit('hihello');
        expect(await model.predict('hihell')).toBe('ihello');
        expect(model.training!.history).toHaveLength(100);
        model.dispose();
      });
    },
  );

  it('charseq: " if you want you" -> "if you want you"', async () => {
    const model = createCharModel({
      cell: 'rnn',
      units: CharVocab.fromText(' if you want you').size,
      learningRate: 0.1,
      epochs: 100,
      seed: 0,
    });
    await model.fit(' if you want you');
    expect(await model.predict(' if you want yo')).toBe('if you want you');
    model.dispose();
  });

  it('longseq: median over seeds 0-4 of reconstructed characters correct is at least 95%', async () => {
    const scores: number[] = [];
    for (const seed of [0, 1, 2, 3, 4]) {
      const model = createCharModel({
        cell: 'rnn',
        units: CharVocab.fromText(SENTENCE).size,
        lookback: 10,
        layers: 2,
        batchSize: 1000,
        learningRate: 0.05,
        schedule: 'cosine',
        clipNorm: 5,
        epochs: 300,
        seed,
      });
      await model.fit(SENTENCE);
      const reconstructed = await model.reconstruct(SENTENCE);
      expect(reconstructed.length).toBe(SENTENCE.length - 1);
      scores.push(charAccuracy(reconstructed, SENTENCE.slice(1)));
      model.dispose();
    }
    scores.sort((a, b) => a - b);
    expect(scores[2]).toBeGreaterThanOrEqual(95);
  });
});

describe('createCharModel', () => {
  it('is deterministic per seed; generates reproducibly; saves and loads', async () => {
    const fit = async () =>
      createCharModel({ cell: 'gru', units: 12, lookback: 8, epochs: 30, learningRate: 0.05, seed: 3 }).fit(SENTENCE);
    const [a, b] = [await fit(), await fit()];
    expect(a.training!.history).toEqual(b.training!.history);
    const g1 = await a.generate('if you ', 20, { temperature: 0.8, seed: 1 });
    expect(g1).toHaveLength(20);
    expect(await a.generate('if you ', 20, { temperature: 0.8, seed: 1 })).toBe(g1);
    expect(await a.generate('if you ', 5, { temperature: 0 })).toBe(await b.generate('if you ', 5, { temperature: 0 }));
    const dir = mkdtempSync(join(tmpdir(), 'stockcast-char-'));
    try {
      await a.save(join(dir, 'm'));
      const loaded = await loadCharModel(join(dir, 'm'));
      expect(await loaded.reconstruct(SENTENCE.slice(0, 40))).toBe(await a.reconstruct(SENTENCE.slice(0, 40)));
      expect(loaded.vocab!.chars).toEqual(a.vocab!.chars);
      loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    a.dispose();
    b.dispose();
  });

  it('explains misuse', async () => {
    await expect(createCharModel().predict('abc')).rejects.toThrow(NotFittedError);
    const m = await createCharModel({ epochs: 1 }).fit('abcabc');
    await expect(m.predict('abz')).rejects.toThrow(/character "z" at position 2 is not in the vocabulary/);
    await expect(m.generate('', 3)).rejects.toThrow(/non-empty prime/);
    expect(() => createCharModel({ units: -1 })).toThrow(/units/);
    expect(createCharModel().options).toMatchObject({
      cell: 'lstm',
      units: 32,
      epochs: 50,
      batchSize: 32,
      learningRate: 0.001,
      seed: 42,
    });
    m.dispose();
  });
});
