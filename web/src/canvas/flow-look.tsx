import { Background, MiniMap } from '@xyflow/react';
import { NoteNode } from './note-node';
import { SkillNode } from './skill-node';

/** The node kinds a workflow canvas draws, live or as a version. */
export const nodeTypes = { skill: SkillNode, note: NoteNode };

/** How every workflow canvas looks and zooms, live or as a version. */
export const FLOW_LOOK = { minZoom: 0.05, maxZoom: 2, colorMode: 'dark', proOptions: { hideAttribution: true } } as const;

/** The grid and the minimap under a workflow canvas. */
export function FlowBackdrop() {
  return (
    <>
      <Background gap={16} />
      <MiniMap pannable zoomable nodeColor="#334155" maskColor="rgba(15, 23, 42, 0.6)" />
    </>
  );
}
