import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as authProtocol from 'y-protocols/auth';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import type { AwarenessEntry } from '../rooms/awareness-owners';

/** The y-websocket message types (first varint of every frame). */
export const MESSAGE = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;

/** A frame that is not a valid y-websocket message; its connection is closed with 4400. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/**
 * The deepest nesting of arrays and objects accepted in an awareness state. y-protocols stores
 * states parsed and writes them out again with `JSON.stringify`, which recurses: a state a few
 * thousand levels deep overflows the stack each time the room's awareness is encoded (every
 * join, every query), long after the frame that brought it in. Cursors and names need a handful.
 */
export const MAX_AWARENESS_DEPTH = 32;

/** How deeply a JSON text nests arrays and objects (brackets inside strings do not count). */
function nestingOf(json: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/**
 * Reads an awareness update through before any of it is applied: y-protocols applies its
 * entries one by one, so a bad entry would leave those before it applied (and never broadcast).
 * Throws ProtocolError when an entry does not decode or its state nests too deeply.
 */
export function readAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  try {
    const decoder = decoding.createDecoder(update);
    const entries: AwarenessEntry[] = [];
    for (let n = decoding.readVarUint(decoder); n > 0; n--) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state = decoding.readVarString(decoder);
      if (nestingOf(state) > MAX_AWARENESS_DEPTH) throw new ProtocolError(`awareness state nested deeper than ${MAX_AWARENESS_DEPTH} levels`);
      JSON.parse(state);
      entries.push({ clientId, clock, state });
    }
    return entries;
  } catch (e) {
    if (e instanceof ProtocolError) throw e;
    throw new ProtocolError(`bad awareness update: ${(e as Error).message}`);
  }
}

/** An awareness update holding exactly these entries. */
export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(e, clientId);
    encoding.writeVarUint(e, clock);
    encoding.writeVarString(e, state);
  }
  return encoding.toUint8Array(e);
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** Sync step 1: our state vector, asking the peer for what we lack. */
export const encodeSyncStep1 = (doc: Y.Doc): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE.sync);
    syncProtocol.writeSyncStep1(e, doc);
  });

/** Sync step 2: everything the peer lacks, given its state vector. */
export const encodeSyncStep2 = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE.sync);
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(e, update);
  });

/** An incremental document update. */
export const encodeUpdate = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE.sync);
    syncProtocol.writeUpdate(e, update);
  });

/** The awareness states of the given clients. */
export const encodeAwareness = (awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE.awareness);
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  });

/** The standard "permission denied" message; stock y-websocket clients log its reason. */
export const encodePermissionDenied = (reason: string): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MESSAGE.auth);
    authProtocol.writePermissionDenied(e, reason);
  });
