import { listTrash } from '../../../shared/src/documents/trash';
import { useDocValue } from '../documents/hooks';
import { hrefOf, useRoute } from '../router';
import { useHomeIndex } from './home-index';

/** The way to the trash from the side panel, with how much the person's own trash holds. */
export function TrashLink() {
  const { home, room } = useHomeIndex();
  // The home volume is fixed for the identity, and the room changes with it.
  const count = useDocValue(room?.doc, (doc) => listTrash(doc, home).length, 0);
  const here = useRoute().view === 'trash';
  return (
    <a class={`trash-link${here ? ' current' : ''}`} href={hrefOf.trash()} data-testid="open-trash" aria-current={here ? 'page' : undefined}>
      Trash{count > 0 && <span class="muted"> ({count})</span>}
    </a>
  );
}
