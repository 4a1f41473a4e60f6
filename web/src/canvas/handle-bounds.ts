import { useStore, useUpdateNodeInternals, type ReactFlowState } from '@xyflow/react';
import { useEffect } from 'preact/hooks';

/**
 * The nodes React Flow has measured but holds no handle positions for, one id a line. React Flow
 * drops a node's handle positions when it is handed a new node object without a measured size: a
 * node added by a collaborator, re-rendered (their selection arriving) before the canvas has
 * recorded the size React Flow just measured. Its size then never changes again, so it is never
 * measured again, and its edges are never drawn.
 */
function unplaced(s: ReactFlowState): string {
  let ids = '';
  for (const node of s.nodeLookup.values()) if (node.measured.width && !node.hidden && !node.internals.handleBounds) ids += `${node.id}\n`;
  return ids;
}

/** Measures the handles of nodes that lost them (see `unplaced`), so their edges are drawn. */
export function useHandlesMeasured(): void {
  const ids = useStore(unplaced);
  const update = useUpdateNodeInternals();
  useEffect(() => {
    if (ids) update(ids.split('\n').filter(Boolean));
  }, [ids, update]);
}
