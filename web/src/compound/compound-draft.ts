import type * as Y from 'yjs';
import { clearWorkflow, readWorkflowGraph, writeWorkflowGraph, writeWorkflowMeta, type WorkflowGraph } from '../../../shared/src/documents/workflow';
import { ORIGIN } from '../../../shared/src/origins';
import { workflowRoom } from '../../../shared/src/rooms';
import { editedPortsOf, insideOf, type EditedPorts } from '../../../shared/src/skill/compound-edit';
import type { CompoundSkill } from '../../../shared/src/skill/parse';

/*
 * The inside of an open compound node is edited in a draft: a workflow room of its own in the
 * person's volume, seeded from the skill's `inside`. Being a workflow room, the same canvas edits
 * it with everything it does (nodes, edges, literals, node search, drops, undo, runs, a second
 * device), and being a room it survives leaving: unsaved changes stay as a draft until saved or
 * discarded, instead of a question on every way out (the back button included). The room is
 * never listed among the person's workflows. Beside the workflow's maps it holds `compound`: the
 * skill it drafts, the Markdown it was seeded from (`base`), that state as `baseline` (to tell
 * changes), and the ports being edited.
 */

/** One draft per skill and person: opening the skill from another workflow finds the same draft. */
export const draftRoomOf = (userId: string, skillId: string): string => workflowRoom('user', userId, `compound-${skillId.slice(0, 118)}`);

const compoundOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap('compound');

/** What a draft knows about the skill it edits. */
export interface DraftState {
  skillId: string;
  base: string;
  baseline: string;
  ports: EditedPorts;
}

/** The draft's skill, seed and ports, or undefined before it was seeded. */
export function readDraft(doc: Y.Doc): DraftState | undefined {
  const m = compoundOf(doc);
  const skillId = m.get('skillId');
  const base = m.get('base');
  const baseline = m.get('baseline');
  const ports = m.get('ports');
  if (typeof skillId !== 'string' || typeof base !== 'string' || typeof baseline !== 'string' || typeof ports !== 'object' || ports === null) return undefined;
  return { skillId, base, baseline, ports: ports as EditedPorts };
}

/** A draft's graph and ports as one comparable text (nodes and edges in id order). */
export function draftFingerprint(graph: WorkflowGraph, ports: EditedPorts): string {
  const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
  const nodes = byId(graph.nodes).map((n) => ({ ...n, inputs: Object.fromEntries(Object.entries(n.inputs).sort(([a], [b]) => a.localeCompare(b))) }));
  return JSON.stringify(insideOf({ nodes, edges: byId(graph.edges) }, ports));
}

/** Whether the draft differs from what it was seeded or last saved with. */
export function draftChanged(doc: Y.Doc): boolean {
  const draft = readDraft(doc);
  return draft !== undefined && draftFingerprint(readWorkflowGraph(doc), draft.ports) !== draft.baseline;
}

/** Marks the draft's current state as saved: `base` the saved Markdown, every port's origin its name. */
export function markDraftSaved(doc: Y.Doc, base: string): void {
  const draft = readDraft(doc);
  if (!draft) return;
  const ports: EditedPorts = {
    inputs: draft.ports.inputs.map((i) => ({ ...i, origin: i.port.name })),
    outputs: draft.ports.outputs.map((o) => ({ ...o, origin: o.port.name })),
  };
  doc.transact(() => setBase(doc, base, ports), ORIGIN.restore);
}

/** Records what the draft now holds as its saved state: the Markdown it matches and its ports. */
function setBase(doc: Y.Doc, base: string, ports: EditedPorts): void {
  const m = compoundOf(doc);
  m.set('base', base);
  m.set('ports', ports);
  m.set('baseline', draftFingerprint(readWorkflowGraph(doc), ports));
}

/** Starts the draft afresh from the skill as saved (its Markdown `source`). */
export function seedDraft(doc: Y.Doc, skill: CompoundSkill, source: string): void {
  const ports = editedPortsOf(skill);
  // Not an undoable edit: undo in the draft stops where the skill's saved inside begins.
  doc.transact(() => {
    clearWorkflow(doc);
    writeWorkflowMeta(doc, { name: skill.frontmatter.name, description: skill.frontmatter.description });
    writeWorkflowGraph(doc, { nodes: skill.inside.nodes, edges: skill.inside.edges });
    compoundOf(doc).set('skillId', skill.frontmatter.skill_id);
    setBase(doc, source, ports);
  }, ORIGIN.restore);
}

/**
 * Seeds the draft unless it holds unsaved changes of this very skill: a draft of another skill,
 * or one without changes whose skill was saved since (here or elsewhere), starts afresh.
 */
export function prepareDraft(doc: Y.Doc, skill: CompoundSkill, source: string): void {
  const draft = readDraft(doc);
  if (draft && draft.skillId === skill.frontmatter.skill_id && (draft.base === source || draftChanged(doc))) return;
  seedDraft(doc, skill, source);
}

/** Replaces the draft's ports (one edit of the ports panel). */
export function setDraftPorts(doc: Y.Doc, ports: EditedPorts): void {
  doc.transact(() => compoundOf(doc).set('ports', ports), ORIGIN.local);
}

/** Forgets a draft's skill, so that the next opening seeds it again. */
export function dropDraft(doc: Y.Doc): void {
  doc.transact(() => compoundOf(doc).delete('skillId'), ORIGIN.restore);
}
