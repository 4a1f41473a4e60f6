import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { encodeUpdate } from '../../src/sync/protocol';

const FIRST_SYNC = new Uint8Array([0, 0, 1, 0]);

/** One small change (a key in a map), the same bytes for every room it is written to. */
export function smallUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = 7;
  doc.getMap('churn').set('opened', 'x'.repeat(64));
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return encodeUpdate(update);
}

/**
 * Opens a room, waits for its first sync, optionally writes `update` and waits for the server's
 * echo (the word that it is stored), then closes. Resolves with the ms it took; rejects when the
 * server closes the socket first or nothing comes within `timeoutMs`.
 */
export function visitRoom(url: string, room: string, update?: Uint8Array, timeoutMs = 30_000): Promise<number> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/sync/${room}`, { perMessageDeflate: false });
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`visiting ${room}: no ${update ? 'echo' : 'first sync'} within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = () => {
      done = true;
      clearTimeout(timer);
      ws.close();
      resolve(performance.now() - started);
    };
    ws.on('open', () => ws.send(FIRST_SYNC));
    ws.on('message', (data: Buffer) => {
      if (data[0] !== 0 || done) return;
      if (data[1] === 1) {
        if (!update) return finish();
        ws.send(update);
      } else if (data[1] === 2) {
        finish();
      }
    });
    ws.on('close', (code) => {
      clearTimeout(timer);
      if (!done) reject(new Error(`visiting ${room}: the server closed the socket (${code})`));
    });
    ws.on('error', () => undefined);
  });
}

/** Visits `count` rooms named by `roomOf`, `concurrency` at a time; resolves with each visit's ms. */
export async function visitRooms(url: string, count: number, roomOf: (i: number) => string, concurrency: number, update?: Uint8Array): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) times.push(await visitRoom(url, roomOf(next++), update));
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return times;
}
