import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { waitFor } from './wait';

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Close codes this client's sockets were closed with, in order. */
  closeCodes: number[];
  destroy(): void;
}

/** A stock y-websocket client, exactly as the PWA and scripts use it: `WebsocketProvider(url + '/sync', room)`. */
export function connectClient(
  serverUrl: string,
  room: string,
  options: { doc?: Y.Doc; connect?: boolean; params?: Record<string, string>; WebSocketPolyfill?: typeof globalThis.WebSocket } = {},
): TestClient {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(`${serverUrl.replace(/^http/, 'ws')}/sync`, room, doc, {
    WebSocketPolyfill: options.WebSocketPolyfill ?? (WebSocket as unknown as typeof globalThis.WebSocket),
    connect: options.connect ?? true,
    disableBc: true,
    maxBackoffTime: 200,
    params: options.params ?? {},
  });
  const closeCodes: number[] = [];
  provider.on('connection-close', (event: { code: number } | null) => {
    if (event) closeCodes.push(event.code);
  });
  return {
    doc,
    provider,
    closeCodes,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Waits until a client has completed its sync handshake. */
export async function synced(client: TestClient, timeoutMs = 10_000): Promise<void> {
  await waitFor(() => client.provider.synced, 'client to sync', timeoutMs);
}

/** Connects and waits for the first sync. */
export async function connectSynced(serverUrl: string, room: string): Promise<TestClient> {
  const client = connectClient(serverUrl, room);
  await synced(client);
  return client;
}
