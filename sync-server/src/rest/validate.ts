import type { z } from 'zod';
import { isValidId } from '../../../shared/src/rooms';
import { HttpError } from './http-error';

/** Parses a request part with a schema; a failure is a 400 listing each field's problem. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(root)', message: i.message }));
  const summary = details.map((d) => `${d.field}: ${d.message}`).join('; ');
  throw new HttpError('bad_request', `Invalid ${what}: ${summary}`, details);
}

/** Checks a path id; ids never reach storage unchecked. */
export function idOr400(value: string | undefined, what: string): string {
  if (value === undefined || !isValidId(value)) {
    throw new HttpError('invalid_id', `Invalid ${what} "${String(value).slice(0, 200)}".`);
  }
  return value;
}
