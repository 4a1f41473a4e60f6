import type { NamedItem, VersionChanges, VersionMeta } from '../../../shared/src/history/version';
import { timeAgo } from '../panels/time-ago';

/** How many node names a line names before it says how many more. */
const NAMED = 3;

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function names(items: readonly NamedItem[]): string {
  const shown = items.slice(0, NAMED).map((i) => i.label || i.id);
  return items.length > NAMED ? `${shown.join(', ')} and ${items.length - NAMED} more` : shown.join(', ');
}

/** What a version changed when its counts are all zero: what the counts leave out changed. */
const NOTHING_LISTED: Record<VersionChanges['kind'], string> = {
  graph: 'moved nodes or edited notes',
  text: 'files beside the text',
  messages: 'session details',
};

/** What a version changed, in one line: "added Square, Offset; 2 edges added". */
export function changesText(changes: VersionChanges): string {
  const parts: string[] = [];
  switch (changes.kind) {
    case 'graph': {
      const { nodes, edges, meta } = changes;
      if (nodes.added.length > 0) parts.push(`added ${names(nodes.added)}`);
      if (nodes.removed.length > 0) parts.push(`removed ${names(nodes.removed)}`);
      if (nodes.changed.length > 0) parts.push(`changed ${names(nodes.changed)}`);
      const edgeParts = [
        edges.added > 0 ? `${edges.added} added` : '',
        edges.removed > 0 ? `${edges.removed} removed` : '',
        edges.changed > 0 ? `${edges.changed} changed` : '',
      ].filter(Boolean);
      if (edgeParts.length > 0) parts.push(`${plural(edges.added + edges.removed + edges.changed, 'edge')} (${edgeParts.join(', ')})`);
      if (meta) parts.push('name or description');
      break;
    }
    case 'text':
      if (changes.added > 0 || changes.removed > 0) parts.push(`${plural(changes.added, 'line')} added, ${changes.removed} removed`);
      break;
    case 'messages':
      if (changes.added > 0) parts.push(`${plural(changes.added, 'message')} added`);
      if (changes.removed > 0) parts.push(`${plural(changes.removed, 'message')} removed`);
      if (changes.changed > 0) parts.push(`${plural(changes.changed, 'message')} changed`);
      break;
  }
  if (parts.length > 0) return parts.join('; ');
  return NOTHING_LISTED[changes.kind];
}

/** Who made a version, the person reading marked: "alice (you), bob". */
export function authorsText(authors: readonly string[], me: string): string {
  if (authors.length === 0) return 'nobody recorded';
  return authors.map((a) => (a === me ? `${a} (you)` : a)).join(', ');
}

/** A version's title: its name, or what kind of version it is. */
export const versionTitle = (meta: Pick<VersionMeta, 'name'>): string => meta.name ?? 'Checkpoint';

/** When a version was taken, relative while recent ("3 minutes ago"), else the date and time. */
export const whenText = (createdAt: string, now: number): string => timeAgo(createdAt, now, { dateAfterADay: true });

/** A version named in a sentence: "before the refactor" in quotes, else "the checkpoint from 3 min ago". */
export const versionPhrase = (meta: Pick<VersionMeta, 'name' | 'created_at'>, now: number): string =>
  meta.name === null ? `the checkpoint from ${whenText(meta.created_at, now)}` : `"${meta.name}" (${whenText(meta.created_at, now)})`;

/**
 * The id of the History's visible "why you cannot name or restore here" text, which disabled
 * Restore buttons point to (aria-describedby): one per page, as one History is open at a time.
 */
export const READ_ONLY_REASON_ID = 'versions-read-only-why';
