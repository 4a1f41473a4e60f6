import { Controls, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { useMemo } from 'preact/hooks';
import type * as Y from 'yjs';
import { readWorkflowGraph, readWorkflowNotes } from '../../../shared/src/documents/workflow';
import { WorkflowView } from '../canvas/flow-binding';
import { FLOW_LOOK, FlowBackdrop } from '../canvas/flow-look';
import { NoteDoc, NoteView } from '../canvas/note-binding';
import { CanvasEditable } from '../canvas/skill-node';
import type { Catalog } from '../documents/catalog';

const NONE: ReadonlySet<string> = new Set();
/** A version of one or two nodes is shown at their size, not blown up to fill the canvas. */
const FIT = { maxZoom: 1, padding: 0.1 };

/**
 * A version of a workflow drawn read-only, as the canvas draws the live one: its nodes (with
 * the skills' ports from the catalog), edges and notes. A version never changes, so React Flow
 * keeps the nodes itself (measured sizes included); a new version is a new component.
 */
export function VersionCanvas({ doc, catalog }: { doc: Y.Doc; catalog: Catalog }) {
  const { nodes, edges } = useMemo(() => {
    const graph = readWorkflowGraph(doc);
    const view = new WorkflowView();
    return { nodes: [...new NoteView().nodes(readWorkflowNotes(doc), NONE), ...view.nodes(graph, catalog.lookup, NONE)], edges: view.edges(graph, NONE) };
  }, [doc, catalog]);
  return (
    <ReactFlowProvider>
      <CanvasEditable.Provider value={false}>
        <NoteDoc.Provider value={null}>
          <ReactFlow
            defaultNodes={nodes}
            defaultEdges={edges}
              nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
              fitView
            fitViewOptions={FIT}
            {...FLOW_LOOK}
          >
            <FlowBackdrop />
            <Controls showInteractive={false} />
          </ReactFlow>
        </NoteDoc.Provider>
      </CanvasEditable.Provider>
    </ReactFlowProvider>
  );
}
