import type { WebsocketProvider } from 'y-websocket';

/** What the status badge shows: no server, trying, or everything sent and received. */
export type SyncState = 'offline' | 'connecting' | 'synced';

export interface SyncStatus {
  state: SyncState;
  /** Local changes made since the server last confirmed a full sync of their room. */
  pending: number;
}

/** Whether two statuses show the same (the badge need not redraw). */
export const sameSyncStatus = (a: SyncStatus, b: SyncStatus): boolean => a.state === b.state && a.pending === b.pending;

/** The status of a set of open rooms, each with its count of changes waiting to be sent. */
export function syncStatusOf(rooms: ReadonlyArray<{ provider: WebsocketProvider; pending: number }>, online: boolean): SyncStatus {
  const pending = rooms.reduce((n, r) => n + r.pending, 0);
  if (rooms.length === 0) return { state: online ? 'synced' : 'offline', pending };
  if (rooms.every((r) => r.provider.synced)) return { state: 'synced', pending };
  if (!online || rooms.every((r) => !r.provider.wsconnected && !r.provider.wsconnecting)) return { state: 'offline', pending };
  return { state: 'connecting', pending };
}
