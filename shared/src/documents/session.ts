import * as Y from 'yjs';
import { asRecord, asString, type Json } from '../json';

export const SESSION_STATUSES = ['active', 'paused', 'completed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const MESSAGE_ROLES = ['user', 'assistant'] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

/** A session's metadata, with the original's field names. */
export interface SessionMeta {
  id: string;
  name: string;
  volume: string;
  volume_id: string;
  status: SessionStatus;
  created_at: string;
  updated_at: string;
  metadata: Record<string, Json>;
}

/** One chat message, with the original's field names (and our chat's optional extras). */
export interface SessionMessage {
  role: MessageRole;
  content: string;
  timestamp: string;
  traces: Json[] | null;
  artifacts: string[] | null;
  /** A user message written offline and not yet answered by the chat. */
  pending?: boolean;
  /** Which browser wrote a pending message: only that one sends it. */
  author?: string;
  /** The skills the chat's prompt carried for this answer. */
  skills_used?: string[];
  /** The skills (and files of skills) the assistant read through its tools for this answer, in order. */
  skills_read?: SkillRead[];
  /** What the assistant did with its tools during this answer. */
  tool_calls?: Array<{ name: string; input: Json; result: string; is_error: boolean }>;
  /** Why the answer failed or stopped, in words. */
  error?: string;
}

/** One skill, or one file of a skill, the assistant read while answering. */
export interface SkillRead {
  skill_id: string;
  /** The skill's name when it was read, so the chip reads well without the skill at hand. */
  name: string;
  /** The file read, for read_skill_file; absent when the whole skill was read. */
  path?: string;
}

const readSkillReads = (value: unknown): SkillRead[] =>
  (Array.isArray(value) ? value : []).flatMap((r: unknown) => {
    if (r === null || typeof r !== 'object') return [];
    const { skill_id, name, path } = r as Record<string, unknown>;
    if (typeof skill_id !== 'string') return [];
    return [{ skill_id, name: typeof name === 'string' && name ? name : skill_id, ...(typeof path === 'string' ? { path } : {}) }];
  });

const metaOf = (doc: Y.Doc) => doc.getMap<unknown>('meta');
/** The session's messages: a Y.Array of Y.Map, one per message. */
export const messagesOf = (doc: Y.Doc): Y.Array<Y.Map<unknown>> => doc.getArray<Y.Map<unknown>>('messages');

/** Tells whether a session document has been created (its meta holds an id). */
export const sessionExists = (doc: Y.Doc): boolean => typeof metaOf(doc).get('id') === 'string';

/** Reads a session's metadata, tolerating fields of the wrong type written by other clients. */
export function readSessionMeta(doc: Y.Doc): SessionMeta {
  const m = metaOf(doc);
  const status = m.get('status');
  return {
    id: asString(m.get('id')),
    name: asString(m.get('name')),
    volume: asString(m.get('volume')),
    volume_id: asString(m.get('volume_id')),
    status: SESSION_STATUSES.includes(status as SessionStatus) ? (status as SessionStatus) : 'active',
    created_at: asString(m.get('created_at')),
    updated_at: asString(m.get('updated_at')),
    metadata: asRecord(m.get('metadata')),
  };
}

/** Sets metadata fields of a session; undefined fields are left alone. */
export function writeSessionMeta(doc: Y.Doc, fields: Partial<SessionMeta>): void {
  const m = metaOf(doc);
  doc.transact(() => {
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) m.set(key, value);
    }
  });
}

function readMessage(m: Y.Map<unknown>): SessionMessage {
  const role = m.get('role');
  const traces = m.get('traces');
  const artifacts = m.get('artifacts');
  const message: SessionMessage = {
    role: MESSAGE_ROLES.includes(role as MessageRole) ? (role as MessageRole) : 'user',
    content: asString(m.get('content')),
    timestamp: asString(m.get('timestamp')),
    traces: Array.isArray(traces) ? (traces as Json[]) : null,
    artifacts: Array.isArray(artifacts) ? artifacts.filter((a): a is string => typeof a === 'string') : null,
  };
  // The chat's extras appear only when set, so the original's shape stays as it was.
  if (m.get('pending') === true) message.pending = true;
  if (typeof m.get('author') === 'string') message.author = m.get('author') as string;
  const skills = m.get('skills_used');
  if (Array.isArray(skills)) message.skills_used = skills.filter((x): x is string => typeof x === 'string');
  const reads = m.get('skills_read');
  if (Array.isArray(reads)) message.skills_read = readSkillReads(reads);
  const tools = m.get('tool_calls');
  if (Array.isArray(tools)) message.tool_calls = tools as SessionMessage['tool_calls'];
  if (typeof m.get('error') === 'string') message.error = m.get('error') as string;
  return message;
}

/**
 * One message of a session document, held by reference: a position would point at another
 * message as soon as a collaborator's message lands before it, which happens while an answer
 * streams in for seconds.
 */
export type MessageRef = Y.Map<unknown>;

/** The session's messages as references, in the order (and with the positions) of `readMessages`. */
export const messageRefs = (doc: Y.Doc): MessageRef[] => messagesOf(doc).toArray().filter((m): m is Y.Map<unknown> => m instanceof Y.Map);

/** Changes fields of a message (streamed text, a sent pending message). */
export function updateMessage(doc: Y.Doc, m: MessageRef, fields: Partial<SessionMessage>): void {
  doc.transact(() => {
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) m.delete(key);
      else m.set(key, value);
    }
  });
}

/** Reads every message of a session, in order. */
export function readMessages(doc: Y.Doc): SessionMessage[] {
  return messageRefs(doc).map(readMessage);
}

/** Appends one message to a session; returns it, to update it by. */
export function appendMessage(doc: Y.Doc, message: SessionMessage): MessageRef {
  const m = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(message)) if (value !== undefined) m.set(key, value);
  messagesOf(doc).push([m]);
  return m;
}

/** Empties a deleted session's document, so its content no longer syncs to anyone. */
export function clearSession(doc: Y.Doc): void {
  doc.transact(() => {
    const meta = metaOf(doc);
    for (const key of [...meta.keys()]) meta.delete(key);
    const messages = messagesOf(doc);
    messages.delete(0, messages.length);
  });
}
