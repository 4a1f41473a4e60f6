import { useState } from 'preact/hooks';
import { SESSION_STATUSES, type SessionStatus } from '../../../shared/src/documents/session';
import type { SessionListing } from '../../../shared/src/documents/volume-index';
import { ConfirmButton } from './confirm-button';
import { NameEditor } from './name-editor';

export interface SessionRowActions {
  rename(name: string): void;
  setStatus(status: SessionStatus): void;
  remove(): void;
}

/** One session in the list: its link and status, with rename, status change and delete. */
export function SessionRow(props: { listing: SessionListing; href: string; current: boolean; actions: SessionRowActions }) {
  const { listing, actions } = props;
  const [renaming, setRenaming] = useState(false);
  return (
    <li class={`listing${props.current ? ' current' : ''}`} data-testid="session-item" data-id={listing.id} data-status={listing.status}>
      {renaming ? (
        <NameEditor
          initial={listing.name}
          label="Session name"
          testId="session-name-input"
          onSave={(name) => {
            setRenaming(false);
            actions.rename(name);
          }}
          onCancel={() => setRenaming(false)}
        />
      ) : (
        <a href={props.href} class="listing-name" data-testid="session-link" aria-current={props.current ? 'page' : undefined}>
          {listing.name || 'Untitled session'}
        </a>
      )}
      <div class="listing-actions">
        <select
          class={`status-select status-${listing.status}`}
          aria-label="Status"
          value={listing.status}
          data-testid="session-status"
          onChange={(e) => actions.setStatus((e.target as HTMLSelectElement).value as SessionStatus)}
        >
          {SESSION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <button type="button" class="small" data-testid="rename-session" onClick={() => setRenaming(true)}>
          Rename
        </button>
        <ConfirmButton label="Delete" question="Move to the trash?" testId="delete-session" onConfirm={actions.remove} />
      </div>
    </li>
  );
}
