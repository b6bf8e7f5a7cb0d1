/** Options as plain data: what can be saved to JSON or sent to a worker thread, apart from live handles. */
import { ValidationError } from '../errors.js';

type Live = ((...args: never[]) => unknown) | AbortSignal;

/** `T` without its function and AbortSignal fields. */
export type PlainOptions<T> = { [K in keyof T as NonNullable<T[K]> extends Live ? never : K]: T[K] };

function isLive(value: unknown): boolean {
  return typeof value === 'function' || (typeof AbortSignal !== 'undefined' && value instanceof AbortSignal);
}

/**
 * Drops live handles (callbacks, AbortSignals) from options, keeping the data: for saving a model's options or
 * describing a run. Nested objects are left as they are.
 * @internal
 */
export function plainOptions<T extends object>(options: T): PlainOptions<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => !isLive(value))) as PlainOptions<T>;
}

/**
 * Checks that options can cross a worker boundary: an AbortSignal stays with the caller (which stops the workers
 * instead), and a function cannot run in another thread, so it is refused, naming the option.
 * @param options - the options to send
 * @param where - how the options are named in messages, e.g. `forecaster`
 * @returns the options without their AbortSignal
 * @throws {@link ValidationError} naming every function-valued option
 * @internal
 */
export function workerOptions<T extends object>(options: T, where: string): PlainOptions<T> {
  const functions = Object.entries(options).filter(([, value]) => typeof value === 'function');
  if (functions.length > 0) {
    throw new ValidationError(
      `${where} options`,
      functions.map(([key]) => ({
        path: `${where}.${key}`,
        message: 'a function cannot be sent to a worker thread: pass it only with concurrency 1, or drop it',
      })),
    );
  }
  return plainOptions(options);
}
