import { useState } from 'preact/hooks';
import { CLOSE } from '../../../shared/src/codes';
import type { TrashEntry } from '../../../shared/src/documents/trash';
import { useIdentity, useRooms } from '../documents/hooks';
import type { VolumeRef } from '../documents/identity';
import { hrefOf } from '../router';
import { useNow } from './clock';
import { failureMessage } from './home-index';
import { writableVolumes } from './skill-import-preview';
import { timeAgo } from './time-ago';
import { restoreTrashed } from './trash-actions';
import { SKILL_BLOCKED } from './trash-entry';

/**
 * Says that the workflow, session or skill on screen is in the trash, who put it there and when,
 * and offers to restore it: shown to whoever has it open when it is deleted, and to whoever
 * opens its link later. It stays read-only until restored.
 */
export function TrashedBanner({ entry, volume }: { entry: TrashEntry; volume: VolumeRef }) {
  const rooms = useRooms();
  const now = useNow();
  // A team's skills are restored by its admins only, as in the Trash view.
  const mayRestore = entry.kind !== 'skill' || writableVolumes(useIdentity()).some((v) => v.volume === volume.volume && v.volumeId === volume.volumeId);
  const [problem, setProblem] = useState<string | null>(null);
  const restore = () =>
    void restoreTrashed(rooms, volume, entry.id).then(
      (result) => setProblem(result.ok ? null : `It could not be restored: ${result.error}`),
      (e: unknown) => setProblem(failureMessage('Restoring', e)),
    );
  return (
    <div class="trashed-banner" role="status" data-testid="trashed-banner" data-trash-id={entry.id}>
      <span>
        <strong data-testid="trashed-by">
          Deleted by {entry.deleted_by || 'someone'}, {timeAgo(entry.deleted_at, now)}
        </strong>{' '}
        — this {entry.kind} is in the <a href={hrefOf.trash()}>trash</a> and read-only until it is restored.
      </span>
      <button type="button" class="small" data-testid="trashed-restore" onClick={restore} disabled={!mayRestore} aria-describedby={mayRestore ? undefined : 'trashed-restore-why'}>
        Restore
      </button>
      {!mayRestore && (
        <span class="muted" id="trashed-restore-why" data-testid="trashed-restore-why">
          {SKILL_BLOCKED}
        </span>
      )}
      {problem && (
        <span class="trashed-problem" role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}

/** In place of a workflow or session the server deleted for good while it was open here. */
export function DeletedForGood() {
  return (
    <div class="empty" role="alert" data-testid="room-deleted">
      {CLOSE.roomDeleted.help} <a href="#/">Back to the home page</a>.
    </div>
  );
}
