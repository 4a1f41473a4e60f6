import { diffArrays } from 'diff';
import * as Y from 'yjs';
import { putSkillSource, skillsOf } from '../documents/volume-index';
import { checkSkillFiles, writeSkillFiles } from '../documents/skill-files';
import { filesOfContent } from './content';
import { roomRoots, type RoomKind } from './room-roots';
import type { SkillVersionContent } from './version';
import { spliceText } from './text-splice';
import { cloneValue, sameValue } from './y-value';

/*
 * Restoring a version is a minimal edit of the live document, never a replacement: what is
 * equal is left as the same Yjs items, so a collaborator's concurrent edit to it survives the
 * merge, the update stays small, and undo of the restore (one transaction with the person's
 * origin) brings back exactly what was there.
 */

/**
 * Makes every root the app reads in a workflow or session room deep-equal the version's. The
 * caller gives the origin: `live.transact(() => restoreRoom(live, version, kind), origin)`.
 */
export function restoreRoom(live: Y.Doc, version: Y.Doc, kind: RoomKind): void {
  const wanted = new Map(roomRoots(version, kind));
  live.transact(() => {
    for (const [name, root] of roomRoots(live, kind)) {
      const want = wanted.get(name);
      if (root instanceof Y.Map && want instanceof Y.Map) reconcileMap(root, want);
      else if (root instanceof Y.Array && want instanceof Y.Array) reconcileArray(root, want);
    }
  });
}

/** A skill version that cannot be restored as it stands (its files break today's rules); nothing was written. */
export class SkillRestoreError extends Error {
  override name = 'SkillRestoreError';
}

/**
 * Makes one skill of a volume index hold `content`: its Markdown edited by minimal splice (or
 * created, when the skill is gone from the index) and its files set to exactly the version's.
 * Throws `SkillRestoreError`, writing nothing, when the version's files do not pass `checkSkillFiles`.
 */
export function restoreSkill(indexDoc: Y.Doc, skillId: string, content: SkillVersionContent): void {
  const files = filesOfContent(content);
  // Checked before anything is written: a throw inside the transaction would leave half a restore.
  const checked = checkSkillFiles(files);
  if (!checked.ok) throw new SkillRestoreError(`The version of skill "${skillId}" cannot be restored: ${checked.error.map((e) => e.message).join(' ')}`);
  indexDoc.transact(() => {
    const text = skillsOf(indexDoc).get(skillId);
    if (text instanceof Y.Text) spliceText(text, content.markdown);
    else putSkillSource(indexDoc, skillId, content.markdown);
    writeSkillFiles(indexDoc, skillId, files);
  });
}

/** Edits `live` into `want`: removed keys deleted, changed entries reconciled, equal ones left alone. */
function reconcileMap(live: Y.Map<unknown>, want: Y.Map<unknown>): void {
  for (const key of [...live.keys()]) if (!want.has(key)) live.delete(key);
  for (const [key, value] of want.entries()) {
    const have = live.get(key);
    if (live.has(key) && reconcileInPlace(have, value)) continue;
    live.set(key, cloneValue(value));
  }
}

/**
 * Reconciles `have` into `want` where it stands, when both are the same kind of shared type (or
 * already equal); returns false when `have` must be replaced by a copy of `want`.
 */
function reconcileInPlace(have: unknown, want: unknown): boolean {
  if (have instanceof Y.Map && want instanceof Y.Map) reconcileMap(have, want);
  else if (have instanceof Y.Array && want instanceof Y.Array) reconcileArray(have, want);
  else if (have instanceof Y.Text && want instanceof Y.Text) spliceText(have, want.toString());
  else return sameValue(have, want);
  return true;
}

/**
 * Edits a Y.Array into `want` along the shortest edit script between them: equal items stay; a
 * run of removed items facing a run of added ones is reconciled pairwise in place (a session
 * message whose text changed stays the same Y.Map, which the chat holds by reference); the
 * rest is deleted or inserted.
 */
function reconcileArray(live: Y.Array<unknown>, want: Y.Array<unknown>): void {
  const parts = diffArrays(live.toArray(), want.toArray(), { comparator: sameValue });
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    if (!parts[i]!.added && !parts[i]!.removed) {
      at += parts[i]!.count;
      continue;
    }
    const removed: unknown[] = [];
    const added: unknown[] = [];
    for (; i < parts.length && (parts[i]!.added || parts[i]!.removed); i++) (parts[i]!.added ? added : removed).push(...parts[i]!.value);
    i--;
    const paired = Math.min(removed.length, added.length);
    for (let k = 0; k < paired; k++, at++) {
      if (reconcileInPlace(removed[k], added[k])) continue;
      live.delete(at, 1);
      live.insert(at, [cloneValue(added[k])]);
    }
    if (removed.length > paired) live.delete(at, removed.length - paired);
    if (added.length > paired) {
      live.insert(at, added.slice(paired).map(cloneValue));
      at += added.length - paired;
    }
  }
}
