// Whether the read models of DESIGN §6 match the stored documents: the original's Redis keys
// and its blob layout (S3, or DATA_DIR in embedded mode), computed here from the documents as
// the original would hold them, independently of the server's mirror code, and compared with
// what is really in Redis and the bucket. Used by the chaos scenarios after each fault and by
// the catch-up tests.
import { Redis } from 'ioredis';
import * as Y from 'yjs';
import { readMessages, readSessionMeta, sessionExists } from '../../../shared/src/documents/session';
import { listSessions, listSkillSources, listWorkflows } from '../../../shared/src/documents/volume-index';
import { readWorkflowGraph, readWorkflowMeta, readWorkflowNotes } from '../../../shared/src/documents/workflow';
import { isValidId, parseRoomName, sessionRoom, workflowRoom } from '../../../shared/src/rooms';
import { toWorkflowFile } from '../../../shared/src/workflow/file';
import { FileBlobStore, type BlobStore } from '../../src/mirrors/blob-store';
import { openStorage } from '../../src/storage/open';
import { createS3Client, S3BlobStore, type S3Config } from '../../src/storage/s3-client';
import type { Storage } from '../../src/storage/storage';

/** What is stored of the rooms: the storage the server wrote, read as documents. */
export type StoredRooms = Pick<Storage, 'list' | 'read'>;

export interface MirrorsMatchOptions {
  rooms: StoredRooms;
  /** The Redis of the original's keys; without it, keys are not checked. */
  redisUrl?: string;
  /** The bucket of the blob layout (the S3 harness's `config`)… */
  s3?: S3Config;
  /** …or, without a bucket, the data directory of the embedded server. Neither: blobs are not checked. */
  dataDir?: string;
}

/** Redis keys the server uses for itself, which are not the original's. */
const OWN_KEYS = 'llmunix:';
/** At most this many problems are reported (one per key), so a wholesale miss stays readable. */
const MAX_PROBLEMS = 20;

async function documentOf(rooms: StoredRooms, room: string): Promise<Y.Doc> {
  const stored = await rooms.read(room);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const update of stored.updates) Y.applyUpdate(doc, update);
  return doc;
}

interface Expected {
  /** Redis string and list keys → their value as JSON text (strings) or JSON texts (lists). */
  strings: Map<string, string>;
  lists: Map<string, string[]>;
  sets: Map<string, string[]>;
  blobs: Map<string, string>;
}

/** The original's keys and files, as the stored documents say they should be. */
async function expectedOf(rooms: StoredRooms): Promise<Expected> {
  const out: Expected = { strings: new Map(), lists: new Map(), sets: new Map(), blobs: new Map() };
  const all = new Set<string>();
  for (const room of await rooms.list()) {
    const parsed = parseRoomName(room);
    if (!parsed.ok || parsed.value.kind !== 'volume') continue;
    const { volume, volumeId } = parsed.value;
    const index = await documentOf(rooms, room);
    try {
      const sessions = listSessions(index).map((s) => s.id).filter(isValidId);
      if (sessions.length > 0) out.sets.set(`${volume}:${volumeId}:sessions`, sessions.sort());
      for (const id of sessions) {
        all.add(id);
        const doc = await documentOf(rooms, sessionRoom(volume, volumeId, id));
        try {
          if (!sessionExists(doc)) continue;
          // The original keeps where a session lives in its meta: the room's name says so.
          out.strings.set(`session:${id}`, JSON.stringify({ ...readSessionMeta(doc), id, volume, volume_id: volumeId }));
          const messages = readMessages(doc).map(({ role, content, timestamp, traces, artifacts }) => JSON.stringify({ role, content, timestamp, traces, artifacts }));
          // Redis keeps no empty list.
          if (messages.length > 0) out.lists.set(`session:${id}:messages`, messages);
        } finally {
          doc.destroy();
        }
      }
      const folder = `volumes/${volume}/${volumeId}/`;
      for (const [id, markdown] of listSkillSources(index)) if (isValidId(id)) out.blobs.set(`${folder}skills/${id}.md`, markdown);
      for (const listing of listWorkflows(index)) {
        if (!isValidId(listing.id)) continue;
        const doc = await documentOf(rooms, workflowRoom(volume, volumeId, listing.id));
        try {
          const meta = readWorkflowMeta(doc);
          const file = toWorkflowFile({ name: meta.name || listing.name, description: meta.description || listing.description }, { ...readWorkflowGraph(doc), notes: readWorkflowNotes(doc) });
          out.blobs.set(`${folder}workflows/${listing.id}.json`, `${JSON.stringify(file, null, 2)}\n`);
        } finally {
          doc.destroy();
        }
      }
    } finally {
      index.destroy();
    }
  }
  if (all.size > 0) out.sets.set('all:sessions', [...all].sort());
  return out;
}

const brief = (text: string | null) => (text === null ? '(none)' : JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text));

async function redisProblems(url: string, expected: Expected): Promise<string[]> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const problems: string[] = [];
    const keys = (await redis.keys('*')).filter((k) => !k.startsWith(OWN_KEYS));
    const wanted = new Set([...expected.strings.keys(), ...expected.lists.keys(), ...expected.sets.keys()]);
    for (const key of keys.sort()) if (!wanted.has(key)) problems.push(`Redis has ${key}, which no document lists`);
    for (const [key, value] of expected.strings) {
      const actual = await redis.get(key);
      if (actual !== value) problems.push(`Redis ${key} is ${brief(actual)}, the document says ${brief(value)}`);
    }
    for (const [key, value] of expected.lists) {
      const actual = await redis.lrange(key, 0, -1);
      if (JSON.stringify(actual) !== JSON.stringify(value)) problems.push(`Redis ${key} holds ${actual.length} messages, the document ${value.length} (or they differ)`);
    }
    for (const [key, value] of expected.sets) {
      const actual = (await redis.smembers(key)).sort();
      if (JSON.stringify(actual) !== JSON.stringify(value)) problems.push(`Redis ${key} is {${actual.join(', ')}}, the documents list {${value.join(', ')}}`);
    }
    return problems;
  } finally {
    redis.disconnect();
  }
}

async function blobProblems(store: BlobStore, expected: Expected): Promise<string[]> {
  const problems: string[] = [];
  const keys = await store.listBlobs('volumes/');
  for (const key of keys) if (!expected.blobs.has(key)) problems.push(`blob ${key} is there, no document lists it`);
  for (const [key, text] of expected.blobs) {
    const actual = await store.getBlob(key);
    if (actual !== text) problems.push(`blob ${key} is ${actual === null ? 'missing' : `${brief(actual)}`}, the document says ${brief(text)}`);
  }
  return problems;
}

/**
 * The ways the mirrors differ from the stored documents, one line per key or file (at most
 * MAX_PROBLEMS, then a count); empty when the original's Redis keys (with `redisUrl`) and its
 * blob layout (in `s3`, else under `dataDir`) match what the documents say. Never throws for a
 * difference; a backend that cannot be read is one problem.
 */
export async function mirrorsMatch(options: MirrorsMatchOptions): Promise<string[]> {
  let expected: Expected;
  try {
    expected = await expectedOf(options.rooms);
  } catch (e) {
    return [`the stored rooms could not be read: ${(e as Error).message}`];
  }
  const problems: string[] = [];
  if (options.redisUrl) problems.push(...(await redisProblems(options.redisUrl, expected).catch((e: unknown) => [`Redis could not be read: ${(e as Error).message}`])));
  const store = options.s3 ? new S3BlobStore(createS3Client(options.s3), options.s3.bucket) : options.dataDir ? new FileBlobStore(options.dataDir) : undefined;
  if (store) problems.push(...(await blobProblems(store, expected).catch((e: unknown) => [`the blobs could not be read: ${(e as Error).message}`])));
  return problems.length > MAX_PROBLEMS ? [...problems.slice(0, MAX_PROBLEMS), `…and ${problems.length - MAX_PROBLEMS} more`] : problems;
}

/**
 * The rooms a server with this configuration stores, opened for reading beside it (as the
 * server opens them: `REDIS_URL`, `S3_*`, `DATA_DIR`; with both Redis and S3, `dataDir` is not
 * used); close it after.
 */
export async function openStoredRooms(config: { redisUrl?: string; s3?: S3Config; dataDir: string }): Promise<StoredRooms & { close(): Promise<void> }> {
  const { storage } = await openStorage({ storage: 'file', ...config });
  return storage;
}

/** Retries `mirrorsMatch` until it finds nothing (the mirrors are eventually consistent), returning the last problems after `timeoutMs`. */
export async function mirrorsMatchWithin(options: MirrorsMatchOptions, timeoutMs: number): Promise<{ problems: string[]; ms: number }> {
  const started = Date.now();
  for (;;) {
    const problems = await mirrorsMatch(options);
    if (problems.length === 0 || Date.now() - started >= timeoutMs) return { problems, ms: Date.now() - started };
    await new Promise((r) => setTimeout(r, 250));
  }
}
