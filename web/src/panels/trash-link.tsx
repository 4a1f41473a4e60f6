import { listTrash } from '../../../shared/src/documents/trash';
import { useDocValue } from '../documents/hooks';
import { hrefOf, useRoute } from '../router';
import { useHomeIndex } from './home-index';

const countOf = (doc: Parameters<typeof listTrash>[0]) => listTrash(doc).length;

/** The way to the trash from the side panel, with how much the person's own trash holds. */
export function TrashLink() {
  const { room } = useHomeIndex();
  const count = useDocValue(room?.doc, countOf, 0);
  const here = useRoute().view === 'trash';
  return (
    <a class={`trash-link${here ? ' current' : ''}`} href={hrefOf.trash()} data-testid="open-trash" aria-current={here ? 'page' : undefined}>
      Trash{count > 0 && <span class="muted"> ({count})</span>}
    </a>
  );
}
