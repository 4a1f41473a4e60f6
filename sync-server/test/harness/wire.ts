import * as decoding from 'lib0/decoding';
import { WebSocket } from 'ws';
import * as Y from 'yjs';

/**
 * A `ws` WebSocket class for a stock provider (`WebSocketPolyfill`) that hands every frame the
 * server sends to `onFrame` before the provider reads it: what came back is seen on the wire,
 * whatever the provider does with it.
 */
export function observedWebSocket(onFrame: (frame: Uint8Array) => void): typeof globalThis.WebSocket {
  class Observed extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols);
      // Buffers, or ArrayBuffers once the provider sets `binaryType`.
      this.on('message', (data: Buffer | ArrayBuffer) => onFrame(new Uint8Array(data)));
    }
  }
  return Observed as unknown as typeof globalThis.WebSocket;
}

/** The Yjs update a sync step 2 or update frame carries, or null for any other frame. */
export function updateIn(frame: Uint8Array): Uint8Array | null {
  const decoder = decoding.createDecoder(frame);
  if (decoding.readVarUint(decoder) !== 0) return null;
  const syncType = decoding.readVarUint(decoder);
  return syncType === 1 || syncType === 2 ? decoding.readVarUint8Array(decoder) : null;
}

/**
 * What the server has sent back of one client's own changes. The updates received are applied
 * to a copy, which holds a client's changes only without gaps (Yjs keeps the rest pending), so
 * `sentBack()` is the number of that client's changes, in order, that have returned.
 */
export function ownChangesReturned(clientId: number): { onFrame: (frame: Uint8Array) => void; sentBack: () => number } {
  const copy = new Y.Doc();
  return {
    onFrame: (frame) => {
      const update = updateIn(frame);
      if (update) Y.applyUpdate(copy, update);
    },
    sentBack: () => Y.getState(copy.store, clientId),
  };
}
