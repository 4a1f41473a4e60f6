import { Background, MiniMap } from '@xyflow/react';
import { NoteNode } from './note-node';
import { SkillNode } from './skill-node';

/**
 * How every workflow canvas draws (skill nodes and notes), looks and zooms, live or as a version;
 * Delete is the canvas's own key handling, never React Flow's.
 */
export const FLOW_LOOK = {
  nodeTypes: { skill: SkillNode, note: NoteNode },
  deleteKeyCode: null,
  minZoom: 0.05,
  maxZoom: 2,
  colorMode: 'dark',
  proOptions: { hideAttribution: true },
} as const;

/** The grid and the minimap under a workflow canvas. */
export function FlowBackdrop() {
  return (
    <>
      <Background gap={16} />
      <MiniMap pannable zoomable nodeColor="#334155" maskColor="rgba(15, 23, 42, 0.6)" />
    </>
  );
}
