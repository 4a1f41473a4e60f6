import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { CLOSE } from '../../../shared/src/codes';
import { MAX_AWARENESS_DEPTH } from '../../src/sync/awareness-update';

/**
 * What the protocol rules (SPEC SYNC-3) say the server must do with one frame, worked out from
 * the frame alone with the reference decoders (lib0, Yjs, y-protocols' awareness format), not
 * with the server's code: where the two disagree, the fuzz test fails and names the frame.
 */
export type Verdict =
  | {
      accepted: true;
      /** A sync step 1, which the server answers with a sync step 2. */
      answered: boolean;
      /** A decodable Yjs update: a connection allowed to write may change the document with it. */
      update: boolean;
    }
  | { accepted: false; code: number; why: string };

const refused = (code: { code: number }, why: string): Verdict => ({ accepted: false, code: code.code, why });
const accepted = (answered: boolean, update: boolean): Verdict => ({ accepted: true, answered, update });

function expectEnd(decoder: decoding.Decoder): void {
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes');
}

/** How deeply a parsed JSON value nests arrays and objects (walked without recursion). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * An awareness update as y-protocols reads it (a count, then client id, clock and JSON state for
 * each), with the server's one rule on top: no state nested deeper than MAX_AWARENESS_DEPTH.
 */
function readAwareness(update: Uint8Array): void {
  const decoder = decoding.createDecoder(update);
  for (let n = decoding.readVarUint(decoder); n > 0; n--) {
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    if (depthOf(JSON.parse(decoding.readVarString(decoder))) > MAX_AWARENESS_DEPTH) throw new Error('awareness state nested too deeply');
  }
}

/** The verdict on one frame for a server whose MAX_MESSAGE_BYTES is `maxBytes`. */
export function judge(data: Uint8Array | string, maxBytes: number): Verdict {
  if (typeof data === 'string') return refused(CLOSE.malformedMessage, 'a text frame');
  if (data.length > maxBytes) return refused(CLOSE.messageTooBig, 'over MAX_MESSAGE_BYTES');
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case 0: {
        const subtype = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        expectEnd(decoder);
        if (subtype === 0) {
          Y.decodeStateVector(payload);
          return accepted(true, false);
        }
        if (subtype === 1 || subtype === 2) {
          Y.decodeUpdate(payload);
          return accepted(false, true);
        }
        return refused(CLOSE.malformedMessage, `unknown sync subtype ${subtype}`);
      }
      case 1: {
        const update = decoding.readVarUint8Array(decoder);
        expectEnd(decoder);
        readAwareness(update);
        return accepted(false, false);
      }
      case 3:
        expectEnd(decoder);
        return accepted(false, false);
      default:
        // Auth (2) is a message servers send; a client has no business sending it.
        return refused(CLOSE.malformedMessage, `unknown message type ${type}`);
    }
  } catch (e) {
    return refused(CLOSE.malformedMessage, (e as Error).message);
  }
}
