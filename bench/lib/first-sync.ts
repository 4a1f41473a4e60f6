import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { WebSocket } from 'ws';
import * as Y from 'yjs';

/** y-websocket's message type for sync messages (the first varuint of every frame). */
const MESSAGE_SYNC = 0;

/**
 * Opens one WebSocket to `url`, sends a sync step 1 for an empty document and resolves with the
 * document once the server's sync step 2 has been applied to it; rejects when the connection
 * fails or closes first (a server not listening yet, say). The protocol is spoken by hand so a
 * failed attempt costs one TCP connect, with none of a provider's reconnect backoff.
 */
export function firstSync(url: string, timeoutMs = 10_000): Promise<Y.Doc> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'nodebuffer';
    const doc = new Y.Doc();
    const timer = setTimeout(() => fail(new Error(`no sync from ${url} within ${timeoutMs} ms`)), timeoutMs);
    const fail = (e: Error) => {
      clearTimeout(timer);
      ws.terminate();
      reject(e);
    };
    ws.on('open', () => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MESSAGE_SYNC);
      syncProtocol.writeSyncStep1(e, doc);
      ws.send(encoding.toUint8Array(e));
    });
    ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return;
      const reply = encoding.createEncoder();
      if (syncProtocol.readSyncMessage(decoder, reply, doc, 'bench') !== syncProtocol.messageYjsSyncStep2) return;
      clearTimeout(timer);
      ws.close();
      resolve(doc);
    });
    ws.on('error', (e) => fail(e));
    ws.on('close', (code) => fail(new Error(`${url} closed the connection (${code}) before syncing`)));
  });
}
