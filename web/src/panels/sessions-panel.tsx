import { useMemo, useState } from 'preact/hooks';
import { listSessions, type SessionListing } from '../../../shared/src/documents/volume-index';
import { useDocValue, useIdentity, useRooms } from '../documents/hooks';
import { hrefOf, useRoute } from '../router';
import { useFailure, useHomeIndex } from './home-index';
import { filterByName } from './listings';
import { useMovedToTrash } from './moved-to-trash';
import { createSession, deleteSession, updateSession } from './session-actions';
import { SessionRow } from './session-row';

const NONE: SessionListing[] = [];

/** The person's sessions, most recently active first: search, create, rename, status, delete. */
export function SessionsPanel() {
  const { home, room } = useHomeIndex();
  const rooms = useRooms();
  const identity = useIdentity();
  const sessions = useDocValue(room?.doc, listSessions, NONE);
  const route = useRoute();
  const { failure, watch } = useFailure();
  const trashNote = useMovedToTrash(home);
  const [name, setName] = useState('');
  const [query, setQuery] = useState('');
  const shown = useMemo(() => filterByName(sessions, query), [sessions, query]);

  const open = (id: string) => (location.hash = hrefOf.session(home.volume, home.volumeId, id));
  const isCurrent = (id: string) => route.view === 'session' && route.volume === home.volume && route.volumeId === home.volumeId && route.id === id;

  const create = (e: Event) => {
    e.preventDefault();
    watch('Creating the session', createSession(rooms, home, name).then(open));
    setName('');
  };

  return (
    <div class="panel" data-testid="sessions-panel">
      <form class="create-row" onSubmit={create}>
        <input
          type="text"
          placeholder="New session…"
          aria-label="New session name"
          maxLength={100}
          value={name}
          data-testid="new-session-name"
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
        />
        <button type="submit" data-testid="new-session" disabled={!room}>
          New
        </button>
      </form>
      <input
        type="search"
        placeholder="Search sessions by name"
        aria-label="Search sessions"
        value={query}
        data-testid="session-search"
        onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
      />
      {trashNote.note}
      {failure && (
        <p class="panel-error" role="alert" data-testid="sessions-failure">
          {failure}
        </p>
      )}
      {room && sessions.length === 0 && <p class="muted" data-testid="sessions-empty">No sessions yet. Name one above and press New.</p>}
      {sessions.length > 0 && shown.length === 0 && (
        <p class="muted" data-testid="sessions-no-match">
          No session name contains “{query.trim()}”.
        </p>
      )}
      <ul class="listings" data-testid="session-list">
        {shown.map((listing) => (
          <SessionRow
            key={listing.id}
            listing={listing}
            href={hrefOf.session(home.volume, home.volumeId, listing.id)}
            current={isCurrent(listing.id)}
            actions={{
              rename: (next) => watch('Renaming the session', updateSession(rooms, home, listing.id, { name: next })),
              setStatus: (status) => watch('Changing the status', updateSession(rooms, home, listing.id, { status })),
              remove: () => {
                if (isCurrent(listing.id)) location.hash = '#/';
                watch('Moving the session to the trash', deleteSession(rooms, home, listing.id, identity.name).then((trashId) => trashNote.moved(trashId, listing.name)));
              },
            }}
          />
        ))}
      </ul>
    </div>
  );
}
