import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  getViewportForBounds,
  useReactFlow,
  ViewportPortal,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type Viewport,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { readWorkflowGraph, readWorkflowMeta, type WorkflowGraph } from '../../../shared/src/documents/workflow';
import type { Catalog } from '../documents/catalog';
import { useDocValue, useIdentity, useRoom, useRooms } from '../documents/hooks';
import { roomMode } from '../documents/identity';
import { workflowUndo } from '../documents/undo';
import type { Route } from '../router';
import { ResultsDock } from '../run/results-dock';
import { RunContext } from '../run/run-context';
import { RunSession } from '../run/run-session';
import { RunToolbar } from '../run/run-toolbar';
import { nodeSignatures } from '../run/signatures';
import {
  addSkillNode,
  applyEdgeChanges,
  applyNodeChanges,
  connect,
  copyNodes,
  deleteSelection,
  pasteClip,
  setLiteralInput,
  WorkflowView,
  type Clip,
  type Measured,
} from './flow-binding';
import { usePresence, type Peer } from './presence';
import { CanvasEditable, provideNodeEditing, SkillNode } from './skill-node';

/** How long a dropped skill may take to reach the library (parsed, its volume synced). */
const SKILL_WAIT_MS = 2000;

/** The drag-and-drop type the skill library puts a skill id under. */
export const SKILL_DRAG_TYPE = 'application/x-llmunix-skill';

const nodeTypes = { skill: SkillNode };
const EMPTY: WorkflowGraph = { nodes: [], edges: [] };
let clipboard: Clip | null = null;

type WorkflowRoute = Extract<Route, { view: 'workflow' }>;

/** What the canvas says when someone holding a read share link tries to change the workflow. */
const READ_ONLY_NOTICE = 'This link is read-only: you can view and run this workflow, but not change it.';

/**
 * React Flow changes that only touch this browser's view (selection, measured sizes), never the
 * document: all a read-only canvas passes on.
 */
const viewOnly = (c: NodeChange | EdgeChange) => c.type === 'select' || c.type === 'dimensions';

/** A workflow's canvas: the shared document drawn by React Flow, edited by everyone in the room. */
export function WorkflowCanvas(props: { route: WorkflowRoute; catalog: Catalog }) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}

function Canvas({ route, catalog }: { route: WorkflowRoute; catalog: Catalog }) {
  const room = useRoom(route.room);
  const doc = room?.doc;
  const graph = useDocValue(doc, readWorkflowGraph, EMPTY);
  const meta = useDocValue(doc, readWorkflowMeta, null);
  const [selectedNodes, setSelectedNodes] = useState<Set<string>>(new Set());
  const [selectedEdges, setSelectedEdges] = useState<Set<string>>(new Set());
  const [measured, setMeasured] = useState<Map<string, Measured>>(new Map());
  const [notice, setNotice] = useState<string | null>(null);
  const { peers, setCursor, setSelection } = usePresence(room?.provider);
  // Opened with a read share link: the server refuses every write, so none is offered. The
  // person's presence (cursor, selection) is awareness, which the server still relays.
  const readOnly = roomMode(route.room, useIdentity()) === 'read';
  const flow = useReactFlow();
  const view = useMemo(() => new WorkflowView(), []);
  const pointer = useRef<{ x: number; y: number }>({ x: 0, y: 0 });
  const flowBox = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState<Viewport | null>(null);
  const settled = useFirstContent(room);
  const run = useRunSession(room, graph, catalog, peers);
  // Fit the workflow before React Flow first renders, from the document's positions: the first
  // render is then at its final zoom (compact nodes when far out) instead of a full-size render
  // followed by a fit and a second render.
  useLayoutEffect(() => {
    if (!doc || viewport || !flowBox.current || (graph.nodes.length === 0 && !settled)) return;
    const rect = flowBox.current.getBoundingClientRect();
    setViewport(initialViewport(graph, rect.width, rect.height));
  }, [doc, viewport, graph, settled]);

  // Undo and redo only this person's own edits, never a collaborator's.
  // Undo and redo only this person's own edits (and the assistant's for them), never a
  // collaborator's; the history lives with the document, so it survives leaving the canvas.
  const undo = useMemo(() => (doc ? workflowUndo(doc) : null), [doc]);
  // Yjs merges edits made within half a second into one undo step, which suits a drag; a
  // paste, a delete or a new edge is a step of its own.
  const step = useCallback(() => undo?.stopCapturing(), [undo]);

  useEffect(() => {
    if (!doc) return;
    provideNodeEditing({
      setInput: (nodeId, input, value) => {
        if (readOnly) return;
        step();
        setLiteralInput(doc, nodeId, input, value);
      },
    });
  }, [doc, step, readOnly]);

  useEffect(() => setSelection([...selectedNodes]), [selectedNodes, setSelection]);

  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(null), 6000);
    return () => clearTimeout(t);
  }, [notice]);

  const remote = useMemo(() => peers.map((p) => ({ name: p.name, color: p.color, nodes: p.selection })), [peers]);
  const nodes = useMemo(
    () => view.nodes(graph, catalog.lookup, selectedNodes, remote, measured),
    [view, graph, catalog, selectedNodes, remote, measured],
  );
  const edges = useMemo(() => view.edges(graph, selectedEdges), [view, graph, selectedEdges]);

  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      if (!doc) return;
      const { selection, measured: sizes } = applyNodeChanges(doc, readOnly ? changes.filter(viewOnly) : changes);
      if (selection.length > 0) setSelectedNodes((prev) => applySelection(prev, selection));
      if (sizes.length > 0) {
        setMeasured((prev) => {
          const next = new Map(prev);
          for (const { id, size } of sizes) next.set(id, size);
          return next;
        });
      }
    },
    [doc, readOnly],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      if (!doc) return;
      const selection = applyEdgeChanges(doc, readOnly ? changes.filter(viewOnly) : changes);
      if (selection.length > 0) setSelectedEdges((prev) => applySelection(prev, selection));
    },
    [doc, readOnly],
  );
  const onConnect = useCallback(
    (c: Connection) => {
      if (!doc) return;
      if (readOnly) return setNotice(READ_ONLY_NOTICE);
      step();
      const result = connect(doc, readWorkflowGraph(doc), c, catalog.lookup);
      if (!result.ok) setNotice(`Not connected: ${result.reason}`);
    },
    [doc, catalog, step, readOnly],
  );

  const { whenSkill } = catalog;
  const onDrop = useCallback(
    (event: DragEvent) => {
      event.preventDefault();
      const skillId = event.dataTransfer?.getData(SKILL_DRAG_TYPE);
      if (!doc || !skillId) return;
      if (readOnly) return setNotice(READ_ONLY_NOTICE);
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      void (async () => {
        // A drop in the first moment after start may beat the skill parser or the volume's sync.
        const skill = await whenSkill(skillId, SKILL_WAIT_MS);
        if (!skill) return setNotice(`Skill "${skillId}" is not in your library.`);
        if (skill.kind === 'instruction') {
          return setNotice(`"${skillId}" is an instruction skill: it has nothing to run, so it cannot be a node. The assistant reads it in the chat.`);
        }
        step();
        addSkillNode(doc, skill.frontmatter, at);
      })();
    },
    [doc, flow, step, readOnly, whenSkill],
  );

  const onKeyDown = useCallback(
    (event: KeyboardEvent) => {
      if (!doc || !undo) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable)) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      // Copying and selecting only read; everything else here changes the document.
      if (readOnly && !(mod && (key === 'c' || key === 'a'))) return;
      step();
      if (mod && key === 'z' && !event.shiftKey) undo.undo();
      else if (mod && (key === 'y' || (key === 'z' && event.shiftKey))) undo.redo();
      else if (mod && key === 'c' && selectedNodes.size > 0) clipboard = copyNodes(readWorkflowGraph(doc), selectedNodes);
      else if (mod && key === 'v' && clipboard) {
        const ids = pasteClip(doc, clipboard, { x: 40, y: 40 });
        setSelectedNodes(new Set(ids));
      } else if (mod && key === 'a') setSelectedNodes(new Set(readWorkflowGraph(doc).nodes.map((n) => n.id)));
      else if (key === 'delete' || key === 'backspace') deleteSelection(doc, selectedNodes, selectedEdges);
      else return;
      event.preventDefault();
    },
    [doc, undo, selectedNodes, selectedEdges, readOnly],
  );

  if (!doc) return <div class="empty">Opening workflow…</div>;

  return (
    <div class="canvas" tabIndex={0} onKeyDown={onKeyDown} data-testid="workflow-canvas">
      <div class="canvas-toolbar">
        <strong data-testid="workflow-name">{meta?.name || 'Untitled workflow'}</strong>
        {readOnly && (
          <span class="read-only-room" data-testid="read-only-room" title="You opened this workflow with a read-only share link: you can view it, run it in this browser and show your cursor, but not change it.">
            Read-only link
          </span>
        )}
        <button type="button" onClick={() => undo?.undo()} disabled={!undo || readOnly} data-testid="undo" title="Undo your last edit (Ctrl+Z)">
          Undo
        </button>
        <button type="button" onClick={() => undo?.redo()} disabled={!undo || readOnly} data-testid="redo" title="Redo (Ctrl+Shift+Z)">
          Redo
        </button>
        <RunToolbar session={run} />
        <span class="peers" data-testid="peers">
          {peers.map((p) => (
            <span key={p.clientId} class="peer" style={{ background: p.color }} title={p.name}>
              {p.name}
            </span>
          ))}
        </span>
      </div>
      {notice && (
        <div class="notice" role="alert" data-testid="canvas-notice">
          {notice}
        </div>
      )}
      <div class="canvas-body">
      <div
        class="flow"
        ref={flowBox}
        onDragOver={(e) => {
          e.preventDefault();
          if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
        }}
        onDrop={onDrop}
        onPointerMove={(e) => {
          pointer.current = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
          setCursor(pointer.current);
        }}
        onPointerLeave={() => setCursor(null)}
      >
        {viewport && (
        <RunContext.Provider value={run}>
        <CanvasEditable.Provider value={!readOnly}>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          deleteKeyCode={null}
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          minZoom={0.05}
          maxZoom={2}
          defaultViewport={viewport}
          colorMode="dark"
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={16} />
          <MiniMap pannable zoomable nodeColor="#334155" maskColor="rgba(15, 23, 42, 0.6)" />
          <Controls />
          <ViewportPortal>
            {peers
              .filter((p) => p.cursor)
              .map((p) => (
                <div
                  key={p.clientId}
                  class="remote-cursor"
                  data-testid="remote-cursor"
                  style={{ transform: `translate(${p.cursor?.x ?? 0}px, ${p.cursor?.y ?? 0}px)`, color: p.color }}
                >
                  <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
                    <path d="M0 0 L12 5 L6 7 L4 13 Z" fill="currentColor" />
                  </svg>
                  <span style={{ background: p.color }}>{p.name}</span>
                </div>
              ))}
          </ViewportPortal>
        </ReactFlow>
        </CanvasEditable.Provider>
        </RunContext.Provider>
        )}
      </div>
      <ResultsDock session={run} selected={selectedNodes} />
      </div>
    </div>
  );
}

/**
 * The workflow's run session (web/src/run): created with the room, fed the current workflow and
 * skills, node signatures (for staleness) and collaborators' run states; stopped on close.
 */
function useRunSession(room: ReturnType<typeof useRoom>, graph: WorkflowGraph, catalog: Catalog, peers: Peer[]): RunSession | null {
  const rooms = useRooms();
  const session = useMemo(() => (room ? new RunSession(room.name, rooms, room.provider.awareness) : null), [room, rooms]);
  useEffect(() => () => session?.dispose(), [session]);
  const latest = useRef({ graph, catalog });
  latest.current = { graph, catalog };
  useEffect(() => {
    // Read at the moment of the click, so a run uses exactly what the canvas shows.
    session?.setSource(() => ({ graph: latest.current.graph, entry: (id) => latest.current.catalog.entry(id) }));
  }, [session]);
  const signatures = useMemo(() => nodeSignatures(graph, (id) => catalog.entry(id)?.source), [graph, catalog]);
  useEffect(() => session?.setSignatures(signatures), [session, signatures]);
  useEffect(() => session?.setRemote(peers.filter((p) => Object.keys(p.run).length > 0)), [session, peers]);
  return session;
}

/**
 * Whether a room has had its chance to bring content: the server answered, or (offline, or
 * a server that does not answer) a moment passed. Until then an empty document may just be a
 * first visit still downloading.
 */
function useFirstContent(room: ReturnType<typeof useRoom>): boolean {
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    if (!room) return;
    if (room.provider.synced) return setSettled(true);
    const done = () => setSettled(true);
    room.provider.once('sync', done);
    const timer = setTimeout(done, 1500);
    return () => {
      room.provider.off('sync', done);
      clearTimeout(timer);
    };
  }, [room]);
  return settled;
}

/** Nodes are this wide, and about this tall per port, before React Flow measures them. */
const NODE_WIDTH = 250;
const ROW_HEIGHT = 24;

/** The viewport that shows every node of a graph, from positions and estimated sizes. */
function initialViewport(graph: WorkflowGraph, width: number, height: number): Viewport {
  if (graph.nodes.length === 0 || width === 0 || height === 0) return { x: 0, y: 0, zoom: 1 };
  const xs = graph.nodes.map((n) => n.position.x);
  const ys = graph.nodes.map((n) => n.position.y);
  const bounds = {
    x: Math.min(...xs),
    y: Math.min(...ys),
    width: Math.max(...xs) - Math.min(...xs) + NODE_WIDTH,
    height: Math.max(...ys) - Math.min(...ys) + 10 * ROW_HEIGHT,
  };
  return getViewportForBounds(bounds, width, height, 0.05, 1, 0.1);
}

function applySelection(prev: Set<string>, changes: Array<{ id: string; selected: boolean }>): Set<string> {
  const next = new Set(prev);
  for (const { id, selected } of changes) {
    if (selected) next.add(id);
    else next.delete(id);
  }
  return next;
}
