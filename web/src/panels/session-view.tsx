import { useEffect, useState } from 'preact/hooks';
import { readSessionMeta, sessionExists } from '../../../shared/src/documents/session';
import { ChatPanel } from '../chat/chat-panel';
import type { Catalog } from '../documents/catalog';
import { setCurrentSession } from '../run/session-trace';
import { useDocValue, useRoom, useRoomDeleted, useSyncStatus } from '../documents/hooks';
import type { Room } from '../documents/rooms';
import type { Route } from '../router';
import { useTrashEntry } from './trash-entry';
import { DeletedForGood, TrashedBanner } from './trashed-banner';

/** Whether the server has sent its copy of the room since it was opened. */
function useServerCopy(room: Room | null): boolean {
  const [synced, setSynced] = useState(false);
  useEffect(() => {
    if (!room) return;
    setSynced(room.provider.synced);
    const onSync = (value: boolean) => setSynced(value);
    room.provider.on('sync', onSync);
    return () => room.provider.off('sync', onSync);
  }, [room]);
  return synced;
}

function formatTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toLocaleString();
}

/** A session: its name, status and message history, as its document holds them. */
export function SessionView({ route, catalog }: { route: Extract<Route, { view: 'session' }>; catalog: Catalog }) {
  const room = useRoom(route.room);
  // Runs on a canvas report to the session last opened.
  useEffect(() => setCurrentSession(route.room), [route.room]);
  const doc = room?.doc;
  const exists = useDocValue(doc, sessionExists, false);
  const meta = useDocValue(doc, readSessionMeta, null);
  const serverCopy = useServerCopy(room);
  const trashed = useTrashEntry(route, 'session', route.id);
  const deleted = useRoomDeleted(route.room);
  const { state } = useSyncStatus();

  if (deleted) return <DeletedForGood />;
  if (!room) return <div class="empty">Opening session…</div>;
  if (!exists || !meta) {
    // A session made on another device or over the API arrives with the server's copy.
    const waiting = !serverCopy && state !== 'offline';
    return (
      <div class="empty" data-testid={waiting ? 'session-loading' : 'session-missing'}>
        {waiting
          ? 'Fetching this session from the server…'
          : serverCopy
            ? 'This session does not exist, or it was deleted. Pick another one on the left.'
            : 'This session is not in this browser yet. It appears here once the server can be reached.'}
      </div>
    );
  }
  return (
    <div class="session-view" data-testid="session-view" data-trashed={trashed !== null}>
      {trashed && <TrashedBanner entry={trashed} volume={route} />}
      <header class="session-header">
        <h2 data-testid="session-name">{meta.name || 'Untitled session'}</h2>
        <span class={`session-status status-${meta.status}`} data-testid="session-status-label">
          {meta.status}
        </span>
        {meta.created_at && <span class="muted">started {formatTime(meta.created_at)}</span>}
      </header>
      <ChatPanel room={room} catalog={catalog} trashed={trashed !== null} />
    </div>
  );
}
