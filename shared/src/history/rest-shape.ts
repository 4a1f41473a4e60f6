import { readMessages, readSessionMeta, type SessionMessage, type SessionStatus } from '../documents/session';
import { readWorkflowGraph, readWorkflowMeta, readWorkflowNotes, type WorkflowContent } from '../documents/workflow';
import type { Json } from '../json';
import { toWorkflowFile } from '../workflow/file';
import { decodeSkillContent, roomDocOf } from './content';
import type { HistorySubject } from './version';

/** A session version as `GET /api/sessions/:id` gives the live session (its metadata and messages). */
export interface SessionVersionShape {
  name: string;
  status: SessionStatus;
  created_at: string;
  updated_at: string;
  metadata: Record<string, Json>;
  messages: SessionMessage[];
}

/** A workflow version as the workflow file holds it (without the file's format header). */
export interface WorkflowVersionShape extends WorkflowContent {
  name: string;
  description: string;
}

/** A skill version: its Markdown and the paths of its other files. */
export interface SkillVersionShape {
  skill_id: string;
  markdown: string;
  files: string[];
}

/** The `content` of `GET /api/versions/:id`, by the kind of subject. */
export type VersionShape = SessionVersionShape | WorkflowVersionShape | SkillVersionShape;

/** A version's content in the shape the REST API reads the live subject in; throws a clear error on content that is not a version's. */
export function restShapeOf(subject: HistorySubject, content: Uint8Array): VersionShape {
  if (subject.kind === 'skill') {
    const skill = decodeSkillContent(content);
    return { skill_id: subject.id, markdown: skill.markdown, files: Object.keys(skill.files).sort() };
  }
  const doc = roomDocOf(content);
  try {
    if (subject.kind === 'session') {
      const { name, status, created_at, updated_at, metadata } = readSessionMeta(doc);
      return { name, status, created_at, updated_at, metadata, messages: readMessages(doc) };
    }
    const { name, description, nodes, edges, notes } = toWorkflowFile(readWorkflowMeta(doc), { ...readWorkflowGraph(doc), notes: readWorkflowNotes(doc) });
    return { name, description, nodes, edges, notes };
  } finally {
    doc.destroy();
  }
}
