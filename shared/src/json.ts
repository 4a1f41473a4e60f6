/** A JSON value, as stored in documents and sent over REST. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Narrows an unknown value (read from a shared document anyone may write) to a string. */
export const asString = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);

/** Narrows an unknown value to a plain JSON object. */
export function asRecord(value: unknown): Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, Json>) : {};
}

/** The current time as the ISO 8601 string the original's records use. */
export const nowIso = (): string => new Date().toISOString();
