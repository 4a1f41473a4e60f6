import type { NamedItem, VersionChanges } from './version';

/** How many node names a summary spells out before "and N more". */
const NAMES_SHOWN = 3;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function names(items: NamedItem[]): string {
  const shown = items.slice(0, NAMES_SHOWN).map((n) => n.label || n.id);
  const more = items.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/** Counts of added, removed and changed things as phrases ("2 edges added"), none for zeros. */
function counted(what: { added: number; removed: number; changed: number } | undefined, one: string): string[] {
  if (!what) return [];
  return (['added', 'removed', 'changed'] as const).filter((k) => what[k] > 0).map((k) => `${plural(what[k], one)} ${k}`);
}

/**
 * What changed in a version, in a few words for a version list: "added Square, Offset; removed
 * Print; 2 edges added; renamed", "+12 −3 lines; 1 file added", "2 messages added".
 */
export function summarizeChanges(changes: VersionChanges): string {
  const parts: string[] = [];
  switch (changes.kind) {
    case 'graph':
      for (const k of ['added', 'removed', 'changed'] as const) if (changes.nodes[k].length > 0) parts.push(`${k} ${names(changes.nodes[k])}`);
      parts.push(...counted(changes.edges, 'edge'), ...counted(changes.notes, 'note'));
      if (changes.meta) parts.push('name or description changed');
      break;
    case 'text':
      if (changes.added > 0 || changes.removed > 0) parts.push(`+${changes.added} −${changes.removed} ${changes.added + changes.removed === 1 ? 'line' : 'lines'}`);
      parts.push(...counted(changes.files, 'file'));
      break;
    case 'messages':
      parts.push(...counted(changes, 'message'));
      break;
  }
  return parts.length > 0 ? parts.join('; ') : 'no changes';
}
