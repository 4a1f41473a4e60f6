import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { ProtocolError } from './protocol';

/** One entry of an awareness update: a client's state (JSON text, "null" when it leaves) at a clock. */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: string;
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
