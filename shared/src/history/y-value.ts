import * as Y from 'yjs';

/*
 * Comparing and copying what a Yjs document holds: shared types (Y.Map, Y.Array, Y.Text) and
 * the plain values inside them (JSON, bytes). Shared by the restore reconciler (to leave equal
 * things alone) and by change detection (to tell versions apart), so both agree on "equal".
 */

/**
 * Whether two document values hold the same content. A shared type equals only a shared type of
 * the same kind (a node's `inputs` as a plain object is not the Y.Map the app edits); plain
 * objects compare without regard to key order, as Y.Map entries have none; Y.Text compares its
 * characters (the app writes no formatting).
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Y.AbstractType || b instanceof Y.AbstractType) return sameType(a, b);
  if (a instanceof Uint8Array || b instanceof Uint8Array) return a instanceof Uint8Array && b instanceof Uint8Array && sameBytes(a, b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function sameType(a: unknown, b: unknown): boolean {
  if (a instanceof Y.Map && b instanceof Y.Map) {
    if (a.size !== b.size) return false;
    for (const [key, value] of a.entries()) if (!b.has(key) || !sameValue(value, b.get(key))) return false;
    return true;
  }
  if (a instanceof Y.Array && b instanceof Y.Array) {
    if (a.length !== b.length) return false;
    const xs = a.toArray();
    const ys = b.toArray();
    return xs.every((x, i) => sameValue(x, ys[i]));
  }
  if (a instanceof Y.Text && b instanceof Y.Text) return a.toString() === b.toString();
  // Types the app does not use (XML): their JSON is all there is to compare.
  if (a instanceof Y.AbstractType && b instanceof Y.AbstractType && a.constructor === b.constructor) {
    return JSON.stringify(a.toJSON()) === JSON.stringify(b.toJSON());
  }
  return false;
}

/** Whether two byte arrays hold the same bytes. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A copy of a value from one document, ready to insert into another: a shared type belongs to
 * one document, so it is rebuilt (with its nested types); plain values are copied so the two
 * documents never share a mutable object.
 */
export function cloneValue(value: unknown): unknown {
  if (value instanceof Y.Map) {
    const map = new Y.Map<unknown>();
    for (const [key, v] of value.entries()) map.set(key, cloneValue(v));
    return map;
  }
  if (value instanceof Y.Array) {
    const array = new Y.Array<unknown>();
    array.push(value.toArray().map(cloneValue));
    return array;
  }
  if (value instanceof Y.AbstractType) return value.clone();
  if (value instanceof Uint8Array) return value.slice();
  if (Array.isArray(value)) return value.map(cloneValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneValue(v)]));
  }
  return value;
}
