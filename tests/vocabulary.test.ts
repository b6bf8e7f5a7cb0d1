import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import * as api from '../src/index.js';
import { createProgram } from '../src/cli/program.js';
import { kebabFlag, vocabulary, type Word } from '../src/vocabulary.js';
import { retiredSpellings } from '../src/vocabulary.js';
import { renderGlossary } from '../scripts/glossary.js';

const words = Object.values(vocabulary) as Word[];
const byOption = new Map(words.filter((w) => w.option).map((w) => [w.option!, w]));
const byFlag = new Map(words.filter((w) => w.flag).map((w) => [w.flag!, w]));

/** The object shape under refinements, transforms and pipes. */
function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let cur: unknown = schema;
  for (let i = 0; i < 10 && cur; i++) {
    if (cur instanceof z.ZodObject) return cur.shape as Record<string, z.ZodType>;
    const def = (cur as { _zod: { def: { in?: unknown; innerType?: unknown; schema?: unknown } } })._zod.def;
    cur = def.in ?? def.innerType ?? def.schema;
  }
  return undefined;
}

/** A field's default, if it declares one. */
function defaultOf(field: z.ZodType): { has: boolean; value?: unknown } {
  const def = (field as unknown as { _zod: { def: { type: string; defaultValue?: unknown } } })._zod.def;
  if (def.type !== 'default') return { has: false };
  return {
    has: true,
    value: typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue,
  };
}

const schemas = Object.entries(api).filter(
  ([name, value]) => name.endsWith('Schema') && value instanceof z.ZodType && shapeOf(value as z.ZodType),
) as Array<[string, z.ZodType]>;
const subcommands = (): readonly Command[] => createProgram().commands;

describe('one word per idea', () => {
  it('finds the public option schemas', () => {
    expect(schemas.map(([n]) => n)).toEqual(
      expect.arrayContaining([
        'ForecasterOptionsSchema',
        'CharModelOptionsSchema',
        'TorchImportOptionsSchema',
        'WalkForwardOptionsSchema',
        'CsvOptionsSchema',
        'YahooOptionsSchema',
        'BrowserAssetsSchema',
        'IndexedDBOptionsSchema',
      ]),
    );
  });

  it.each(schemas)('%s: every option is a vocabulary word, with its one default', (_, schema) => {
    const shape = shapeOf(schema)!;
    for (const [key, field] of Object.entries(shape)) {
      const alias = words.find((w) => w.alias === key || w.deprecated.some((d) => d.option === key));
      const word = byOption.get(key) ?? alias;
      expect(word, `option "${key}" is not in src/vocabulary.ts`).toBeDefined();
      expect(retiredSpellings[key], `"${key}" is a retired spelling`).toBeUndefined();
      const d = defaultOf(field);
      if (d.has && !alias) expect(d.value, `default of "${key}"`).toEqual(word!.default);
      // Optional because an alias may give it instead (PyTorch's spelling): the schema resolves it.
      const optional = field.safeParse(undefined).success && !(word!.alias !== undefined && word!.alias in shape);
      if (!d.has && optional && word!.default !== undefined && !alias)
        expect(
          word!.defaultText ?? '',
          `"${key}" is optional without a default, but the vocabulary says ${JSON.stringify(word!.default)}`,
        ).not.toBe('');
    }
  });

  it('every CLI flag is a vocabulary word: kebab case of the option, the same default', () => {
    for (const cmd of [createProgram(), ...subcommands()]) {
      for (const option of cmd.options) {
        if (option.hidden) continue;
        const flag = option.negate ? option.long!.replace(/^--no-/, '--') : option.long!;
        const word = byFlag.get(flag);
        expect(word, `${cmd.name()} ${option.long} is not in src/vocabulary.ts`).toBeDefined();
        if (word!.option) expect(flag).toBe(kebabFlag(word!.option));
        expect(retiredSpellings[option.attributeName()], `${cmd.name()} ${option.long}`).toBeUndefined();
        if (option.defaultValue !== undefined && !option.negate)
          expect(option.defaultValue, `${cmd.name()} ${option.long} default`).toEqual(
            word!.default ?? (flag === '--cache-dir' ? '.stockcast-cache' : undefined),
          );
      }
    }
  });

  it('one idea is one word: no two words share a flag or an option, no retired spelling is a word', () => {
    const options = words.flatMap((w) => (w.option ? [w.option] : []));
    const flags = words.flatMap((w) => (w.flag ? [w.flag] : []));
    expect(new Set(options).size).toBe(options.length);
    expect(new Set(flags).size).toBe(flags.length);
    for (const retired of Object.keys(retiredSpellings)) expect(byOption.has(retired)).toBe(false);
  });

  it('the same idea has the same default in the API, in backtests and on the CLI', () => {
    const forecaster = api.createForecaster({}).options;
    const charModel = api.createCharModel().options;
    for (const key of ['cell', 'units', 'layers', 'epochs', 'batchSize', 'learningRate', 'seed', 'lookback'] as const) {
      expect(forecaster[key], key).toEqual(vocabulary[key].default);
      if (key !== 'lookback') expect(charModel[key], key).toEqual(vocabulary[key].default);
      for (const name of ['forecast', 'backtest', 'charseq']) {
        const option = subcommands()
          .find((c) => c.name() === name)!
          .options.find((o) => o.attributeName() === key);
        if (option && !(name === 'charseq' && key === 'lookback'))
          expect(option.defaultValue, `${name} --${key}`).toEqual(vocabulary[key].default);
      }
    }
  });

  it('docs/glossary.md is the vocabulary as it stands (regenerate: npx tsx scripts/glossary.ts)', () => {
    expect(readFileSync('docs/glossary.md', 'utf8')).toBe(renderGlossary());
  });
});

describe('old spellings for one release', () => {
  it('the forecaster option `interval` (coverage) still works, with a one-line notice on stderr, once', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const a = api.createForecaster({ validation: 0.2, interval: 0.8 });
      const b = api.createForecaster({ validation: 0.2, interval: 0.9 });
      expect(a.options.coverage).toBe(0.8);
      expect(b.options.coverage).toBe(0.9);
      expect('interval' in a.options).toBe(false);
      expect(write.mock.calls.map((c) => String(c[0]))).toEqual([
        'stockcast: the forecaster option `interval` (coverage) is deprecated and will be removed in the next release; use `coverage`\n',
      ]);
    } finally {
      write.mockRestore();
    }
  });

  it('PyTorch spellings are aliases of the import options, and contradictions are refused', () => {
    const parsed = api.TorchImportOptionsSchema.parse({ cell: 'gru', input_size: 3, hidden_size: 8, num_layers: 2 });
    expect(parsed).toEqual({ cell: 'gru', inputSize: 3, units: 8, layers: 2, engine: 'auto' });
    expect(api.TorchImportOptionsSchema.parse({ cell: 'rnn', inputSize: 1, units: 4 }).layers).toBe(1);
    expect(() => api.TorchImportOptionsSchema.parse({ cell: 'rnn', inputSize: 1, units: 4, hidden_size: 5 })).toThrow(
      /hidden_size = 5 contradicts units = 4/,
    );
    expect(() => api.TorchImportOptionsSchema.parse({ cell: 'rnn', inputSize: 1 })).toThrow(
      /units.*required \(PyTorch's hidden_size\)/s,
    );
  });
});
