import { useEffect, useRef } from 'preact/hooks';
import type * as Y from 'yjs';
import { trashEntryOf } from '../../../shared/src/documents/trash';
import { listWorkflows, putWorkflowListing } from '../../../shared/src/documents/volume-index';
import { nodesOf, readWorkflowMeta } from '../../../shared/src/documents/workflow';
import { nowIso } from '../../../shared/src/json';
import { ORIGIN } from '../../../shared/src/origins';
import { useDocValue, useRoom, useRoomDeleted } from '../documents/hooks';
import type { Route } from '../router';
import { useHomeIndex } from './home-index';

type WorkflowRoute = Extract<Route, { view: 'workflow' }>;

const hasContent = (doc: Y.Doc): boolean => nodesOf(doc).size > 0 || readWorkflowMeta(doc).name !== '';

/**
 * A workflow of the person's own volume opened by a URL that no list has (a link typed or kept
 * from elsewhere, a workflow made by a script): listed in their workflows as soon as it holds
 * anything, so what they build there is never lost from view; while it is empty, a note says
 * it is not listed yet. A workflow in the trash is not unlisted: it keeps its content there, and
 * listing it again would take its id from the trash entry (its banner offers the restore instead);
 * nor is one deleted for good.
 */
export function UnlistedWorkflow({ route }: { route: WorkflowRoute }) {
  const { home, room: index } = useHomeIndex();
  const room = useRoom(route.room);
  const own = route.volume === home.volume && route.volumeId === home.volumeId;
  // The component is keyed by its room, so route.id is fixed for these readers' lifetime.
  const listed = useDocValue(index?.doc, (doc) => listWorkflows(doc).some((w) => w.id === route.id), true);
  const trashed = useDocValue(index?.doc, (doc) => trashEntryOf(doc, route, 'workflow', route.id) != null, false);
  const content = useDocValue(room?.doc, hasContent, false);
  // useRoom gives a room once its local copy has loaded, so an empty document here is empty.
  // Deleted for good, its content lingers in memory only: listing it would bring it back. The
  // server forgets the trash entry right after closing the room, and the index may say so before
  // the room's close arrives here: a workflow seen in the trash is never listed from this view.
  const deleted = useRoomDeleted(route.room);
  const seenInTrash = useRef(false);
  if (trashed) seenInTrash.current = true;
  const unlisted = own && index !== null && room !== null && !listed && !seenInTrash.current && !deleted;

  useEffect(() => {
    if (!unlisted || !content || !index || !room) return;
    const meta = readWorkflowMeta(room.doc);
    const now = nowIso();
    index.doc.transact(
      () =>
        putWorkflowListing(index.doc, route.id, {
          name: meta.name || 'Untitled workflow',
          description: meta.description,
          created_at: meta.created_at || now,
          updated_at: meta.updated_at || now,
        }),
      ORIGIN.local,
    );
  }, [unlisted, content, index, room, route.id]);

  if (!unlisted || content) return null;
  return (
    <div class="unlisted-note muted" role="status" data-testid="unlisted-workflow">
      This workflow is not in your list yet: it is listed as soon as you add something to it. To start from an example,
      pick a template on the <a href="#/">home page</a>.
    </div>
  );
}
