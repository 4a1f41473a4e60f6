import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export type SyncStatus = 'connecting' | 'connected' | 'disconnected';

/** Opens a room on the server this page came from, as every client of the sync server does. */
export function openRoom(room: string): { doc: Y.Doc; provider: WebsocketProvider } {
  const doc = new Y.Doc();
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const provider = new WebsocketProvider(`${scheme}://${location.host}/sync`, room, doc);
  return { doc, provider };
}
