import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { readAwarenessUpdate, type AwarenessEntry } from './awareness-update';
import { MESSAGE, ProtocolError } from './protocol';

/** A frame from a client, read through and checked, ready for its room. */
export type ClientMessage =
  /** The client's state vector (its encoding, as Yjs takes it), asking for what it lacks. */
  | { type: 'sync-step-1'; stateVector: Uint8Array }
  /** What the client holds that we lack: its answer to our sync step 1. */
  | { type: 'sync-step-2'; update: Uint8Array }
  /** An incremental change. */
  | { type: 'update'; update: Uint8Array }
  /** Awareness states, as sent (`update`) and read through (`entries`). */
  | { type: 'awareness'; update: Uint8Array; entries: AwarenessEntry[] }
  /** A request for every awareness state the room holds. */
  | { type: 'query-awareness' };

/**
 * Decodes one binary frame of the y-websocket protocol. Everything in it is read before anything
 * is returned, including the Yjs update, which is decoded whole so that a corrupt one never
 * touches a document. Throws ProtocolError for anything that is not a valid client message: bad
 * varints, truncation, trailing bytes, unknown types, and auth messages (only servers send them).
 */
export function decodeClientMessage(frame: Uint8Array): ClientMessage {
  try {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE.sync:
        return decodeSync(decoder);
      case MESSAGE.awareness: {
        const update = decoding.readVarUint8Array(decoder);
        expectEnd(decoder);
        return { type: 'awareness', update, entries: readAwarenessUpdate(update) };
      }
      case MESSAGE.queryAwareness:
        expectEnd(decoder);
        return { type: 'query-awareness' };
      case MESSAGE.auth:
        throw new ProtocolError('auth messages are sent by servers, not clients');
      default:
        throw new ProtocolError(`unknown message type ${type}`);
    }
  } catch (e) {
    if (e instanceof ProtocolError) throw e;
    throw new ProtocolError((e as Error).message || String(e));
  }
}

function decodeSync(decoder: decoding.Decoder): ClientMessage {
  const syncType = decoding.readVarUint(decoder);
  const payload = decoding.readVarUint8Array(decoder);
  expectEnd(decoder);
  switch (syncType) {
    case syncProtocol.messageYjsSyncStep1:
      Y.decodeStateVector(payload);
      return { type: 'sync-step-1', stateVector: payload };
    case syncProtocol.messageYjsSyncStep2:
      Y.decodeUpdate(payload);
      return { type: 'sync-step-2', update: payload };
    case syncProtocol.messageYjsUpdate:
      Y.decodeUpdate(payload);
      return { type: 'update', update: payload };
    default:
      throw new ProtocolError(`unknown sync message type ${syncType}`);
  }
}

function expectEnd(decoder: decoding.Decoder): void {
  if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after message');
}
