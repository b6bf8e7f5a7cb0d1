/**
 * Writes docs/glossary.md from the SDK's vocabulary (src/vocabulary.ts) and the CLI's flags: one table of every
 * idea with its meaning, default, API option and CLI flag. Run: npx tsx scripts/glossary.ts
 * (tests/vocabulary.test.ts fails when the committed glossary differs from what this prints).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createProgram } from '../src/cli/program.js';
import { listModels } from '../src/models/registry.js';
import { vocabulary, type Word, type WordGroup } from '../src/vocabulary.js';

const GROUPS: Record<WordGroup, string> = {
  model: 'The network',
  training: 'Training',
  data: 'Data',
  backtest: 'Windows, splits and backtests',
  sweep: 'Sweeps and distributed runs',
  output: 'Output and the command line',
};

function defaultOf(w: Word): string {
  if (w.defaultText) return w.defaultText;
  if (w.default === undefined) return '(required where used)';
  return Array.isArray(w.default) ? `\`${w.default.join(',')}\`` : `\`${String(w.default)}\``;
}

/** The glossary as Markdown. */
export function renderGlossary(): string {
  const commands = new Map<string, string[]>();
  for (const cmd of createProgram().commands) {
    for (const o of cmd.options)
      if (o.long && !o.hidden) commands.set(o.long, [...(commands.get(o.long) ?? []), cmd.name()]);
  }
  const lines = [
    '# Glossary',
    '',
    'One word per idea: the same option name and default in every options object, and its kebab case as the flag',
    'on every `stockcast` subcommand that has the idea. Generated from `src/vocabulary.ts` by `npx tsx scripts/glossary.ts`;',
    'a test fails when an options schema or a CLI flag drifts from it.',
    '',
  ];
  for (const [group, title] of Object.entries(GROUPS)) {
    lines.push(
      `## ${title}`,
      '',
      '| word | meaning | default | API option | CLI flag | values |',
      '|---|---|---|---|---|---|',
    );
    for (const w of Object.values(vocabulary) as Word[]) {
      if (w.group !== group) continue;
      const flag = w.flag ? `\`${w.flag}\`${commands.has(w.flag) ? ` (${commands.get(w.flag)!.join(', ')})` : ''}` : '';
      const extra = [
        ...(w.alias ? [`alias \`${w.alias}\``] : []),
        ...w.deprecated.map((d) => `deprecated: \`${d.option ?? d.flag}\``),
      ];
      lines.push(
        `| ${w.option ?? w.flag!.slice(2)} | ${w.meaning.replace(/\|/g, '\\|')}${extra.length ? ` (${extra.join('; ')})` : ''} | ${defaultOf(w)} | ${w.option ? `\`${w.option}\`` : ''} | ${flag} | ${w.expects} |`,
      );
    }
    lines.push('');
  }
  lines.push(
    '## Models',
    '',
    'The registered models, as `--models` and the model specs of `walkForward`, `compareModels` and `sweep` name them',
    '(read from the registry: users add their own with `registerModel`). `name:N` sets the parameter; `learned+base`',
    'puts a learned model on a base one.',
    '',
    '| spec | meaning | learned | takes forecaster options |',
    '|---|---|---|---|',
  );
  for (const m of listModels().filter((x) => x.builtin)) {
    lines.push(
      `| \`${m.parameter ? `${m.name}:${m.parameter.toUpperCase()}` : m.name}\` | ${m.description ?? ''} | ${m.learned ? 'yes' : 'no'} | ${m.forecaster ? 'yes' : 'no'} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../docs/glossary.md', import.meta.url), renderGlossary());
  console.log('wrote docs/glossary.md');
}
