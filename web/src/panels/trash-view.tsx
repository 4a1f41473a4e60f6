import { useId, useState } from 'preact/hooks';
import { listTrash, type TrashEntry } from '../../../shared/src/documents/trash';
import { volumeRoom } from '../../../shared/src/rooms';
import { useDocValue, useIdentity, useRoom, useRooms, useSyncStatus } from '../documents/hooks';
import { readableVolumes, type Identity, type VolumeRef } from '../documents/identity';
import type { SyncState } from '../documents/sync-status';
import { hrefOf } from '../router';
import { ConfirmButton } from './confirm-button';
import { failureMessage } from './home-index';
import { writableVolumes } from './skill-import-preview';
import { timeAgo } from './time-ago';
import { deleteForever, restoreTrashed } from './trash-actions';
import { SKILL_BLOCKED } from './trash-entry';

const NONE: TrashEntry[] = [];
const KIND_LABEL = { workflow: 'Workflow', session: 'Session', skill: 'Skill' } as const;

/** Why deleting for good cannot be asked now, or null when the server answers. */
function purgeBlockedBy(state: SyncState): string | null {
  if (state === 'offline') return 'You are offline: deleting for good needs the server. Restoring works offline.';
  if (state === 'connecting') return 'The server cannot be reached right now: deleting for good needs it. Restoring works offline.';
  return null;
}

const sameVolume = (a: VolumeRef, b: VolumeRef) => a.volume === b.volume && a.volumeId === b.volumeId;

/** The volumes whose trash this person sees: their own and their teams' (never the system's). */
const trashVolumes = (identity: Identity): VolumeRef[] => readableVolumes(identity).filter((v) => v.volume !== 'system');

/**
 * The trash of every volume the person can write: what was deleted, by whom and when, to restore
 * or delete for good. Restoring edits the volume index, so it works offline; deleting for good
 * asks the server, and is disabled, with the reason, when it cannot be reached.
 */
export function TrashView() {
  const identity = useIdentity();
  const volumes = trashVolumes(identity);
  const skillVolumes = writableVolumes(identity);
  const purgeBlocked = purgeBlockedBy(useSyncStatus().state);
  return (
    <div class="trash-view" data-testid="trash-view">
      <h2>Trash</h2>
      <p class="muted">
        Deleted workflows, sessions and skills wait here, with their content and versions, until they expire (30 days unless the server is set otherwise). Anyone
        who could delete one can restore it.
      </p>
      {volumes.length === 0 && <p class="muted">You opened only share links here, so there is no trash of yours to show.</p>}
      {volumes.map((volume) => (
        <VolumeTrash
          key={`${volume.volume}/${volume.volumeId}`}
          volume={volume}
          token={identity.token}
          writesSkills={skillVolumes.some((v) => sameVolume(v, volume))}
          purgeBlocked={purgeBlocked}
        />
      ))}
    </div>
  );
}

function VolumeTrash(props: { volume: VolumeRef; token: string | undefined; writesSkills: boolean; purgeBlocked: string | null }) {
  const { volume, token } = props;
  const rooms = useRooms();
  const index = useRoom(volumeRoom(volume.volume, volume.volumeId));
  const entries = useDocValue(index?.doc, (doc) => listTrash(doc, volume), NONE);
  const [problem, setProblem] = useState<string | null>(null);
  const offlineId = useId();
  const title = volume.volume === 'user' ? 'Your trash' : `Team ${volume.volumeId}’s trash`;
  const skillBlocked = props.writesSkills ? null : SKILL_BLOCKED;

  const broken = (what: string) => (e: unknown) => setProblem(failureMessage(what, e));
  const restore = (entry: TrashEntry) =>
    void restoreTrashed(rooms, volume, entry.id).then(
      (result) => setProblem(result.ok ? null : `“${entry.name}” could not be restored: ${result.error}`),
      broken('Restoring'),
    );
  const purge = async (list: TrashEntry[]) => {
    setProblem(null);
    for (const entry of list) {
      const result = await deleteForever(rooms, entry, token);
      if (!result.ok) return setProblem(`“${entry.name}” was not deleted: ${result.error}`);
    }
  };
  const purgeable = entries.filter((e) => e.kind !== 'skill' || !skillBlocked);

  return (
    <section class="trash-volume" data-testid="trash-volume" data-volume={`${volume.volume}/${volume.volumeId}`}>
      <header class="trash-volume-header">
        <h3>{title}</h3>
        <ConfirmButton
          label="Empty trash"
          question={`Delete ${purgeable.length} item${purgeable.length === 1 ? '' : 's'} for good?`}
          testId="empty-trash"
          disabledBecause={purgeable.length === 0 ? (skillBlocked && entries.length > 0 ? skillBlocked : 'The trash is empty.') : props.purgeBlocked}
          // Empty, the list below says so already ("Nothing here."); offline, the note under the heading.
          describedBy={entries.length === 0 ? `${offlineId}-empty` : purgeable.length > 0 && props.purgeBlocked ? offlineId : undefined}
          onConfirm={() => void purge(purgeable).catch(broken('Deleting for good'))}
        />
      </header>
      {problem && (
        <p class="panel-error" role="alert" data-testid="trash-failure">
          {problem}
        </p>
      )}
      {props.purgeBlocked && entries.length > 0 && (
        <p class="muted" id={offlineId} data-testid="trash-offline">
          {props.purgeBlocked}
        </p>
      )}
      {index && entries.length === 0 && (
        <p class="muted" id={`${offlineId}-empty`} data-testid="trash-empty">
          Nothing here.
        </p>
      )}
      <ul class="listings" data-testid="trash-list">
        {entries.map((entry) => {
          const blocked = entry.kind === 'skill' ? skillBlocked : null;
          const named = `“${entry.name || `Untitled ${entry.kind}`}”`;
          const reasonId = `${offlineId}-${entry.id}`;
          const href = entry.kind === 'skill' ? hrefOf.skill(volume.volume, volume.volumeId, entry.item_id) : hrefOf[entry.kind](volume.volume, volume.volumeId, entry.item_id);
          return (
            <li key={entry.id} class="listing" data-testid="trash-item" data-id={entry.id} data-kind={entry.kind}>
              <a href={href} class="listing-name" data-testid="trash-item-name">
                {entry.name || `Untitled ${entry.kind}`}
              </a>
              <span class="muted">
                {KIND_LABEL[entry.kind]} · deleted by {entry.deleted_by || 'someone'}, {timeAgo(entry.deleted_at)}
              </span>
              <div class="listing-actions">
                <button
                  type="button"
                  class="small"
                  data-testid="trash-restore"
                  aria-label={`Restore ${named}`}
                  disabled={blocked !== null}
                  aria-describedby={blocked ? reasonId : undefined}
                  onClick={() => restore(entry)}
                >
                  Restore
                </button>
                <ConfirmButton
                  label="Delete forever"
                  accessibleName={`Delete ${named} forever`}
                  question="Delete for good? This cannot be undone."
                  testId="trash-delete-forever"
                  disabledBecause={blocked ?? props.purgeBlocked}
                  describedBy={blocked ? reasonId : props.purgeBlocked ? offlineId : undefined}
                  onConfirm={() => void purge([entry]).catch(broken('Deleting for good'))}
                />
              </div>
              {blocked && (
                <p class="muted disabled-reason" id={reasonId} data-testid="trash-item-why">
                  {blocked}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
