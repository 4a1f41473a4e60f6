import { fromBase64, toBase64 } from 'lib0/buffer';
import type * as Y from 'yjs';
import { parseSubject, skillSubject } from '../history/version';
import { err, ok, type Result } from '../result';
import { sessionRoom, workflowRoom, type Volume } from '../rooms';
import { checkSkillFiles, putSkillOrigin, readSkillFiles, writeSkillFiles, type SkillFile } from './skill-files';
import { SESSION_STATUSES, type SessionStatus } from './session';
import {
  getSessionListing,
  getSkillSource,
  getWorkflowListing,
  putSessionListing,
  putSkillSource,
  putWorkflowListing,
  removeSessionListing,
  removeSkill,
  removeWorkflowListing,
  skillOriginsOf,
  type SessionListing,
  type WorkflowListing,
} from './volume-index';

/**
 * The trash of a volume (DESIGN §11) lives in its index room, so deleting and restoring work
 * offline, follow the index's access and reach everyone live: `trash` (trash id → plain
 * `TrashEntry`) holds deleted workflows and sessions, whose rooms keep their content meanwhile;
 * `skillTrash` holds deleted skills with their text and files, and is one of `SKILL_ROOTS`, so
 * only those who may write skills touch it. Only purging for good needs the server.
 */

export const TRASH_KINDS = ['workflow', 'session', 'skill'] as const;
export type TrashKind = (typeof TRASH_KINDS)[number];

/** One deleted item as its volume's trash keeps it. */
export interface TrashEntry {
  /** The subject name with "/" made "." (`user.alice.workflow.w1`): unique per volume, and names its volume. */
  id: string;
  kind: TrashKind;
  /** The workflow, session or skill id. */
  item_id: string;
  /** The subject name: the workflow or session room, or `{volume}/{volumeId}/skill/{skillId}`. */
  room: string;
  name: string;
  /** ISO time of the delete. */
  deleted_at: string;
  /** Who deleted it: an identity's `sub`, or a person's name where the app knows it. */
  deleted_by: string;
  /** A workflow's or session's listing as it was, put back on restore. */
  listing?: WorkflowListing | SessionListing;
  /** A skill's Markdown. */
  markdown?: string;
  /** A skill's other files, path → base64 bytes. */
  files?: Record<string, string>;
  /** Where an imported skill's Markdown came from (`skillOrigins`). */
  origin?: string;
  /** ISO time a purge for good began (the server sets it before deleting anything); such an entry cannot be restored. */
  purging?: string;
}

/** The volume whose index a trash belongs to. */
export interface TrashVolume {
  volume: Volume;
  volumeId: string;
}

/** Who deleted, and when (ISO). */
export interface TrashStamp {
  by: string;
  at: string;
}

/** Why an item could not be moved to or brought back from the trash. */
export interface TrashError {
  code: 'not_found' | 'in_use' | 'bad_entry' | 'purging';
  message: string;
}

const trashOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap<unknown>('trash');
/** Deleted skills; one of `SKILL_ROOTS`. */
export const skillTrashOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap<unknown>('skillTrash');
const rootOf = (doc: Y.Doc, kind: TrashKind) => (kind === 'skill' ? skillTrashOf(doc) : trashOf(doc));

/** The trash id of a subject: its name with "/" made "." (ids never hold a dot). */
export const trashIdOf = (subject: string): string => subject.split('/').join('.');

/** The subject a trash id names (`user/alice/workflow/w1`), or null when it is not a trash id. */
export function subjectOfTrashId(trashId: string): string | null {
  if (typeof trashId !== 'string' || trashId.length > 400 || trashId.includes('/')) return null;
  const subject = trashId.split('.').join('/');
  return parseSubject(subject).ok ? subject : null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * An entry as read back from `root` of the index of `where`. Anyone with write access may have
 * put anything under the key, so only a whole entry counts, and only one about an item of this
 * very volume, of the kind its root holds (skills only in `skillTrash`, which only skill writers
 * touch): the server purges what an entry names, so an entry naming another volume's room, or a
 * skill in `trash`, would let a client destroy what it may not.
 */
function readEntry(where: TrashVolume, root: 'trash' | 'skillTrash', id: string, value: unknown): TrashEntry | undefined {
  if (!isRecord(value)) return undefined;
  const { kind, item_id, room, name, deleted_at, deleted_by } = value;
  if (!TRASH_KINDS.includes(kind as TrashKind)) return undefined;
  if ([item_id, room, name, deleted_at, deleted_by].some((f) => typeof f !== 'string')) return undefined;
  if (trashIdOf(room as string) !== id) return undefined;
  if ((kind === 'skill') !== (root === 'skillTrash')) return undefined;
  const subject = parseSubject(room as string);
  if (!subject.ok) return undefined;
  const s = subject.value;
  if (s.volume !== where.volume || s.volumeId !== where.volumeId || s.kind !== kind || s.id !== item_id) return undefined;
  const entry: TrashEntry = {
    id,
    kind: kind as TrashKind,
    item_id: item_id as string,
    room: room as string,
    name: name as string,
    deleted_at: deleted_at as string,
    deleted_by: deleted_by as string,
  };
  if (isRecord(value.listing)) entry.listing = value.listing as unknown as WorkflowListing | SessionListing;
  if (typeof value.markdown === 'string') entry.markdown = value.markdown;
  if (isRecord(value.files)) {
    entry.files = Object.fromEntries(Object.entries(value.files).filter((f): f is [string, string] => typeof f[1] === 'string'));
  }
  if (typeof value.origin === 'string') entry.origin = value.origin;
  if (typeof value.purging === 'string') entry.purging = value.purging;
  return entry;
}

/** Every valid entry of both roots of the index of `where`. */
function entriesOf(doc: Y.Doc, where: TrashVolume): TrashEntry[] {
  const out: TrashEntry[] = [];
  for (const [name, root] of [['trash', trashOf(doc)], ['skillTrash', skillTrashOf(doc)]] as const) {
    root.forEach((value, id) => {
      const entry = readEntry(where, name, id, value);
      if (entry) out.push(entry);
    });
  }
  return out;
}

/** Puts an entry in its root, leaving out the fields it does not have (Yjs stores no `undefined`). */
function putEntry(doc: Y.Doc, entry: TrashEntry): void {
  rootOf(doc, entry.kind).set(entry.id, JSON.parse(JSON.stringify(entry)) as Record<string, unknown>);
}

function roomTrash(
  doc: Y.Doc,
  kind: 'workflow' | 'session',
  listing: WorkflowListing | SessionListing | undefined,
  room: string,
  id: string,
  stamp: TrashStamp,
): Result<TrashEntry, TrashError> {
  if (!listing) return err({ code: 'not_found', message: `No ${kind} "${id}" in this volume.` });
  const entry: TrashEntry = { id: trashIdOf(room), kind, item_id: id, room, name: listing.name, deleted_at: stamp.at, deleted_by: stamp.by, listing };
  doc.transact(() => {
    if (kind === 'workflow') removeWorkflowListing(doc, id);
    else removeSessionListing(doc, id);
    putEntry(doc, entry);
  });
  return ok(entry);
}

/** Moves a workflow's listing to its volume's trash; its room keeps its content. One transaction. */
export function trashWorkflow(doc: Y.Doc, where: TrashVolume, id: string, stamp: TrashStamp): Result<TrashEntry, TrashError> {
  return roomTrash(doc, 'workflow', getWorkflowListing(doc, id), workflowRoom(where.volume, where.volumeId, id), id, stamp);
}

/** Moves a session's listing to its volume's trash; its room keeps its content. One transaction. */
export function trashSession(doc: Y.Doc, where: TrashVolume, id: string, stamp: TrashStamp): Result<TrashEntry, TrashError> {
  return roomTrash(doc, 'session', getSessionListing(doc, id), sessionRoom(where.volume, where.volumeId, id), id, stamp);
}

/**
 * Moves a skill (its Markdown, files and origin) from a volume index into its `skillTrash`. One
 * transaction. `name` is the skill's name as the caller parsed it (its id when it does not
 * parse): reading it here would put the skill parser, YAML and zod into every page that deletes.
 */
export function trashSkill(doc: Y.Doc, where: TrashVolume, skillId: string, stamp: TrashStamp, name: string = skillId): Result<TrashEntry, TrashError> {
  const markdown = getSkillSource(doc, skillId);
  if (markdown === undefined) return err({ code: 'not_found', message: `No skill "${skillId}" in this volume.` });
  const room = skillSubject(where.volume, where.volumeId, skillId);
  const files = Object.fromEntries(readSkillFiles(doc, skillId).map((f) => [f.path, toBase64(f.bytes)]));
  const origin = skillOriginsOf(doc).get(skillId);
  const entry: TrashEntry = {
    id: trashIdOf(room),
    kind: 'skill',
    item_id: skillId,
    room,
    name,
    deleted_at: stamp.at,
    deleted_by: stamp.by,
    markdown,
    files,
    ...(typeof origin === 'string' ? { origin } : {}),
  };
  doc.transact(() => {
    removeSkill(doc, skillId);
    putEntry(doc, entry);
  });
  return ok(entry);
}

/** Every entry of the trash of `where` (workflows, sessions and skills), most recently deleted first. */
export function listTrash(doc: Y.Doc, where: TrashVolume): TrashEntry[] {
  return entriesOf(doc, where).sort((a, b) => b.deleted_at.localeCompare(a.deleted_at) || a.id.localeCompare(b.id));
}

/** One entry of the trash of `where` by trash id, or undefined. */
export function getTrashEntry(doc: Y.Doc, where: TrashVolume, trashId: string): TrashEntry | undefined {
  return readEntry(where, 'trash', trashId, trashOf(doc).get(trashId)) ?? readEntry(where, 'skillTrash', trashId, skillTrashOf(doc).get(trashId));
}

/** The trash entry of a workflow, session or skill of `where`, when it is in the trash (what a banner on its open room shows). */
export function trashEntryOf(doc: Y.Doc, where: TrashVolume, kind: TrashKind, itemId: string): TrashEntry | undefined {
  return entriesOf(doc, where).find((e) => e.kind === kind && e.item_id === itemId);
}

/** Marks an entry as being purged for good (`at`, ISO), so a restore meanwhile is refused; false when there is no such entry. */
export function markPurging(doc: Y.Doc, where: TrashVolume, trashId: string, at: string): boolean {
  const entry = getTrashEntry(doc, where, trashId);
  if (!entry) return false;
  putEntry(doc, { ...entry, purging: at });
  return true;
}

const inUse = (entry: TrashEntry): TrashError => ({
  code: 'in_use',
  message: `A ${entry.kind} with id "${entry.item_id}" exists again in this volume, so "${entry.name}" cannot come back under that id. Delete or rename the new one first.`,
});

/**
 * Brings an entry back: the listing into `workflows`/`sessions`, or the skill's Markdown, files
 * and origin into the index; the entry leaves the trash. One transaction (the caller's origin
 * makes it one undo step). Refused when the id is in use again, or while the server purges it.
 */
export function restoreFromTrash(doc: Y.Doc, where: TrashVolume, trashId: string): Result<TrashEntry, TrashError> {
  const entry = getTrashEntry(doc, where, trashId);
  if (!entry) return err({ code: 'not_found', message: `Nothing in the trash has id "${trashId}".` });
  // Its content may already be gone; bringing the listing back would list an empty item.
  if (entry.purging !== undefined) return err({ code: 'purging', message: `"${entry.name}" is being deleted for good, so it can no longer be restored.` });
  switch (entry.kind) {
    case 'workflow': {
      if (getWorkflowListing(doc, entry.item_id)) return err(inUse(entry));
      const l = (entry.listing ?? {}) as Partial<WorkflowListing>;
      doc.transact(() => {
        putWorkflowListing(doc, entry.item_id, {
          name: l.name ?? entry.name,
          description: l.description ?? '',
          created_at: l.created_at ?? entry.deleted_at,
          updated_at: l.updated_at ?? entry.deleted_at,
        });
        trashOf(doc).delete(trashId);
      });
      break;
    }
    case 'session': {
      if (getSessionListing(doc, entry.item_id)) return err(inUse(entry));
      const l = (entry.listing ?? {}) as Partial<SessionListing>;
      const status: SessionStatus = SESSION_STATUSES.includes(l.status as SessionStatus) ? (l.status as SessionStatus) : 'active';
      doc.transact(() => {
        putSessionListing(doc, entry.item_id, {
          name: l.name ?? entry.name,
          status,
          created_at: l.created_at ?? entry.deleted_at,
          updated_at: l.updated_at ?? entry.deleted_at,
        });
        trashOf(doc).delete(trashId);
      });
      break;
    }
    case 'skill': {
      if (getSkillSource(doc, entry.item_id) !== undefined) return err(inUse(entry));
      const files: SkillFile[] = Object.entries(entry.files ?? {}).map(([path, b64]) => ({ path, bytes: fromBase64(b64) }));
      // Checked before anything is written, so a refused entry changes nothing.
      const checked = checkSkillFiles(files);
      if (!checked.ok) return err({ code: 'bad_entry', message: `The trashed skill "${entry.item_id}" holds files that cannot be restored: ${checked.error.map((e) => e.message).join(' ')}` });
      doc.transact(() => {
        putSkillSource(doc, entry.item_id, entry.markdown ?? '');
        writeSkillFiles(doc, entry.item_id, files);
        if (entry.origin !== undefined) putSkillOrigin(doc, entry.item_id, entry.origin);
        skillTrashOf(doc).delete(trashId);
      });
      break;
    }
  }
  return ok(entry);
}

/** Drops an entry from the trash without restoring it (after its content was purged for good); false when it was not there. */
export function forgetTrashEntry(doc: Y.Doc, trashId: string): boolean {
  for (const root of [trashOf(doc), skillTrashOf(doc)]) {
    if (root.has(trashId)) {
      root.delete(trashId);
      return true;
    }
  }
  return false;
}

/**
 * The tombstones of a volume's rooms deleted for good: room name → ISO time of the purge. The
 * server writes them (`SERVER_ROOTS`) and refuses a connection to such a room (4410), so a device
 * that missed the purge forgets its copy instead of sending it back; an item listed again under
 * the same id is live whatever its tombstone says.
 */
export const purgedOf = (doc: Y.Doc): Y.Map<string> => doc.getMap<string>('purged');

/** Whether a workflow, session or run history room of this index is live, in the trash (read-only), or deleted for good. */
export type RoomStanding = 'live' | 'trashed' | 'purged';

/** The standing of one item's room in the index of `where`: listed wins, then its trash entry (one being purged counts as purged), then a tombstone. */
export function standingOf(doc: Y.Doc, where: TrashVolume, kind: 'workflow' | 'session', itemId: string, room: string): RoomStanding {
  const listed = kind === 'workflow' ? getWorkflowListing(doc, itemId) : getSessionListing(doc, itemId);
  if (listed) return 'live';
  const roomOfItem = kind === 'workflow' ? workflowRoom(where.volume, where.volumeId, itemId) : sessionRoom(where.volume, where.volumeId, itemId);
  const entry = getTrashEntry(doc, where, trashIdOf(roomOfItem));
  if (entry) return entry.purging === undefined ? 'trashed' : 'purged';
  return typeof purgedOf(doc).get(room) === 'string' ? 'purged' : 'live';
}
