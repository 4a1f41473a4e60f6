import { z } from 'zod';
import { ID_PATTERN } from '../../../shared/src/rooms';
import { HttpError } from './errors';

/**
 * An id (volume, session, workflow or skill id) wherever a request carries one: the one pattern
 * of `shared/src/rooms.ts`, so an id can never be a path or key fragment in any backend.
 */
export const IdSchema = z.string().regex(ID_PATTERN, 'must be 1–128 letters, digits, "-" or "_", starting with a letter or digit');

interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Each problem of a failed parse, named by its field: an unknown key names itself, and of the
 * shapes a union allows, the one the value came closest to (fewest problems) says what to fix.
 */
function problemsOf(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): FieldProblem[] {
  return issues.flatMap((i) => {
    const at = [...prefix, ...i.path];
    const field = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(root)';
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((key) => ({ field: field([...at, key]), message: 'is not a known field; remove it' }));
    }
    if (i.code === 'invalid_union' && i.errors.length > 0) {
      const fewest = Math.min(...i.errors.map((e) => e.length));
      const closest = i.errors.filter((e) => e.length === fewest);
      if (closest.length === 1) return problemsOf(closest[0]!, at);
    }
    return [{ field: field(at), message: i.message }];
  });
}

/** Parses a request part with a schema; a failure is a 400 listing each field's problem. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const details = problemsOf(parsed.error.issues);
  const summary = details.map((d) => `${d.field}: ${d.message}`).join('; ');
  throw new HttpError('bad_request', `Invalid ${what}: ${summary}`, details);
}

/** Checks a path id (`field` is the route's parameter name); ids never reach storage unchecked. */
export function idOr400(value: unknown, field: string, what: string): string {
  const parsed = IdSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues[0]?.message ?? 'is not an id';
  throw new HttpError('invalid_id', `Invalid ${what} ${JSON.stringify(String(value).slice(0, 200))}: ${message}.`, [{ field, message }]);
}
