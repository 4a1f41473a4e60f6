import * as Y from 'yjs';
import { asString } from '../json';
import { replaceText } from './text';
import { SESSION_STATUSES, type SessionStatus } from './session';

/** A session's entry in its volume index (`sessions` map), mirrored from its own room. */
export interface SessionListing {
  id: string;
  name: string;
  status: SessionStatus;
  created_at: string;
  updated_at: string;
}

/** A workflow's entry in its volume index (`workflows` map). */
export interface WorkflowListing {
  id: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}

type ListingFields<T> = Partial<Omit<T, 'id'>>;

const sessionsOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('sessions');
const workflowsOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('workflows');
/** The volume's skills: skill id → Y.Text holding the whole Markdown file, as written. */
export const skillsOf = (doc: Y.Doc): Y.Map<Y.Text> => doc.getMap<Y.Text>('skills');
/** The files of each skill's folder beside its Markdown: skill id → Y.Map path → bytes (`skill-files.ts`). */
export const skillFilesOf = (doc: Y.Doc): Y.Map<Y.Map<Uint8Array>> => doc.getMap<Y.Map<Uint8Array>>('skillFiles');
/** Where each imported skill's Markdown came from (`pdf/SKILL.md`, `x.md`); absent for skills made here. */
export const skillOriginsOf = (doc: Y.Doc): Y.Map<string> => doc.getMap<string>('skillOrigins');

/**
 * The root types of a volume index that hold its skills: written by those who may write skills.
 * `skillTrash` (`trash.ts`) holds deleted skills, so restoring or emptying it is a skill write too.
 */
export const SKILL_ROOTS = ['skills', 'skillFiles', 'skillOrigins', 'skillTrash'] as const;

/**
 * The root types of a volume index only the server writes: `purged` (`trash.ts`), the tombstones
 * of rooms deleted for good. A client that could write them could lock anyone out of a room, or
 * let a stale copy of a purged one back in, so every network client is refused them.
 */
export const SERVER_ROOTS = ['purged'] as const;

function readSession(id: string, m: Y.Map<unknown>): SessionListing {
  const status = m.get('status');
  return {
    id,
    name: asString(m.get('name')),
    status: SESSION_STATUSES.includes(status as SessionStatus) ? (status as SessionStatus) : 'active',
    created_at: asString(m.get('created_at')),
    updated_at: asString(m.get('updated_at')),
  };
}

function readWorkflow(id: string, m: Y.Map<unknown>): WorkflowListing {
  return {
    id,
    name: asString(m.get('name')),
    description: asString(m.get('description')),
    created_at: asString(m.get('created_at')),
    updated_at: asString(m.get('updated_at')),
  };
}

function upsert(map: Y.Map<Y.Map<unknown>>, id: string, fields: Record<string, unknown>): void {
  let entry = map.get(id);
  if (!(entry instanceof Y.Map)) {
    entry = new Y.Map<unknown>();
    map.set(id, entry);
  }
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && entry.get(key) !== value) entry.set(key, value);
  }
}

/** Lists the sessions of a volume index, newest update first. */
export function listSessions(doc: Y.Doc): SessionListing[] {
  const out: SessionListing[] = [];
  sessionsOf(doc).forEach((m, id) => {
    if (m instanceof Y.Map) out.push(readSession(id, m));
  });
  return out.sort((a, b) => b.updated_at.localeCompare(a.updated_at));
}

/** Reads one session listing, or undefined when the index has no such session. */
export function getSessionListing(doc: Y.Doc, id: string): SessionListing | undefined {
  const m = sessionsOf(doc).get(id);
  return m instanceof Y.Map ? readSession(id, m) : undefined;
}

/** Creates or updates a session listing, touching only the fields given. */
export function putSessionListing(doc: Y.Doc, id: string, fields: ListingFields<SessionListing>): void {
  upsert(sessionsOf(doc), id, fields);
}

/** Removes a session from its volume index. */
export function removeSessionListing(doc: Y.Doc, id: string): boolean {
  const map = sessionsOf(doc);
  if (!map.has(id)) return false;
  map.delete(id);
  return true;
}

/** Lists the workflows of a volume index, newest update first. */
export function listWorkflows(doc: Y.Doc): WorkflowListing[] {
  const out: WorkflowListing[] = [];
  workflowsOf(doc).forEach((m, id) => {
    if (m instanceof Y.Map) out.push(readWorkflow(id, m));
  });
  return out.sort((a, b) => b.updated_at.localeCompare(a.updated_at));
}

/** Reads one workflow listing. */
export function getWorkflowListing(doc: Y.Doc, id: string): WorkflowListing | undefined {
  const m = workflowsOf(doc).get(id);
  return m instanceof Y.Map ? readWorkflow(id, m) : undefined;
}

/** Creates or updates a workflow listing. */
export function putWorkflowListing(doc: Y.Doc, id: string, fields: ListingFields<WorkflowListing>): void {
  upsert(workflowsOf(doc), id, fields);
}

/** Removes a workflow from its volume index. */
export function removeWorkflowListing(doc: Y.Doc, id: string): boolean {
  const map = workflowsOf(doc);
  if (!map.has(id)) return false;
  map.delete(id);
  return true;
}

/** The Markdown source of every skill in a volume index, by skill id. */
export function listSkillSources(doc: Y.Doc): Map<string, string> {
  const out = new Map<string, string>();
  skillsOf(doc).forEach((text, id) => {
    if (text instanceof Y.Text) out.set(id, text.toString());
  });
  return out;
}

/** The Markdown source of one skill, or undefined. */
export function getSkillSource(doc: Y.Doc, skillId: string): string | undefined {
  const text = skillsOf(doc).get(skillId);
  return text instanceof Y.Text ? text.toString() : undefined;
}

/** Writes a skill's Markdown, editing the existing text in place when there is one. */
export function putSkillSource(doc: Y.Doc, skillId: string, markdown: string): void {
  const map = skillsOf(doc);
  const existing = map.get(skillId);
  if (existing instanceof Y.Text) {
    replaceText(existing, markdown);
  } else {
    map.set(skillId, new Y.Text(markdown));
  }
}

/** Deletes a skill from a volume index, with its files and origin. */
export function removeSkill(doc: Y.Doc, skillId: string): boolean {
  const map = skillsOf(doc);
  if (!map.has(skillId)) return false;
  doc.transact(() => {
    map.delete(skillId);
    skillFilesOf(doc).delete(skillId);
    skillOriginsOf(doc).delete(skillId);
  });
  return true;
}

/**
 * The mined patterns this person dismissed (`dismissedPatterns` map): canonical pattern key →
 * when (ISO). In the volume index so the choice syncs to their other devices.
 */
const dismissedOf = (doc: Y.Doc): Y.Map<string> => doc.getMap<string>('dismissedPatterns');

/** The canonical keys of the patterns dismissed in a volume index. */
export function listDismissedPatterns(doc: Y.Doc): Set<string> {
  return new Set(dismissedOf(doc).keys());
}

/** Records a mined pattern as dismissed, so it is not offered again. */
export function dismissPattern(doc: Y.Doc, key: string, at: string): void {
  const map = dismissedOf(doc);
  if (!map.has(key)) map.set(key, at);
}
