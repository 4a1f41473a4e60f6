/** An expected failure carried as a value rather than thrown. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

/** Wraps a value as a successful result. */
export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

/** Wraps an error as a failed result. */
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });
