import { useReactFlow, type FinalConnectionState, type InternalNode } from '@xyflow/react';
import type { RefObject } from 'preact';
import { lazy, Suspense } from 'preact/compat';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import { readWorkflowGraph } from '../../../shared/src/documents/workflow';
import type { NodeSkillFrontmatter } from '../../../shared/src/workflow/validate';
import type { PortConnection } from '../../../shared/src/workflow/connection';
import { afterFirstPaint } from '../documents/after-first-paint';
import type { Catalog } from '../documents/catalog';
import { addSkillNode, connect } from './flow-binding';
import type { SearchFromPort } from './node-search';
import { NODE_WIDTH } from './skill-node';

// The search and the port choices (ranking, the query parser, the pickers) load after the canvas
// has drawn, out of the JavaScript the first render waits for; fetched ahead so that the first
// `/` finds them at hand.
const loadSearch = () => import('./node-search');
const loadConnector = () => import('./port-connector');
const NodeSearch = lazy(() => loadSearch().then((m) => ({ default: m.NodeSearch })));
const PortConnector = lazy(() => loadConnector().then((m) => ({ default: m.PortConnector })));

/**
 * A point on the canvas: where the picker shows (in the canvas box, whose size keeps the picker
 * inside it) and where the node goes (in the flow). Measured once, when a picker opens: reading
 * the box's size at every render would lay out every node again, each frame of a drag.
 */
interface Spot {
  box: { x: number; y: number };
  bounds: { width: number; height: number };
  flow: { x: number; y: number };
}

/** The port a connection was dragged from and dropped in empty space. */
interface DraggedFrom extends SearchFromPort {
  nodeId: string;
}

/** The room left between a node and the next one added from the keyboard. */
const NODE_GAP = 60;

type Picker = { kind: 'search'; at: Spot; from?: DraggedFrom } | { kind: 'connect'; at: Spot; nodeId: string };

/** What the canvas lends to node adding: its document, skills and how it records and says things. */
export interface NodeAddingDeps {
  doc: Y.Doc | undefined;
  catalog: Catalog;
  flowBox: RefObject<HTMLDivElement | null>;
  /** Starts an undo step of its own. */
  step(): void;
  /** Selects the node just added, as the canvas's own selection. */
  select(ids: string[]): void;
  notify(message: string): void;
  /** Gives the keyboard back to the canvas once a picker closes. */
  refocus(): void;
}

/**
 * Adding nodes where the person points, and connecting from the keyboard: the node search opened
 * at a point (double-click, `/`, a connection dropped in empty space) and the port choices of the
 * selected node. Returns what opens them and the picker to draw over the canvas.
 */
export function useNodeAdding(deps: NodeAddingDeps) {
  const { doc, catalog, flowBox, step, select, notify, refocus } = deps;
  const flow = useReactFlow();
  const [picker, setPicker] = useState<Picker | null>(null);
  useEffect(() => afterFirstPaint(() => void Promise.all([loadSearch(), loadConnector()])), []);

  const spotAt = useCallback(
    (clientX: number, clientY: number): Spot => {
      const rect = flowBox.current?.getBoundingClientRect();
      return {
        box: { x: clientX - (rect?.left ?? 0), y: clientY - (rect?.top ?? 0) },
        bounds: { width: rect?.width ?? 0, height: rect?.height ?? 0 },
        flow: flow.screenToFlowPosition({ x: clientX, y: clientY }),
      };
    },
    [flow, flowBox],
  );

  /**
   * Opens the node search at a point of the screen; without one (from the keyboard), right of
   * the node `beside` so that nodes added one after another form a row, or in the canvas's middle.
   */
  const openSearch = useCallback(
    (client?: { x: number; y: number }, beside?: string) => {
      const rect = flowBox.current?.getBoundingClientRect();
      const node = beside === undefined ? undefined : flow.getNode(beside);
      const point =
        client ??
        (node
          ? flow.flowToScreenPosition({ x: node.position.x + (node.measured?.width ?? NODE_WIDTH) + NODE_GAP, y: node.position.y })
          : { x: (rect?.left ?? 0) + (rect?.width ?? 0) / 3, y: (rect?.top ?? 0) + (rect?.height ?? 0) / 3 });
      setPicker({ kind: 'search', at: spotAt(point.x, point.y) });
    },
    [flow, flowBox, spotAt],
  );

  /** Opens the choice of an output of a node, then of the input it feeds. */
  const openConnector = useCallback(
    (nodeId: string) => {
      const node = flow.getNode(nodeId);
      if (!node) return;
      const screen = flow.flowToScreenPosition({ x: node.position.x + (node.measured?.width ?? 0), y: node.position.y });
      setPicker({ kind: 'connect', at: spotAt(screen.x + 12, screen.y), nodeId });
    },
    [flow, spotAt],
  );

  /** A connection dropped in empty space opens the search for a node that fits its port. */
  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, state: FinalConnectionState<InternalNode>) => {
      if (state.toHandle || !state.fromNode || !state.fromHandle?.id) return;
      const point = 'changedTouches' in event ? event.changedTouches[0] : event;
      if (!point) return;
      // Dropped on a node but on no port: a miss, not a request for a new node.
      if (!document.elementFromPoint(point.clientX, point.clientY)?.closest('.react-flow__pane')) return;
      const fromId = state.fromNode.id;
      const skillId = doc && readWorkflowGraph(doc).nodes.find((n) => n.id === fromId)?.skillId;
      const skill = skillId === undefined ? undefined : catalog.lookup(skillId);
      const fromOutput = state.fromHandle.type === 'source';
      const port = (fromOutput ? skill?.outputs : skill?.inputs)?.find((p) => p.name === state.fromHandle?.id);
      if (!port) return;
      setPicker({
        kind: 'search',
        at: spotAt(point.clientX, point.clientY),
        from: { nodeId: fromId, port: port.name, need: { side: fromOutput ? 'input' : 'output', type: port.type } },
      });
    },
    [doc, catalog, spotAt],
  );

  const close = useCallback(() => {
    setPicker(null);
    refocus();
  }, [refocus]);

  const add = (at: Spot, from: DraggedFrom | undefined, skill: NodeSkillFrontmatter, port: string | undefined) => {
    if (!doc) return;
    step();
    // A node fed from the left goes right of the drop; one feeding an input to the left of it.
    const position = from?.need.side === 'output' ? { x: at.flow.x - NODE_WIDTH, y: at.flow.y } : at.flow;
    const id = addSkillNode(doc, skill, position);
    if (from && port) {
      const c: PortConnection =
        from.need.side === 'input'
          ? { source: from.nodeId, sourceHandle: from.port, target: id, targetHandle: port }
          : { source: id, sourceHandle: port, target: from.nodeId, targetHandle: from.port };
      const result = connect(doc, readWorkflowGraph(doc), c, catalog.lookup);
      if (!result.ok) notify(`Added, but not connected: ${result.reason}`);
    }
    select([id]);
    close();
  };

  let overlay = null;
  if (picker?.kind === 'search') {
    const { at, from } = picker;
    overlay = (
      <NodeSearch
        at={at.box}
        bounds={at.bounds}
        entries={catalog.entries}
        from={from}
        onAdd={(skill, port) => add(at, from, skill, port)}
        onClose={close}
      />
    );
  } else if (picker?.kind === 'connect' && doc) {
    overlay = (
      <PortConnector
        at={picker.at.box}
        bounds={picker.at.bounds}
        graph={readWorkflowGraph(doc)}
        lookup={catalog.lookup}
        nodeId={picker.nodeId}
        onConnect={(c) => {
          step();
          const result = connect(doc, readWorkflowGraph(doc), c, catalog.lookup);
          if (!result.ok) notify(`Not connected: ${result.reason}`);
          close();
        }}
        onClose={close}
      />
    );
  }
  return { overlay: overlay && <Suspense fallback={null}>{overlay}</Suspense>, picking: picker !== null, openSearch, openConnector, onConnectEnd };
}
