import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/** A stock y-websocket client in this process. */
export interface BenchClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

export function connect(wsUrl: string, room: string): BenchClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  return {
    doc,
    provider,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Resolves when every client has synced, or rejects after `timeoutMs`. */
export async function allSynced(clients: BenchClient[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!clients.every((c) => c.provider.synced)) {
    if (Date.now() > deadline) throw new Error(`only ${clients.filter((c) => c.provider.synced).length}/${clients.length} clients synced`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Wall-clock milliseconds comparable across this process (sub-millisecond precision). */
export const nowMs = (): number => performance.timeOrigin + performance.now();
