/** Tests the CLI's shared plumbing that runs without a process: API validation errors said in flags. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asFlagError, tableNumber, UsageError, withFlagErrors } from '../../src/cli/common.js';
import { ValidationError } from '../../src/errors.js';
import { parseOptions } from '../../src/validate.js';

const schema = z
  .object({ window: z.enum(['expanding', 'sliding']), trainLength: z.number().int().min(1).optional() })
  .refine((o) => o.window !== 'sliding' || o.trainLength !== undefined, {
    message: "window 'sliding' needs trainLength",
    path: ['trainLength'],
  });

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('asFlagError', () => {
  it("says a schema's rule in the flags' words, as a usage error", () => {
    const e = asFlagError(caught(() => parseOptions(schema, { window: 'sliding' }, 'backtest options')));
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toBe("--window 'sliding' needs --train-length");
  });

  it('names the flag before a message that does not, nested paths included', () => {
    const nested = z.object({ forecaster: z.object({ lookback: z.number().int().min(1) }) });
    const e = asFlagError(caught(() => parseOptions(nested, { forecaster: { lookback: 0 } }, 'options')));
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toMatch(/^--lookback: /);
  });

  it('leaves other errors, and options without a flag, as they are', () => {
    const plain = new Error('disk full');
    expect(asFlagError(plain)).toBe(plain);
    const noFlag = new ValidationError('options', [{ path: 'onFold', message: 'expected a function' }]);
    expect(asFlagError(noFlag)).toBe(noFlag);
    const whole = new ValidationError('options', [{ path: '', message: 'expected an object' }]);
    expect(asFlagError(whole)).toBe(whole);
  });

  it('withFlagErrors passes results through and rethrows in flags', async () => {
    await expect(withFlagErrors(Promise.resolve(3))).resolves.toBe(3);
    const issue = { path: 'trainLength', message: 'expected an integer' };
    const failing = Promise.reject(new ValidationError('options', [issue]));
    await expect(withFlagErrors(failing)).rejects.toThrow(/^--train-length: expected an integer$/);
  });
});

describe('tableNumber', () => {
  it('shows 4 decimals, 1 from 1000 on, and 4 significant digits below 0.01 (a daily variance is not 0.0001)', () => {
    expect([0.12345, 1234.56, 7, Number.NaN, Infinity].map(tableNumber)).toEqual([
      '0.1235',
      '1234.6',
      '7',
      'n/a',
      'Infinity',
    ]);
    expect([0.000123456, -0.0045678, 0.01].map(tableNumber)).toEqual(['0.0001235', '-0.004568', '0.0100']);
  });
});
