import * as Y from 'yjs';
import { edgesOf, nodesOf, putEdge, readWorkflowGraph } from '../../../shared/src/documents/workflow';
import { putSkillSource } from '../../../shared/src/documents/volume-index';
import { volumeRoom } from '../../../shared/src/rooms';
import { editProblems, followRenames, followRenamesInPorts, insideOf, portRenames, rewriteCompoundSource, type PortRenames } from '../../../shared/src/skill/compound-edit';
import type { Catalog, CatalogEntry } from '../documents/catalog';
import { homeVolume, linkOnly, readClaims, type Identity, type VolumeRef } from '../documents/identity';
import type { RoomSet } from '../documents/rooms';
import { freeSkillId } from '../panels/skill-save';
import { dropDraft, markDraftSaved, readDraft, setDraftPorts } from './compound-draft';

/** Where a save goes: the skill's own volume, or (when the person may not write it) a copy in theirs. */
export type SaveTarget = { kind: 'same'; volume: VolumeRef } | { kind: 'copy'; volume: VolumeRef };

/** Their own volume, and a team's when they administer it; the system volume never (DESIGN §7). */
export function saveTarget(entry: CatalogEntry, identity: Identity): SaveTarget {
  const { volume, volumeId } = entry.volume;
  if (volume === 'user' && volumeId === identity.userId && !linkOnly(identity)) return { kind: 'same', volume: entry.volume };
  const admin = identity.token ? readClaims(identity.token)?.team_admin : undefined;
  if (volume === 'team' && Array.isArray(admin) && admin.includes(volumeId)) return { kind: 'same', volume: entry.volume };
  return { kind: 'copy', volume: homeVolume(identity) };
}

/** The open compound being saved: its draft, and the document holding the node it was opened from. */
export interface SaveLevel {
  draft: Y.Doc;
  /** The room of the workflow (or enclosing compound's draft) whose node was opened. */
  parentRoom: string;
  nodeId: string;
  skillId: string;
}

/** What a save did, or why it did not. */
export type SaveOutcome = { ok: true; skillId: string; version: string; copied: boolean } | { ok: false; problems: string[] };

/** The Markdown the draft would be saved as, and what keeps it from being saved. */
export function plannedSave(level: SaveLevel, catalog: Catalog, identity: Identity): { markdown: string; skillId: string; target: SaveTarget; problems: string[] } | { problems: string[] } {
  const entry = catalog.entry(level.skillId);
  const draft = readDraft(level.draft);
  if (!entry || !draft) return { problems: [`Skill "${level.skillId}" is not in your library any more; nothing to save it to.`] };
  const target = saveTarget(entry, identity);
  const copy = target.kind === 'copy' ? { skillId: freeSkillId(`${level.skillId}-copy`, new Set(catalog.entries.map((e) => e.skillId))), name: `${entry.skill?.frontmatter.name ?? level.skillId} (my copy)` } : {};
  const skillId = copy.skillId ?? level.skillId;
  const markdown = rewriteCompoundSource(entry.source, { inside: insideOf(readWorkflowGraph(level.draft), draft.ports), ports: draft.ports, ...copy });
  return { markdown, skillId, target, problems: editProblems(markdown, skillId, catalog.lookup, catalog.compound) };
}

/**
 * Saves the draft: the skill file to its volume (or a copy to the person's own, which the opened
 * node then uses), then, in the workflow the node was opened from, the edges and literals on
 * renamed ports (and an enclosing draft's mappings onto them). The skill and the workflow are two
 * documents, so these are two transactions, made one after the other in the same moment.
 * Instances in workflows not open here keep the old port names and show the usual unknown-port
 * problem until rewired.
 */
export async function saveCompound(rooms: RoomSet, level: SaveLevel, catalog: Catalog, identity: Identity): Promise<SaveOutcome> {
  const plan = plannedSave(level, catalog, identity);
  if (!('markdown' in plan)) return { ok: false, problems: plan.problems };
  if (plan.problems.length > 0) return { ok: false, problems: plan.problems };
  const draft = readDraft(level.draft);
  const renames = draft ? portRenames(draft.ports) : { inputs: new Map(), outputs: new Map() };
  await rooms.edit(volumeRoom(plan.target.volume.volume, plan.target.volume.volumeId), (doc) => putSkillSource(doc, plan.skillId, plan.markdown));
  await rooms.edit(level.parentRoom, (doc) => {
    if (plan.target.kind === 'copy') nodesOf(doc).get(level.nodeId)?.set('skillId', plan.skillId);
    followInWorkflow(doc, plan.skillId, plan.target.kind === 'copy' ? new Set([level.nodeId]) : undefined, renames);
  });
  if (plan.target.kind === 'copy') dropDraft(level.draft);
  else markDraftSaved(level.draft, plan.markdown);
  const version = /^version:\s*(.+)$/m.exec(plan.markdown)?.[1]?.trim() ?? '';
  return { ok: true, skillId: plan.skillId, version, copied: plan.target.kind === 'copy' };
}

/** Renamed ports followed in one workflow document (only `only`'s nodes, when given). */
function followInWorkflow(doc: Y.Doc, skillId: string, only: ReadonlySet<string> | undefined, renames: PortRenames): void {
  const full = readWorkflowGraph(doc);
  const graph = only ? { ...full, nodes: full.nodes.filter((n) => only.has(n.id)) } : full;
  const followed = followRenames(graph, skillId, renames);
  for (const edge of followed.edges) if (edgesOf(doc).has(edge.id)) putEdge(doc, edge);
  for (const { node, from, to } of followed.literals) {
    const inputs = nodesOf(doc).get(node)?.get('inputs');
    if (!(inputs instanceof Y.Map)) continue;
    inputs.set(to, inputs.get(from));
    inputs.delete(from);
  }
  // The node opened from an enclosing compound's draft: that draft's own ports follow too.
  const enclosing = readDraft(doc);
  if (enclosing) setDraftPorts(doc, followRenamesInPorts(enclosing.ports, new Set(graph.nodes.filter((n) => n.skillId === skillId).map((n) => n.id)), renames));
}
