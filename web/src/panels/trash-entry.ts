import { useEffect, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import { trashEntryOf, type TrashEntry, type TrashKind } from '../../../shared/src/documents/trash';
import { volumeRoom } from '../../../shared/src/rooms';
import { useIdentity, useRoom } from '../documents/hooks';
import { readableVolumes, type VolumeRef } from '../documents/identity';

const sameEntry = (a: TrashEntry | null, b: TrashEntry | null): boolean =>
  a === b || (a !== null && b !== null && a.id === b.id && a.deleted_at === b.deleted_at && a.deleted_by === b.deleted_by);

/** Whether this person can open a volume's index (a share link's guest cannot open its owner's). */
function canReadIndex(identity: ReturnType<typeof useIdentity>, volume: VolumeRef): boolean {
  return volume.volume !== 'system' && readableVolumes(identity).some((v) => v.volume === volume.volume && v.volumeId === volume.volumeId);
}

/**
 * The trash entry of a workflow, session or skill while it is in its volume's trash, followed live
 * in the volume's index; null when it is not there, or when this person cannot read that index.
 * It changes only when the entry does, so typing elsewhere in the index redraws nothing.
 */
export function useTrashEntry(volume: VolumeRef, kind: TrashKind, itemId: string): TrashEntry | null {
  const readable = canReadIndex(useIdentity(), volume);
  const index = useRoom(readable ? volumeRoom(volume.volume, volume.volumeId) : null);
  const [entry, setEntry] = useState<TrashEntry | null>(null);
  useEffect(() => {
    const doc: Y.Doc | undefined = index?.doc;
    if (!doc) return setEntry(null);
    const refresh = () => {
      const next = trashEntryOf(doc, volume, kind, itemId) ?? null;
      setEntry((last) => (sameEntry(last, next) ? last : next));
    };
    refresh();
    doc.on('afterTransaction', refresh);
    return () => doc.off('afterTransaction', refresh);
  }, [index, volume.volume, volume.volumeId, kind, itemId]);
  return entry;
}

/** Why a team's skill in the trash cannot be restored or deleted by this person (the server's rule). */
export const SKILL_BLOCKED = 'Only the team’s admins may restore or delete its skills.';
