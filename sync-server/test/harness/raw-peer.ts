import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';
import * as syncProtocol from 'y-protocols/sync';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { MESSAGE } from '../../src/sync/protocol';

/**
 * A y-websocket peer written at the protocol level, so a test sees what a stock provider
 * hides: the permission-denied messages the server sends, and exactly when each of its own
 * messages has been handled (a sync step 1 is answered in order, after what came before it).
 */
export interface RawPeer {
  doc: Y.Doc;
  /** Reasons of the permission-denied messages received so far. */
  denials: string[];
  /** Makes a change locally and sends it as one update. */
  write(change: (doc: Y.Doc) => void): void;
  /** Resolves once the server has handled everything sent before (and made it durable). */
  roundTrip(): Promise<void>;
  close(): void;
}

export type Opened = { ok: true; peer: RawPeer } | { ok: false; code: number };

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

/** Connects to a room and waits for the first sync, or for the server to close the socket. */
export function openPeer(serverUrl: string, room: string, token?: string): Promise<Opened> {
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  const ws = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/sync/${room}${query}`);
  ws.binaryType = 'nodebuffer';
  const doc = new Y.Doc();
  const denials: string[] = [];
  const waiting: Array<() => void> = [];
  let synced = false;

  const peer: RawPeer = {
    doc,
    denials,
    write(change) {
      const updates: Uint8Array[] = [];
      const collect = (u: Uint8Array) => updates.push(u);
      doc.on('update', collect);
      doc.transact(() => change(doc), 'local');
      doc.off('update', collect);
      for (const u of updates) ws.send(frame((e) => (encoding.writeVarUint(e, MESSAGE.sync), syncProtocol.writeUpdate(e, u))));
    },
    roundTrip() {
      return new Promise((resolve) => {
        waiting.push(resolve);
        ws.send(frame((e) => (encoding.writeVarUint(e, MESSAGE.sync), syncProtocol.writeSyncStep1(e, doc))));
      });
    },
    close: () => ws.close(),
  };

  return new Promise((resolve) => {
    ws.on('open', () => ws.send(frame((e) => (encoding.writeVarUint(e, MESSAGE.sync), syncProtocol.writeSyncStep1(e, doc)))));
    ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE.auth) {
        authProtocol.readAuthMessage(decoder, doc, (_doc, reason) => denials.push(reason));
      } else if (type === MESSAGE.sync) {
        const reply = encoding.createEncoder();
        encoding.writeVarUint(reply, MESSAGE.sync);
        const kind = syncProtocol.readSyncMessage(decoder, reply, doc, 'server');
        if (kind === syncProtocol.messageYjsSyncStep1) ws.send(encoding.toUint8Array(reply));
        if (kind === syncProtocol.messageYjsSyncStep2) {
          if (!synced) {
            synced = true;
            resolve({ ok: true, peer });
          } else {
            waiting.shift()?.();
          }
        }
      }
    });
    ws.on('close', (code) => {
      if (!synced) resolve({ ok: false, code });
    });
    ws.on('error', () => undefined);
  });
}
