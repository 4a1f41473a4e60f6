import {
  Controls,
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
import { lazy, Suspense } from 'preact/compat';
import './canvas.css';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { readWorkflowGraph, readWorkflowMeta, readWorkflowNotes, type WorkflowGraph, type WorkflowNote } from '../../../shared/src/documents/workflow';
import type { Catalog } from '../documents/catalog';
import { useDocValue, useIdentity, useRoom, useRoomDeleted, useRooms } from '../documents/hooks';
import { roomMode } from '../documents/identity';
import { useTrashEntry } from '../panels/trash-entry';
import { DeletedForGood, TrashedBanner } from '../panels/trashed-banner';
import { workflowUndo } from '../documents/undo';
import type { Route } from '../router';
import { ResultsDock } from '../run/results-dock';
import { RunContext } from '../run/run-context';
import { RunSession } from '../run/run-session';
import { RunToolbar } from '../run/run-toolbar';
import { RunsPanel } from '../run/runs-panel';
import { nodeSignatures, signatureSource } from '../run/signatures';
import {
  addSkillNode,
  applyEdgeChanges,
  applyNodeChanges,
  connect,
  copyNodes,
  deleteSelection,
  moveNodesBy,
  pasteClip,
  renameNode,
  setLiteralInput,
  WorkflowView,
  type Clip,
  type Measured,
  type SkillFlowNode,
} from './flow-binding';
import { SkillBesideSlot } from '../editor/skill-beside-slot';
import { useWorkflowHistory } from '../history/workflow-history';
import { leaveCompound, openCompound } from '../compound/open-route';
import { canvasAction, onlyReads, type CanvasAction } from './canvas-keys';
import { useCompoundActions } from './compound-actions';
import { useHandlesMeasured } from './handle-bounds';
import { nearestNode, type Direction } from './nearest-node';
import { useNodeAdding } from './node-adding';
import { startRenaming } from './node-title';
import { addNote, applyNoteChanges, copyNotes, deleteNotes, NoteDoc, NoteView, pasteNotes } from './note-binding';
import { FLOW_LOOK, FlowBackdrop } from './flow-look';
import { usePresence, type Peer } from './presence';
import { revealNode } from './reveal-node';
import { openSkillBeside } from './skill-beside';
import { CanvasEditable, NODE_WIDTH, provideNodeEditing } from './skill-node';

/** How long a dropped skill may take to reach the library (parsed, its volume synced). */
const SKILL_WAIT_MS = 2000;

/** The drag-and-drop type the skill library puts a skill id under. */
export const SKILL_DRAG_TYPE = 'application/x-llmunix-skill';

const ShortcutsDialog = lazy(() => import('./shortcuts').then((m) => ({ default: m.ShortcutsDialog })));
const EMPTY: WorkflowGraph = { nodes: [], edges: [] };
const NO_NOTES: WorkflowNote[] = [];
let clipboard: Clip | null = null;
let noteClipboard: WorkflowNote[] = [];

type WorkflowRoute = Extract<Route, { view: 'workflow' }>;

/** How to add a node, said by an empty canvas and by the canvas's tooltip. */
const ADD_HINT = 'Double-click the canvas or press / to search skills and add a node.';

/** How far Shift and an arrow key move the selected nodes. */
const NUDGE = 20;
const NUDGES: Record<Direction, { x: number; y: number }> = {
  up: { x: 0, y: -NUDGE },
  down: { x: 0, y: NUDGE },
  left: { x: -NUDGE, y: 0 },
  right: { x: NUDGE, y: 0 },
};

/** What the canvas says when someone holding a read share link tries to change the workflow. */
const READ_ONLY_NOTICE = 'This link is read-only: you can view and run this workflow, but not change it.';
const TRASHED_NOTICE = 'This workflow is in the trash: restore it (above) to change it.';

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
  // Drawn from whichever comes first, this browser's copy or the server's.
  const room = useRoom(route.room, 'shown');
  const doc = room?.doc;
  const graph = useDocValue(doc, readWorkflowGraph, EMPTY);
  const meta = useDocValue(doc, readWorkflowMeta, null);
  const notes = useDocValue(doc, readWorkflowNotes, NO_NOTES);
  const [selectedNodes, setSelectedNodes] = useState<Set<string>>(new Set());
  const [selectedEdges, setSelectedEdges] = useState<Set<string>>(new Set());
  const [measured, setMeasured] = useState<Map<string, Measured>>(new Map());
  const [notice, setNotice] = useState<string | null>(null);
  const { peers, setCursor, setSelection } = usePresence(room?.provider);
  // Opened with a read share link: the server refuses every write, so none is offered. The
  // person's presence (cursor, selection) is awareness, which the server still relays. A workflow
  // in the trash is read-only too until restored: edits to it would appear in no list.
  const linkReadOnly = roomMode(route.room, useIdentity()) === 'read';
  const trashed = useTrashEntry(route, 'workflow', route.id);
  const deleted = useRoomDeleted(route.room);
  const readOnly = linkReadOnly || trashed !== null;
  const readOnlyNotice = trashed ? TRASHED_NOTICE : READ_ONLY_NOTICE;
  const flow = useReactFlow();
  const view = useMemo(() => new WorkflowView(), []);
  const noteView = useMemo(() => new NoteView(), []);
  const pointer = useRef<{ x: number; y: number }>({ x: 0, y: 0 });
  /** Where the pointer is over the canvas, on screen: `/` opens the search there. */
  const pointerOnScreen = useRef<{ x: number; y: number } | null>(null);
  const flowBox = useRef<HTMLDivElement>(null);
  const canvasBox = useRef<HTMLDivElement>(null);
  const [showShortcuts, setShowShortcuts] = useState(false);
  const [showRuns, setShowRuns] = useState(false);
  const [viewport, setViewport] = useState<Viewport | null>(null);
  const settled = useFirstContent(room);
  const run = useRunSession(room, graph, catalog, peers);
  // Fit the workflow before React Flow first renders, from the document's positions: the first
  // render is then at its final zoom (compact nodes when far out) instead of a full-size render
  // followed by a fit and a second render.
  useLayoutEffect(() => {
    if (!doc || viewport || !flowBox.current || (graph.nodes.length === 0 && notes.length === 0 && !settled)) return;
    const rect = flowBox.current.getBoundingClientRect();
    setViewport(initialViewport(graph, notes, rect.width, rect.height));
  }, [doc, viewport, graph, notes, settled]);

  // Undo and redo only this person's own edits, never a collaborator's.
  // Undo and redo only this person's own edits (and the assistant's for them), never a
  // collaborator's; the history lives with the document, so it survives leaving the canvas.
  const undo = useMemo(() => (doc ? workflowUndo(doc) : null), [doc]);
  // Yjs merges edits made within half a second into one undo step, which suits a drag; a
  // paste, a delete or a new edge is a step of its own.
  const step = useCallback(() => undo?.stopCapturing(), [undo]);

  const refocus = useCallback(() => canvasBox.current?.focus(), []);
  useEffect(() => {
    if (!doc) return;
    provideNodeEditing({
      setInput: (nodeId, input, value) => {
        if (readOnly) return;
        step();
        setLiteralInput(doc, nodeId, input, value);
      },
      rename: (nodeId, label) => {
        if (readOnly) return;
        step();
        renameNode(doc, nodeId, label);
      },
      refocus,
    });
  }, [doc, step, readOnly, refocus]);

  const adding = useNodeAdding({
    doc,
    catalog,
    flowBox,
    step,
    select: (ids) => setSelectedNodes(new Set(ids)),
    notify: setNotice,
    refocus,
  });

  useHandlesMeasured();
  const history = useWorkflowHistory({ room: route.room, doc, undo, readOnly: trashed ? 'trash' : linkReadOnly ? 'link' : null, catalog });
  const compound = useCompoundActions({ doc, catalog, graph, selected: selectedNodes, readOnly, undo, select: (ids) => setSelectedNodes(new Set(ids)), notify: setNotice, refocus });

  // The pane (not the nodes over it) says how to add a node when hovered.
  useEffect(() => {
    flowBox.current?.querySelector('.react-flow__pane')?.setAttribute('title', ADD_HINT);
  }, [viewport]);

  useEffect(() => setSelection([...selectedNodes]), [selectedNodes, setSelection]);

  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(null), 6000);
    return () => clearTimeout(t);
  }, [notice]);

  const remote = useMemo(() => peers.map((p) => ({ name: p.name, color: p.color, nodes: p.selection })), [peers]);
  // Notes come first: at equal z-index React Flow draws later nodes on top.
  const nodes = useMemo(
    () => [...noteView.nodes(notes, selectedNodes, measured), ...view.nodes(graph, catalog.lookup, selectedNodes, remote, measured)],
    [view, noteView, notes, graph, catalog, selectedNodes, remote, measured],
  );
  const edges = useMemo(() => view.edges(graph, selectedEdges), [view, graph, selectedEdges]);

  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      if (!doc) return;
      const { selection, measured: sizes } = applyNodeChanges(doc, applyNoteChanges(doc, readOnly ? changes.filter(viewOnly) : changes));
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
      if (readOnly) return setNotice(readOnlyNotice);
      step();
      const result = connect(doc, readWorkflowGraph(doc), c, catalog.lookup);
      if (!result.ok) setNotice(`Not connected: ${result.reason}`);
    },
    [doc, catalog, step, readOnly, readOnlyNotice],
  );

  const { whenSkill } = catalog;
  const onDrop = useCallback(
    (event: DragEvent) => {
      event.preventDefault();
      const skillId = event.dataTransfer?.getData(SKILL_DRAG_TYPE);
      if (!doc || !skillId) return;
      if (readOnly) return setNotice(readOnlyNotice);
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
    [doc, flow, step, readOnly, readOnlyNotice, whenSkill],
  );

  const perform = useCallback(
    (action: CanvasAction): boolean => {
      if (!doc || !undo) return false;
      const graph = readWorkflowGraph(doc);
      const single = selectedNodes.size === 1 ? [...selectedNodes][0] : undefined;
      switch (action.kind) {
        case 'undo':
          undo.undo();
          return true;
        case 'redo':
          undo.redo();
          return true;
        case 'copy':
          if (selectedNodes.size > 0) {
            clipboard = copyNodes(graph, selectedNodes);
            noteClipboard = copyNotes(doc, selectedNodes);
          }
          return true;
        case 'paste':
          if (clipboard) setSelectedNodes(new Set([...pasteClip(doc, clipboard, { x: 40, y: 40 }), ...pasteNotes(doc, noteClipboard, { x: 40, y: 40 })]));
          return true;
        case 'select-all':
          setSelectedNodes(new Set([...graph.nodes, ...readWorkflowNotes(doc)].map((n) => n.id)));
          return true;
        case 'delete':
          deleteSelection(doc, selectedNodes, selectedEdges);
          deleteNotes(doc, selectedNodes);
          return true;
        case 'note':
          addNote(doc, pointer.current);
          return true;
        case 'search':
          adding.openSearch(pointerOnScreen.current ?? undefined, single);
          return true;
        case 'shortcuts':
          setShowShortcuts(true);
          return true;
        case 'connect':
          if (single) adding.openConnector(single);
          return single !== undefined;
        case 'rename':
          if (single) startRenaming(single);
          return single !== undefined;
        case 'run-workflow':
          run?.requestRun();
          return true;
        case 'run-selected':
          if (selectedNodes.size > 0) run?.requestRun([...selectedNodes]);
          return selectedNodes.size > 0;
        case 'select-toward': {
          const from = graph.nodes.find((n) => selectedNodes.has(n.id));
          const next = nearestNode(graph.nodes, from, action.direction);
          if (next) {
            setSelectedNodes(new Set([next]));
            revealNode(flow, flowBox.current, next);
          }
          return true;
        }
        case 'move':
          moveNodesBy(doc, graph, selectedNodes, NUDGES[action.direction]);
          return true;
        case 'open-compound': {
          const opened = single !== undefined && catalog.compound(graph.nodes.find((n) => n.id === single)?.skillId ?? '') !== undefined;
          if (opened) openCompound(single);
          return opened;
        }
        case 'leave-compound':
          return leaveCompound();
        case 'make-skill':
          return compound.makeSkill();
        case 'unpack':
          return compound.unpack();
      }
    },
    [doc, undo, selectedNodes, selectedEdges, adding, run, flow, catalog, compound],
  );

  // Keys are read while they go down to their target, so that an arrow selects the next node
  // here before React Flow's own handler on a focused node moves that node instead.
  const onKeyDown = useCallback(
    (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable)) return;
      // A previewed version covers the canvas: keys would edit a workflow the person cannot see.
      if (adding.picking || showShortcuts || compound.open || history.previewing) return;
      const action = canvasAction(event);
      if (!action || (readOnly && !onlyReads(action))) return;
      if (!onlyReads(action)) step();
      if (!perform(action)) return;
      event.preventDefault();
      event.stopPropagation();
    },
    [adding.picking, showShortcuts, compound.open, history.previewing, readOnly, step, perform],
  );

  if (deleted) return <DeletedForGood />;
  if (!doc) return <div class="empty">Opening workflow…</div>;

  return (
    <div class="canvas" ref={canvasBox} tabIndex={0} onKeyDownCapture={onKeyDown} data-testid="workflow-canvas" data-trashed={trashed !== null}>
      {trashed && <TrashedBanner entry={trashed} volume={route} />}
      <div class="canvas-toolbar">
        <strong data-testid="workflow-name">{meta?.name || 'Untitled workflow'}</strong>
        {linkReadOnly && (
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
        <button
          type="button"
          onClick={() => {
            const box = flowBox.current?.getBoundingClientRect();
            if (!doc || !box) return;
            step();
            addNote(doc, flow.screenToFlowPosition({ x: box.x + box.width / 2, y: box.y + box.height / 2 }));
          }}
          disabled={readOnly}
          data-testid="add-note"
          title="Add a Markdown note to the canvas (N)"
        >
          Note
        </button>
        {compound.toolbar}
        <RunToolbar session={run} />
        <button type="button" onClick={() => setShowRuns((v) => !v)} aria-pressed={showRuns} data-testid="runs-button" title="This workflow’s runs: everyone’s history, and the runs waiting here">
          Runs
        </button>
        {history.button}
        <button type="button" onClick={() => setShowShortcuts(true)} data-testid="shortcuts-button" title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
          ?
        </button>
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
          pointerOnScreen.current = { x: e.clientX, y: e.clientY };
          setCursor(pointer.current);
        }}
        onPointerLeave={() => {
          pointerOnScreen.current = null;
          setCursor(null);
        }}
        onDblClick={(e) => {
          // Only the empty canvas: a double-click on a node opens its skill beside the canvas.
          const on = e.target as Element;
          if (readOnly || !on.closest('.react-flow') || on.closest('.react-flow__node, .react-flow__edge, .react-flow__panel, .canvas-picker, .version-preview')) return;
          adding.openSearch({ x: e.clientX, y: e.clientY });
        }}
      >
        {settled && graph.nodes.length === 0 && !adding.picking && (
          <div class="canvas-empty-hint" data-testid="canvas-empty-hint">
            {readOnly ? (
              'This workflow has no nodes yet.'
            ) : (
              <>
                Double-click anywhere or press <kbd>/</kbd> to search skills and add a node,
                <br />
                or drag one from the Skills tab. <kbd>?</kbd> lists every shortcut.
              </>
            )}
          </div>
        )}
        {adding.overlay}
        {history.overlay}
        {viewport && (
        <RunContext.Provider value={run}>
        <CanvasEditable.Provider value={!readOnly}>
        <NoteDoc.Provider value={doc}>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          onNodeDoubleClick={(e: MouseEvent, node: SkillFlowNode) => node.type === 'skill' && !(e.target as HTMLElement).closest('input, textarea, select') && openSkillBeside(node.data.skillId)}
          onConnectEnd={adding.onConnectEnd}
          zoomOnDoubleClick={false}
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          defaultViewport={viewport}
          {...FLOW_LOOK}
        >
          <FlowBackdrop />
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
        </NoteDoc.Provider>
        </CanvasEditable.Provider>
        </RunContext.Provider>
        )}
      </div>
        {/* One column beside the flow, never over it: the skill being fixed above its results. */}
        <div class="canvas-side">
          {history.side}
          <SkillBesideSlot catalog={catalog} />
          {showRuns && <RunsPanel session={run} room={route.room} doc={doc} readOnly={readOnly} onClose={() => setShowRuns(false)} />}
          <ResultsDock session={run} selected={selectedNodes} />
        </div>
      </div>
      {compound.dialog}
      {showShortcuts && (
        <Suspense fallback={null}>
          <ShortcutsDialog
            onClose={() => {
              setShowShortcuts(false);
              refocus();
            }}
          />
        </Suspense>
      )}
    </div>
  );
}

/**
 * The workflow's run session (web/src/run): created with the room, fed the current workflow and
 * skills, node signatures (for staleness) and collaborators' run states; stopped on close.
 */
/** How long a queued run waits for its skills after the workflow opens (then it runs, and says what is missing). */
const QUEUED_SKILL_WAIT_MS = 15_000;

function useRunSession(room: ReturnType<typeof useRoom>, graph: WorkflowGraph, catalog: Catalog, peers: Peer[]): RunSession | null {
  const rooms = useRooms();
  const session = useMemo(() => (room ? new RunSession(room.name, rooms, room.provider.awareness) : null), [room, rooms]);
  useEffect(() => () => session?.dispose(), [session]);
  const latest = useRef({ graph, catalog });
  latest.current = { graph, catalog };
  useEffect(() => {
    // Read at the moment of the click, so a run uses exactly what the canvas shows.
    session?.setSource(() => ({
      graph: latest.current.graph,
      entry: (id) => latest.current.catalog.entry(id),
      signatures: (other) => nodeSignatures(other, signatureSource(latest.current.catalog.entry)),
      whenReady: async (g) => void (await Promise.all(g.nodes.map((n) => latest.current.catalog.whenSkill(n.skillId, QUEUED_SKILL_WAIT_MS)))),
    }));
  }, [session]);
  // Signatures (what run bars show as stale) follow the drawing and never hold it up: for a
  // 500-node workflow the first are tens of ms of hashing plus a re-render of every run bar, which
  // in the render path delayed the canvas's first draw. Computed after the next frame instead.
  useEffect(() => {
    if (!session) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => session.setSignatures(nodeSignatures(graph, signatureSource(catalog.entry))), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [session, graph, catalog]);
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

/** Nodes are about this tall per port before React Flow measures them. */
const ROW_HEIGHT = 24;

/** The viewport that shows every node of a graph, from positions and estimated sizes. */
function initialViewport(graph: WorkflowGraph, notes: readonly WorkflowNote[], width: number, height: number): Viewport {
  // Every box on the canvas: nodes at their estimated size, notes at their own.
  const boxes = [
    ...graph.nodes.map((n) => ({ ...n.position, width: NODE_WIDTH, height: 10 * ROW_HEIGHT })),
    ...notes.map((n) => ({ ...n.position, ...n.size })),
  ];
  if (boxes.length === 0 || width === 0 || height === 0) return { x: 0, y: 0, zoom: 1 };
  const left = Math.min(...boxes.map((b) => b.x));
  const top = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  return getViewportForBounds({ x: left, y: top, width: right - left, height: bottom - top }, width, height, 0.05, 1, 0.1);
}

function applySelection(prev: Set<string>, changes: Array<{ id: string; selected: boolean }>): Set<string> {
  const next = new Set(prev);
  for (const { id, selected } of changes) {
    if (selected) next.add(id);
    else next.delete(id);
  }
  return next;
}
