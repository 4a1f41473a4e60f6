import { useEffect, useMemo, useState } from 'preact/hooks';
import { readWorkflowGraph, readWorkflowMeta, type WorkflowGraph } from '../../../shared/src/documents/workflow';
import { parseRoomName } from '../../../shared/src/rooms';
import type { EditedPorts } from '../../../shared/src/skill/compound-edit';
import { WorkflowCanvas } from '../canvas/workflow-canvas';
import type { Catalog } from '../documents/catalog';
import { useDocValue, useIdentity, useRoom, useRooms } from '../documents/hooks';
import { linkOnly, roomMode } from '../documents/identity';
import { useTrashEntry } from '../panels/trash-entry';
import type { Route } from '../router';
import './compound-open.css';
import { draftChanged, readDraft, seedDraft, setDraftPorts } from './compound-draft';
import { plannedSave, saveCompound, type SaveLevel } from './compound-save';
import { hashUp, leaveCompound } from './open-route';
import { useOpenChain, type OpenLevel } from './open-chain';
import { PortsPanel } from './ports-panel';

type WorkflowRoute = Extract<Route, { view: 'workflow' }>;

const EMPTY: WorkflowGraph = { nodes: [], edges: [] };

/** The canvas route of a draft room (the same canvas a workflow has). */
function draftRoute(room: string): WorkflowRoute {
  const parsed = parseRoomName(room);
  if (!parsed.ok || parsed.value.kind !== 'workflow') throw new Error(`not a workflow room: ${room}`);
  return { view: 'workflow', room, volume: parsed.value.volume, volumeId: parsed.value.volumeId, id: parsed.value.id };
}

/**
 * An open compound node: a breadcrumb back to the workflow (and the compounds around this one),
 * the compound's inside on the workflow canvas, its ports beside it, and Save. Drawn over the
 * workflow's own canvas, which stays as it was underneath, so going back finds it at the same
 * viewport, selection and run results.
 */
export function CompoundView({ route, catalog }: { route: WorkflowRoute; catalog: Catalog }) {
  const identity = useIdentity();
  const [generation, setGeneration] = useState(0);
  // What the last save did, and at which open node; kept here, since a copy's save opens the chain again.
  const [saved, setSaved] = useState<{ at: string; message: string } | null>(null);
  const chain = useOpenChain(route.room, route.open ?? [], catalog, linkOnly(identity) ? null : identity.userId, generation);
  const outer = useRoom(route.room);
  const workflowName = useDocValue(outer?.doc, readWorkflowMeta, null)?.name || 'Untitled workflow';
  const levels = chain.state === 'open' ? chain.levels : [];
  const depth = route.open?.length ?? 0;
  const at = route.open?.join('/') ?? '';
  const crumbs = [workflowName, ...levels.map((l) => l.title)];
  // Escape goes up a level from anywhere but a field; what Escape closes first (a search, a
  // dialog, the canvas's own handling) marks the key as used.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const at = e.target as HTMLElement | null;
      if (e.key !== 'Escape' || e.defaultPrevented || (at && (at.closest('input, textarea, select') || at.isContentEditable))) return;
      if (leaveCompound()) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div class="compound-view" data-testid="compound-view">
      <nav class="compound-bar" aria-label="Where you are">
        <ol class="compound-crumbs" data-testid="compound-breadcrumb">
          {crumbs.map((title, i) => (
            <li key={i}>
              {i < crumbs.length - 1 ? (
                <a href={hashUp(location.hash, depth - i)} data-testid={`compound-crumb-${i}`} title={i === 0 ? 'Back to the workflow (Escape goes up one level)' : 'Back to this compound'}>
                  {title}
                </a>
              ) : (
                <strong data-testid={`compound-crumb-${i}`}>{title}</strong>
              )}
            </li>
          ))}
        </ol>
        {chain.state === 'open' && levels.length > 0 && (
          <SaveBar
            level={levels[levels.length - 1] as OpenLevel}
            catalog={catalog}
            saved={saved?.at === at ? saved.message : null}
            onSaved={(message, copied) => {
              setSaved({ at, message });
              if (copied) setGeneration((g) => g + 1);
            }}
          />
        )}
      </nav>
      {chain.state === 'opening' && <div class="empty">Opening the compound…</div>}
      {chain.state === 'failed' && (
        <div class="empty" role="alert" data-testid="compound-failed">
          {chain.message}
        </div>
      )}
      {chain.state === 'open' && levels.length > 0 && <Inside key={(levels[levels.length - 1] as OpenLevel).draft.name} level={levels[levels.length - 1] as OpenLevel} catalog={catalog} />}
    </div>
  );
}

/** The draft's canvas and ports panel. */
function Inside({ level, catalog }: { level: OpenLevel; catalog: Catalog }) {
  const doc = level.draft.doc;
  const graph = useDocValue(doc, readWorkflowGraph, EMPTY);
  const draft = useDocValue(doc, readDraft, undefined);
  const route = useMemo(() => draftRoute(level.draft.name), [level.draft.name]);
  return (
    <div class="compound-body">
      <div class="compound-canvas">
        <WorkflowCanvas route={route} catalog={catalog} />
      </div>
      {draft && <PortsPanel graph={graph} ports={draft.ports} lookup={catalog.lookup} editable onChange={(ports: EditedPorts) => setDraftPorts(doc, ports)} />}
    </div>
  );
}

/** Save (or "Save as my copy"), Discard, what blocks a save and what the last one did. */
function SaveBar(props: { level: OpenLevel; catalog: Catalog; saved: string | null; onSaved: (message: string, copied: boolean) => void }) {
  const { level, catalog, saved } = props;
  const rooms = useRooms();
  const identity = useIdentity();
  const doc = level.draft.doc;
  const graph = useDocValue(doc, readWorkflowGraph, EMPTY);
  const draft = useDocValue(doc, readDraft, undefined);
  const [saving, setSaving] = useState(false);
  const entry = catalog.entry(level.skillId);
  const changed = useMemo(() => draftChanged(doc), [doc, graph, draft]);
  const saveLevel: SaveLevel = { draft: doc, parentRoom: level.parent.name, nodeId: level.nodeId, skillId: level.skillId };
  const plan = useMemo(() => plannedSave(saveLevel, catalog, identity), [graph, draft, catalog, identity]);
  // A draft without changes follows the skill when it is saved elsewhere.
  useEffect(() => {
    const skill = entry?.skill;
    if (draft && entry && skill?.kind === 'compound' && draft.base !== entry.source && !draftChanged(doc)) seedDraft(doc, skill, entry.source);
  }, [entry?.source, draft?.base]);
  const copy = 'target' in plan && plan.target.kind === 'copy';
  const stale = draft !== undefined && entry !== undefined && draft.base !== entry.source && changed;
  const parent = useMemo(() => draftRoute(level.parent.name), [level.parent.name]);
  // A workflow in the trash is read-only (web/src/panels/trash-entry.ts): no save lands in it.
  const parentTrashed = useTrashEntry(parent, 'workflow', parent.id) !== null;
  const parentReadOnly = roomMode(level.parent.name, identity) === 'read' || parentTrashed;
  const blocked = plan.problems.length > 0 || saving || parentReadOnly || (!changed && !copy);
  const save = async () => {
    setSaving(true);
    try {
      const outcome = await saveCompound(rooms, saveLevel, catalog, identity);
      if (!outcome.ok) return;
      props.onSaved(
        outcome.copied ? `Saved as your copy "${outcome.skillId}" (version ${outcome.version}); this node now uses it.` : `Saved version ${outcome.version}; every node of this skill follows.`,
        outcome.copied,
      );
    } finally {
      setSaving(false);
    }
  };
  return (
    <div class="compound-save">
      {changed && <span class="compound-unsaved" data-testid="compound-unsaved" title="Your changes are kept as a draft until you save or discard them, even if you leave.">Unsaved changes (kept as a draft)</span>}
      {!changed && saved && <span class="muted" data-testid="compound-saved">{saved}</span>}
      {changed && entry?.skill?.kind === 'compound' && (
        <button type="button" class="small" data-testid="compound-discard" title="Throw away the draft and show the skill as saved" onClick={() => entry.skill?.kind === 'compound' && seedDraft(doc, entry.skill, entry.source)}>
          Discard
        </button>
      )}
      <button
        type="button"
        class="primary"
        data-testid="compound-save"
        disabled={blocked}
        onClick={() => void save()}
        title={copy ? 'You cannot change this skill where it lives: save it to your own volume as a copy, used by this node' : 'Save the skill with its version bumped; every node of it follows'}
      >
        {copy ? 'Save as my copy' : 'Save'}
      </button>
      {(plan.problems.length > 0 || stale) && (
        <ul class="compound-problems" role="alert" data-testid="compound-problems">
          {stale && <li>This skill was saved elsewhere since your draft began; saving replaces that version. Discard to start from it.</li>}
          {plan.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
