import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useRooms } from '../documents/hooks';
import type { VolumeRef } from '../documents/identity';
import { hrefOf } from '../router';
import { failureMessage } from './home-index';
import { restoreTrashed } from './trash-actions';

/**
 * The note a list shows after a delete: what went to the trash, with Undo (a restore, so it takes
 * back the delete and nothing anyone did since). `moved` is called with the entry once it is there.
 */
export function useMovedToTrash(home: VolumeRef): { moved: (trashId: string, name: string) => void; note: ComponentChildren } {
  const rooms = useRooms();
  const [last, setLast] = useState<{ trashId: string; name: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const moved = (trashId: string, name: string) => {
    setProblem(null);
    setLast({ trashId, name });
  };
  const undo = (trashId: string) =>
    void restoreTrashed(rooms, home, trashId).then(
      (result) => {
        setLast(null);
        setProblem(result.ok ? null : `The delete could not be undone: ${result.error}`);
      },
      (e: unknown) => setProblem(failureMessage('Undoing the delete', e)),
    );
  if (problem) {
    return {
      moved,
      note: (
        <p class="panel-error" role="alert" data-testid="undo-delete-failure">
          {problem}
        </p>
      ),
    };
  }
  if (!last) return { moved, note: null };
  return {
    moved,
    note: (
      <p class="note" role="status" data-testid="moved-to-trash">
        “{last.name}” is in the <a href={hrefOf.trash()}>trash</a>.{' '}
        <button type="button" class="link" data-testid="undo-delete" onClick={() => undo(last.trashId)}>
          Undo
        </button>{' '}
        <button type="button" class="link" onClick={() => setLast(null)}>
          Dismiss
        </button>
      </p>
    ),
  };
}
