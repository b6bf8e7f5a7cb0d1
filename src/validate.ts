/** Parses public options with their zod schema and turns failures into ValidationError. */
import type { z } from 'zod';
import { ValidationError } from './errors.js';

/**
 * Validates `value` against `schema`; internal code trusts what this returns.
 * @internal
 */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw ValidationError.fromZod(what, result.error);
  return result.data;
}
