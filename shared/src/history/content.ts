import * as Y from 'yjs';
import { readSkillFiles, type SkillFile } from '../documents/skill-files';
import { getSkillSource } from '../documents/volume-index';
import { base64ToBytes, bytesToBase64 } from './base64';
import type { SkillVersionContent } from './version';

/*
 * A version's content as stored (see `SkillVersionContent` in version.ts): a room's whole state
 * as one Yjs update, or one skill's Markdown and files as UTF-8 JSON.
 */

/** A room document's content as a version stores it. */
export const roomContentOf = (doc: Y.Doc): Uint8Array => Y.encodeStateAsUpdate(doc);

/**
 * A fresh document holding a room version's content, to read, preview or restore from; throws
 * a clear error when the bytes are not a Yjs update.
 */
export function roomDocOf(content: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, content);
  } catch (e) {
    doc.destroy();
    throw new Error(`This version's content (${content.byteLength} bytes) is not a Yjs document update: ${(e as Error).message}`, { cause: e });
  }
  // A version holds a whole document: an update that waits on others is a fragment, not one.
  if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
    doc.destroy();
    throw new Error(`This version's content (${content.byteLength} bytes) is part of a Yjs document that depends on changes it does not hold, not a whole document.`);
  }
  return doc;
}

/** One skill's content in a volume index, or null when the index has no such skill. */
export function skillContentOf(indexDoc: Y.Doc, skillId: string): SkillVersionContent | null {
  const markdown = getSkillSource(indexDoc, skillId);
  if (markdown === undefined) return null;
  return { markdown, files: Object.fromEntries(readSkillFiles(indexDoc, skillId).map((f) => [f.path, bytesToBase64(f.bytes)])) };
}

/** A skill version's content as stored. */
export function encodeSkillContent(content: SkillVersionContent): Uint8Array {
  // Paths sorted, so equal contents give equal bytes.
  const files = Object.fromEntries(Object.entries(content.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return new TextEncoder().encode(JSON.stringify({ markdown: content.markdown, files }));
}

/** A stored skill version's content; throws a clear error when the bytes are not one. */
export function decodeSkillContent(bytes: Uint8Array): SkillVersionContent {
  const bad = (why: string, cause?: unknown) => new Error(`This skill version's content (${bytes.byteLength} bytes) ${why}.`, { cause });
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw bad(`is not UTF-8 JSON: ${(e as Error).message}`, e);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw bad('is not a JSON object');
  const { markdown, files } = data as Record<string, unknown>;
  if (typeof markdown !== 'string') throw bad('has no "markdown" string');
  if (files === null || typeof files !== 'object' || Array.isArray(files)) throw bad('has no "files" object');
  const out: Record<string, string> = {};
  for (const [path, b64] of Object.entries(files)) {
    if (typeof b64 !== 'string' || base64ToBytes(b64) === undefined) throw bad(`holds file "${path}" that is not base64`);
    out[path] = b64;
  }
  return { markdown, files: out };
}

/** A skill version's files as bytes, sorted by path. */
export function filesOfContent(content: SkillVersionContent): SkillFile[] {
  return Object.entries(content.files)
    .map(([path, b64]) => {
      const bytes = base64ToBytes(b64);
      if (!bytes) throw new Error(`The skill version's file "${path}" is not base64.`);
      return { path, bytes };
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
