/**
 * `--realized` on the command line: intraday bars become the daily realized measures (`realizedMeasures`) and the
 * chosen measure becomes the target, with the session flags that decide the days.
 */
import type { Command } from 'commander';
import type { Panel } from '../data/panel.js';
import type { Series } from '../data/series.js';
import { realizedMeasures } from '../prep/realized.js';
import { kebabFlag, type WordName } from '../vocabulary.js';
import { addWords, pickTarget, UsageError, type Flags } from './common.js';

/** The flags of realized measures: the measure, and how bars make days. */
export const REALIZED_WORDS = [
  'realized',
  'session',
  'cutoff',
  'timezone',
  'stamp',
  'minBars',
  'overnight',
] as const satisfies readonly WordName[];

/** Words that only make sense with `--realized` (the calendar has other uses). */
const DAY_WORDS: WordName[] = ['session', 'cutoff', 'timezone', 'stamp', 'minBars', 'overnight'];

/** What the realized flags give, with the target flags and the calendar they read (no defaults: unset is unset). */
export type RealizedFlags = Flags<never, (typeof REALIZED_WORDS)[number] | 'calendar' | 'target' | 'targetTransform'>;

/** Adds the realized-measure flags (no defaults on the command line: the API fills them, and unset means unset). */
export function addRealizedWords(command: Command): Command {
  return addWords(
    command,
    REALIZED_WORDS,
    {
      realized:
        'read intraday bars and forecast this daily realized measure (rv: the daily variance of decimal log ' +
        'returns, not annualized; see --target-transform rv:K for an annualized volatility in percent)',
      minBars: '--realized: drop days with fewer intraday bars than this (partial sessions)',
    },
    REALIZED_WORDS,
  );
}

/** Refuses day flags given without `--realized`, and `--realized` beside a target transform. */
export function checkRealizedFlags(flags: RealizedFlags, cmd: Command): void {
  if (flags.realized === undefined) {
    const given = DAY_WORDS.filter((w) => cmd.getOptionValueSource(w) === 'cli').map(kebabFlag);
    if (given.length > 0) throw new UsageError(`${given.join(', ')}: only with --realized (intraday bars to days)`);
    return;
  }
  if (flags.targetTransform !== undefined) {
    throw new UsageError(
      '--realized and --target-transform both make the target: --realized rv reads intraday bars, ' +
        '--target-transform rv:K daily prices; give one',
    );
  }
}

/**
 * The daily realized measures of intraday bars and the measure forecast, or the series as it is without
 * `--realized`. `--target` names the bars' price column (default: close, else the only column).
 */
export function realizedSource(series: Series, flags: RealizedFlags): { series: Series; target: string } {
  if (flags.realized === undefined) return { series, target: pickTarget(series, flags.target) };
  const price = pickTarget(series, flags.target);
  const days = realizedMeasures(series, {
    target: price,
    ...(flags.session ? { session: flags.session } : {}),
    ...(flags.calendar ? { calendar: flags.calendar } : {}),
    ...(flags.cutoff ? { cutoff: flags.cutoff } : {}),
    ...(flags.timezone ? { timezone: flags.timezone } : {}),
    ...(flags.stamp ? { stamp: flags.stamp } : {}),
    ...(flags.minBars !== undefined ? { minBars: flags.minBars } : {}),
    ...(flags.overnight ? { overnight: flags.overnight } : {}),
  });
  return { series: days, target: flags.realized };
}

/** Each symbol's intraday bars as its daily realized measures; `price` names the bars' price column (else close). */
export function realizedPanel(panel: Panel, flags: RealizedFlags, price: string | undefined): Panel {
  return panel.map((s) => realizedSource(s, { ...flags, target: price }).series);
}
