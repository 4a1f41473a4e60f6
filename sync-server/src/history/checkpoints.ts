import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import { skillFilesOf, skillsOf } from '../../../shared/src/documents/volume-index';
import { roomChanges, sameContent, sameSkillContent, skillChanges } from '../../../shared/src/history/changes';
import { decodeSkillContent, encodeSkillContent, roomContentOf, roomDocOf, skillContentOf } from '../../../shared/src/history/content';
import { DEFAULT_RETENTION, expiredVersions, type RetentionPolicy } from '../../../shared/src/history/retention';
import { parseSubject, skillSubject, versionIdOf, type HistorySubject, type SkillVersionContent, type VersionChanges, type VersionMeta } from '../../../shared/src/history/version';
import { parseRoomName, type RoomName } from '../../../shared/src/rooms';
import type { Room } from '../rooms/room';
import type { Rooms } from '../rooms/rooms';
import { RoomSerializer } from '../storage/room-serializer';
import { InvalidNameError } from '../storage/storage';
import { authorOf, currentRestCaller } from './authors';
import type { HistoryStore } from './history-store';

export interface CheckpointOptions {
  /** A checkpoint is taken once a room has been quiet this long (HISTORY_PAUSE_MS). */
  pauseMs: number;
  /** ...and at most this long after the first change since the last one, while edits go on (HISTORY_MAX_MS). */
  maxMs: number;
  retention?: RetentionPolicy;
  /** The clock, for tests. */
  now?: () => number;
}

/** What a room changed since its last checkpoint: its authors, and in a volume index, which skills. */
interface Pending {
  room: Room;
  /** Content of the room itself changed (workflow and session rooms). */
  dirty: boolean;
  authors: Set<string>;
  /** Skill id → its authors (volume index rooms). */
  skills: Map<string, Set<string>>;
  /** When the first change of this batch became durable. */
  since?: number;
  timer?: NodeJS.Timeout;
}

/** What a version is taken of, read from the live document at one instant. */
type Capture =
  | { kind: 'workflow' | 'session'; subject: string; content: Uint8Array; authors: Set<string> }
  | { kind: 'skill'; subject: string; content: SkillVersionContent; authors: Set<string> };

/**
 * Takes versions beside the rooms (DESIGN §11): a checkpoint of a workflow or session room, or
 * of each skill changed in a volume index, after `pauseMs` of quiet, at most every `maxMs` while
 * edits go on, and when the room unloads, and only when the content differs from the subject's
 * last version. Named versions (REST) are taken whatever the content. After each version the
 * subject's history is pruned to the retention policy. With several instances, each versions the
 * changes it logged (a change relayed from another instance is that one's to version). The
 * system volume has no versions: its skills come from the files in `skills/`, which nobody edits
 * through the server.
 */
export class Checkpoints {
  private readonly pending = new Map<string, Pending>();
  private readonly versioned = new WeakMap<Room, ReturnType<typeof versionedRoom>>();
  /** Rooms purged or failed: what is still applied to them is never versioned. */
  private readonly gone = new WeakSet<Room>();
  private readonly subjects = new RoomSerializer('history checkpoints');
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly now: () => number;
  private lastStamp = 0;
  private closed = false;

  constructor(
    private readonly rooms: Rooms,
    private readonly history: HistoryStore,
    private readonly options: CheckpointOptions,
    private readonly log: Logger,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Rooms' hook: a change was applied, sent by `by` (a peer's identity) or made here. */
  applied(room: Room, by: string | null, transaction: Y.Transaction): void {
    // Every applied update comes here: the room's name is parsed once, not once an update.
    let parsed = this.versioned.get(room);
    if (parsed === undefined) this.versioned.set(room, (parsed = versionedRoom(room.name)));
    if (!parsed || this.gone.has(room)) return;
    // Only skills are versioned in a volume index: its other changes (listings, the trash) leave nothing pending.
    const skills = parsed.kind === 'volume' ? skillsTouched(room.doc, transaction) : null;
    if (skills?.size === 0) return;
    const who = by ?? currentRestCaller();
    const author = who === undefined ? null : authorOf(who);
    const pending = this.pendingOf(room);
    if (skills) {
      for (const skillId of skills) {
        const authors = pending.skills.get(skillId) ?? new Set<string>();
        if (author) authors.add(author);
        pending.skills.set(skillId, authors);
      }
      return;
    }
    pending.dirty = true;
    if (author) pending.authors.add(author);
  }

  /** Rooms' hook: the room's changes are durable; the checkpoint waits for a pause, or for `maxMs`. */
  changed(room: Room): void {
    const pending = this.pending.get(room.name);
    if (!pending || (!pending.dirty && pending.skills.size === 0) || this.closed) return;
    const now = this.now();
    pending.since ??= now;
    clearTimeout(pending.timer);
    const wait = Math.max(0, Math.min(this.options.pauseMs, pending.since + this.options.maxMs - now));
    pending.timer = setTimeout(() => void this.checkpoint(room.name), wait);
  }

  /**
   * Rooms' hook: the room left memory without unloading (purged for good, or its storage failed),
   * so nothing is taken of it: what it had pending is dropped.
   */
  dropped(room: Room): void {
    this.gone.add(room);
    const pending = this.pending.get(room.name);
    if (pending?.room !== room) return;
    clearTimeout(pending.timer);
    this.pending.delete(room.name);
  }

  /**
   * Forgets a subject for good (a trash purge): what was pending for it is dropped, and its
   * versions are removed in the subject's queue, after any version of it being stored, so a
   * checkpoint in flight cannot land after the removal.
   */
  forget(subject: string): Promise<void> {
    const parsed = parseSubject(subject);
    if (!parsed.ok) return Promise.reject(new InvalidNameError(parsed.error.message));
    const { kind, room, id } = parsed.value;
    const pending = this.pending.get(room);
    if (pending && kind === 'skill') pending.skills.delete(id);
    else if (pending) {
      clearTimeout(pending.timer);
      this.pending.delete(room);
    }
    return this.track(this.subjects.run(subject, () => this.history.removeSubject(subject)));
  }

  /**
   * Rooms' hook: the room is about to unload, so what changed since its last version is taken
   * now. It resolves once the content is captured: storing it (S3 may be slow, or down) must not
   * hold the room's reopening; `close` waits for it.
   */
  unloading(room: Room): Promise<void> {
    void this.checkpoint(room.name);
    return Promise.resolve();
  }

  /**
   * Takes a named version of a subject now (REST `POST /api/versions`), stored even when equal to
   * the last; its authors are those who changed it since. Null when the subject does not exist:
   * a skill not in its volume, a room never written.
   */
  async named(subject: HistorySubject, name: string): Promise<VersionMeta | null> {
    const capture = await this.rooms.use(subject.room, (room): Capture | null => {
      const pending = this.pending.get(room.name);
      if (subject.kind === 'skill') {
        const content = skillContentOf(room.doc, subject.id);
        if (!content) return null;
        const authors = pending?.skills.get(subject.id) ?? new Set<string>();
        pending?.skills.delete(subject.id);
        return { kind: 'skill', subject: subject.name, content, authors };
      }
      if (Y.encodeStateVector(room.doc).byteLength <= 1) return null;
      const authors = pending?.authors ?? new Set<string>();
      if (pending) pending.authors = new Set();
      return { kind: subject.kind, subject: subject.name, content: roomContentOf(room.doc), authors };
    });
    return capture ? this.track(this.store(capture, name)) : null;
  }

  /** The rooms with changes waiting for a checkpoint (for tests and diagnostics). */
  get pendingRooms(): string[] {
    return [...this.pending.keys()];
  }

  /** Stops the timers and waits for versions being stored; rooms unloading afterwards take none. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.pending.values()) clearTimeout(pending.timer);
    await Promise.all([...this.inFlight]);
    await this.subjects.close();
  }

  private pendingOf(room: Room): Pending {
    let pending = this.pending.get(room.name);
    if (!pending || pending.room !== room) {
      pending = { room, dirty: false, authors: new Set(), skills: new Map() };
      this.pending.set(room.name, pending);
    }
    return pending;
  }

  /** Takes what changed in a room since its last checkpoint, read from the document now. */
  private checkpoint(roomName: string): Promise<void> {
    const pending = this.pending.get(roomName);
    if (!pending || this.closed) return Promise.resolve();
    this.pending.delete(roomName);
    clearTimeout(pending.timer);
    const parsed = versionedRoom(roomName);
    const captures: Capture[] = [];
    if (parsed?.kind === 'volume') {
      for (const [skillId, authors] of pending.skills) {
        const content = skillContentOf(pending.room.doc, skillId);
        // A deleted skill keeps the versions it had; the trash holds its last content.
        if (content) captures.push({ kind: 'skill', subject: skillSubject(parsed.volume, parsed.volumeId, skillId), content, authors });
      }
    } else if (parsed && pending.dirty) {
      captures.push({ kind: parsed.kind, subject: roomName, content: roomContentOf(pending.room.doc), authors: pending.authors });
    }
    return this.track(
      Promise.all(
        captures.map((c) =>
          this.store(c, null).catch((e: unknown) => this.log.error({ subject: c.subject, err: e }, 'taking a checkpoint failed')),
        ),
      ).then(() => undefined),
    );
  }

  private track<T>(work: Promise<T>): Promise<T> {
    const settled = work.catch(() => undefined);
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return work;
  }

  /**
   * Stores a version of what was captured, against the subject's last version: a checkpoint only
   * when the content differs. One subject's versions are taken one at a time, so each compares
   * with the one before it.
   */
  private store(capture: Capture, name: string | null): Promise<VersionMeta | null> {
    return this.subjects.run(capture.subject, async () => {
      const latest = await this.history.latest(capture.subject);
      const before = latest ? await this.history.get(latest.id) : null;
      let changes: VersionChanges;
      let bytes: Uint8Array;
      if (capture.kind === 'skill') {
        const previous = before ? decodeSkillContent(before.content) : null;
        bytes = encodeSkillContent(capture.content);
        if (name === null && before && sameSkillContent(previous, capture.content)) return null;
        changes = skillChanges(previous, capture.content);
      } else {
        const previous = before ? roomDocOf(before.content) : null;
        const after = roomDocOf(capture.content);
        try {
          if (name === null && previous && sameContent(capture.kind, previous, after)) return null;
          changes = roomChanges(capture.kind, previous, after);
        } finally {
          previous?.destroy();
          after.destroy();
        }
        bytes = capture.content;
      }
      const now = this.now();
      // Ids sort by their stamp: two versions in one millisecond still list in the order taken.
      this.lastStamp = Math.max(now, this.lastStamp + 1);
      const meta: VersionMeta = {
        id: versionIdOf(capture.subject, this.lastStamp, randomBytes(4).toString('hex')),
        room: capture.subject,
        name,
        created_at: new Date(now).toISOString(),
        authors: [...capture.authors].sort(),
        changes,
        size: bytes.byteLength,
      };
      await this.history.add(meta, bytes);
      await this.prune(capture.subject, now);
      return meta;
    });
  }

  private async prune(subject: string, now: number): Promise<void> {
    const expired = expiredVersions(await this.history.list(subject), now, this.options.retention ?? DEFAULT_RETENTION);
    if (expired.length > 0) await this.history.remove(subject, expired);
  }
}

/** The rooms whose changes make versions: workflows, sessions, and the skills of user and team volumes. */
function versionedRoom(name: string): Extract<RoomName, { kind: 'workflow' | 'session' | 'volume' }> | null {
  const parsed = parseRoomName(name);
  if (!parsed.ok || parsed.value.volume === 'system') return null;
  const room = parsed.value;
  return room.kind === 'workflow' || room.kind === 'session' || room.kind === 'volume' ? room : null;
}

/**
 * The skills a transaction changed in a volume index: keys set or deleted in the `skills` and
 * `skillFiles` roots, and the skill whose text or file map holds any nested change.
 */
function skillsTouched(doc: Y.Doc, transaction: Y.Transaction): Set<string> {
  const roots = new Set<unknown>([skillsOf(doc), skillFilesOf(doc)]);
  // When a client's update is the first to reach a root the server never asked for, Yjs files
  // the change under a placeholder type, which `getMap` (in skillsOf) then replaces by a Y.Map
  // sharing the placeholder's entries: a root is known by those entries, not by its object.
  const rootEntries = new Set<unknown>([skillsOf(doc)._map, skillFilesOf(doc)._map]);
  const touched = new Set<string>();
  for (const [type, keys] of transaction.changed) {
    if (roots.has(type) || (type._item === null && rootEntries.has(type._map))) {
      for (const key of keys) if (key !== null) touched.add(key);
      continue;
    }
    for (let item = type._item; item; ) {
      if (roots.has(item.parent)) {
        if (item.parentSub !== null) touched.add(item.parentSub);
        break;
      }
      item = (item.parent as typeof type | null)?._item ?? null;
    }
  }
  return touched;
}
