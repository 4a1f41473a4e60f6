import { diffArrays, diffLines, structuredPatch } from 'diff';
import type * as Y from 'yjs';
import { readMessages } from '../documents/session';
import { readWorkflowGraph, readWorkflowMeta, readWorkflowNotes } from '../documents/workflow';
import { roomRoots, type RoomKind } from './room-roots';
import type { NamedItem, SkillVersionContent, VersionChanges } from './version';
import { sameValue } from './y-value';

/** Whether two documents of a kind of room hold the same content, whatever their Yjs histories. */
export function sameContent(kind: RoomKind, a: Y.Doc, b: Y.Doc): boolean {
  const theirs = new Map(roomRoots(b, kind));
  return roomRoots(a, kind).every(([name, root]) => sameValue(root, theirs.get(name)));
}

/** Whether two skill contents are equal: the same Markdown and the same files (in any order). */
export function sameSkillContent(a: SkillVersionContent | null, b: SkillVersionContent | null): boolean {
  if (a === null || b === null) return a === b;
  return a.markdown === b.markdown && sameValue(a.files, b.files);
}

/** What changed in a workflow or session room from `before` (null for its first version) to `after`. */
export function roomChanges(kind: RoomKind, before: Y.Doc | null, after: Y.Doc): VersionChanges {
  return kind === 'workflow' ? workflowChanges(before, after) : sessionChanges(before, after);
}

/** Items keyed by id, split into added, removed and changed (present in both, not equal). */
function byId<T extends { id: string }>(before: T[], after: T[]): { added: T[]; removed: T[]; changed: T[] } {
  const old = new Map(before.map((x) => [x.id, x]));
  const now = new Set(after.map((x) => x.id));
  return {
    added: after.filter((x) => !old.has(x.id)),
    removed: before.filter((x) => !now.has(x.id)),
    changed: after.filter((x) => old.has(x.id) && !sameValue(old.get(x.id), x)),
  };
}

const counts = <T>(split: { added: T[]; removed: T[]; changed: T[] }) => ({
  added: split.added.length,
  removed: split.removed.length,
  changed: split.changed.length,
});

function workflowChanges(before: Y.Doc | null, after: Y.Doc): VersionChanges {
  const was = before ? readWorkflowGraph(before) : { nodes: [], edges: [] };
  const is = readWorkflowGraph(after);
  const nodes = byId(was.nodes, is.nodes);
  const named = (list: typeof is.nodes): NamedItem[] => list.map((n) => ({ id: n.id, label: n.label || n.skillId }));
  const metaBefore = before ? readWorkflowMeta(before) : { name: '', description: '' };
  const metaAfter = readWorkflowMeta(after);
  return {
    kind: 'graph',
    nodes: { added: named(nodes.added), removed: named(nodes.removed), changed: named(nodes.changed) },
    edges: counts(byId(was.edges, is.edges)),
    meta: metaBefore.name !== metaAfter.name || metaBefore.description !== metaAfter.description,
    notes: counts(byId(before ? readWorkflowNotes(before) : [], readWorkflowNotes(after))),
  };
}

function sessionChanges(before: Y.Doc | null, after: Y.Doc): VersionChanges {
  const parts = diffArrays(before ? readMessages(before) : [], readMessages(after), { comparator: sameValue });
  const out = { added: 0, removed: 0, changed: 0 };
  // A run of removed messages facing a run of added ones is that many changed messages (an
  // answer that streamed on, an edited message), the rest added or removed.
  for (let i = 0; i < parts.length; i++) {
    let removed = 0;
    let added = 0;
    for (; i < parts.length && (parts[i]!.added || parts[i]!.removed); i++) {
      if (parts[i]!.added) added += parts[i]!.count;
      else removed += parts[i]!.count;
    }
    const changed = Math.min(removed, added);
    out.changed += changed;
    out.removed += removed - changed;
    out.added += added - changed;
  }
  return { kind: 'messages', ...out };
}

/** Lines added and removed from one text to another. */
function lineCounts(a: string, b: string): { added: number; removed: number } {
  const out = { added: 0, removed: 0 };
  if (a === b) return out;
  for (const part of diffLines(a, b)) {
    if (part.added) out.added += part.count;
    else if (part.removed) out.removed += part.count;
  }
  return out;
}

/** What changed in a skill from `before` (null for its first version) to `after`: lines of its Markdown, and its files. */
export function skillChanges(before: SkillVersionContent | null, after: SkillVersionContent): VersionChanges {
  const old = before?.files ?? {};
  const paths = Object.keys(after.files);
  return {
    kind: 'text',
    ...lineCounts(before?.markdown ?? '', after.markdown),
    // Standard base64 is canonical: equal bytes, equal text.
    files: {
      added: paths.filter((p) => !Object.hasOwn(old, p)).length,
      removed: Object.keys(old).filter((p) => !Object.hasOwn(after.files, p)).length,
      changed: paths.filter((p) => Object.hasOwn(old, p) && old[p] !== after.files[p]).length,
    },
  };
}

/** One line of a text diff: kept, added or removed. */
export interface DiffLine {
  op: 'same' | 'added' | 'removed';
  text: string;
  /** The line ends its text without a newline (so "c" and "c\n" show as two different lines). */
  noNewline?: true;
}

/** A run of changed lines with the unchanged lines around it, numbered from 1 in each text. */
export interface LineHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: DiffLine[];
}

const OPS: Record<string, DiffLine['op']> = { ' ': 'same', '+': 'added', '-': 'removed' };

/** The hunks of a line diff from `a` to `b`, with `context` unchanged lines around each change (for the UI). */
export function lineDiff(a: string, b: string, context = 3): LineHunk[] {
  if (a === b) return [];
  return structuredPatch('', '', a, b, undefined, undefined, { context }).hunks.map((h) => ({
    oldStart: h.oldStart,
    oldLines: h.oldLines,
    newStart: h.newStart,
    newLines: h.newLines,
    lines: h.lines.reduce<DiffLine[]>((out, line) => {
      const op = OPS[line[0] ?? ''];
      if (op) out.push({ op, text: line.slice(1) });
      // "\ No newline at end of file" is patch syntax about the line before, not a line of either text.
      else if (out.length > 0) out[out.length - 1]!.noNewline = true;
      return out;
    }, []),
  }));
}
