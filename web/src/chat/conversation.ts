import type * as Y from 'yjs';
import { appendMessage, messageRefs, readMessages, updateMessage, type MessageRef, type SessionMessage, type SkillRead } from '../../../shared/src/documents/session';
import type { Json } from '../../../shared/src/json';
import { ORIGIN } from '../../../shared/src/origins';
import { streamChat, ChatUnreachable, type ApiMessage, type ChatEvent, type ToolResult } from './chat-api';
import { applyTool, type ToolTarget } from './tools';

/** This browser's id for messages it wrote: only the author sends a pending message. */
export function authorId(): string {
  const KEY = 'llmunix.author';
  let id = localStorage.getItem(KEY);
  if (!id) {
    id = crypto.randomUUID();
    localStorage.setItem(KEY, id);
  }
  return id;
}

/** Writes a person's message into the session; it waits (pending) until the chat answers it. */
export function addUserMessage(session: Y.Doc, text: string): void {
  session.transact(() => {
    appendMessage(session, { role: 'user', content: text, timestamp: new Date().toISOString(), traces: null, artifacts: null, pending: true, author: authorId() });
  }, ORIGIN.local);
}

/** The conversation so far as the Messages API takes it (text turns; failed answers left out). */
function history(messages: SessionMessage[]): ApiMessage[] {
  const out: ApiMessage[] = [];
  for (const m of messages) {
    if (m.role === 'assistant' && (m.error || !m.content)) continue;
    const last = out.at(-1);
    // The API wants turns to alternate; consecutive messages of one role are joined.
    if (last && last.role === m.role && typeof last.content === 'string') last.content += `\n\n${m.content}`;
    else out.push({ role: m.role, content: m.content } as ApiMessage);
  }
  return out;
}

const MAX_TOOL_ROUNDS = 8;

export interface SendOptions {
  /** Where tools act; resolved when the first tool call needs it (a workflow may be created then). */
  tools: () => Promise<ToolTarget>;
  signal?: AbortSignal;
  token?: string;
  /** Text as it streams, for the panel to show before it is in the document. */
  onStream?: (text: string) => void;
}

/**
 * Sends this browser's pending messages, in order, and writes each answer into the session:
 * streamed text, the skills used, tool calls applied to the workflow and their results. If the
 * server cannot be reached, or has no key for the chat, the messages stay pending, to be sent
 * when it can.
 */
export async function sendPending(session: Y.Doc, options: SendOptions): Promise<'sent' | 'nothing' | 'unreachable' | 'not_configured'> {
  const me = authorId();
  let sentAny = false;
  for (;;) {
    const messages = readMessages(session);
    const index = messages.findIndex((m) => m.pending && m.author === me);
    if (index < 0) return sentAny ? 'sent' : 'nothing';
    const outcome = await answer(session, index, messageRefs(session)[index] as MessageRef, messages, options);
    if (outcome === 'unreachable' || outcome === 'not_configured') return outcome;
    sentAny = true;
  }
}

/** Groups every tool call of one answer, over all its rounds, into one undo step. */
class UndoGroup {
  private saved: { undo: NonNullable<ToolTarget['undo']>; timeout: number } | null = null;

  begin(undo: ToolTarget['undo']): void {
    if (this.saved || !undo) return;
    this.saved = { undo, timeout: undo.captureTimeout };
    undo.stopCapturing();
    undo.captureTimeout = Number.MAX_SAFE_INTEGER;
  }

  end(): void {
    if (!this.saved) return;
    this.saved.undo.captureTimeout = this.saved.timeout;
    this.saved.undo.stopCapturing();
    this.saved = null;
  }
}

async function answer(session: Y.Doc, index: number, question: MessageRef, messages: SessionMessage[], options: SendOptions): Promise<'answered' | 'unreachable' | 'not_configured'> {
  const api = history(messages.slice(0, index + 1).filter((m, i) => i === index || !m.pending));
  let reply: MessageRef | null = null;
  let text = '';
  let skills: string[] = [];
  const reads: SkillRead[] = [];
  const toolCalls: NonNullable<SessionMessage['tool_calls']> = [];
  const traces: Json[] = [];
  const write = (fields: Partial<SessionMessage>) => {
    if (reply === null) {
      session.transact(() => {
        updateMessage(session, question, { pending: undefined });
        reply = appendMessage(session, { role: 'assistant', content: '', timestamp: new Date().toISOString(), traces: null, artifacts: null });
      }, ORIGIN.local);
    }
    session.transact(() => updateMessage(session, reply as MessageRef, fields), ORIGIN.local);
  };
  let lastFlush = 0;
  const group = new UndoGroup();
  try {
    for (let round = 0; round < MAX_TOOL_ROUNDS; round++) {
      const uses: Array<{ id: string; name: string; input: Record<string, unknown> }> = [];
      let final: Extract<ChatEvent, { event: 'done' }> | null = null;
      try {
        for await (const event of streamChat(api, { signal: options.signal, token: options.token })) {
          if (event.event === 'skills') {
            skills = [...new Set([...skills, ...event.skills_used])];
            write({ skills_used: skills });
          } else if (event.event === 'text') {
            text += event.text;
            options.onStream?.(text);
            // Collaborators see the answer grow, a few times a second rather than per token.
            if (Date.now() - lastFlush > 250) {
              lastFlush = Date.now();
              write({ content: text });
            }
          } else if (event.event === 'skill_read') {
            // A skill read twice in one answer shows once.
            if (!reads.some((r) => r.skill_id === event.skill_id && r.path === event.path)) {
              reads.push({ skill_id: event.skill_id, name: event.name, ...(event.path !== undefined ? { path: event.path } : {}) });
              write({ skills_read: [...reads] });
            }
          } else if (event.event === 'tool_use') {
            uses.push({ id: event.id, name: event.name, input: event.input });
          } else if (event.event === 'done') {
            final = event;
          } else if (event.event === 'error') {
            // A server without a key is not an answer: the message waits (the panel says why)
            // instead of the notice being kept in the conversation as the assistant's.
            if (event.code === 'not_configured' && reply === null) return 'not_configured';
            write({ content: text, error: event.message });
            return 'answered';
          }
        }
      } catch (e) {
        if (e instanceof ChatUnreachable && reply === null) return 'unreachable';
        write({ content: text, error: e instanceof Error ? e.message : String(e) });
        return 'answered';
      }
      write({ content: text });
      if (!final || final.stop_reason !== 'tool_use' || uses.length === 0) return 'answered';
      const target = await options.tools();
      group.begin(target.undo);
      const results: ToolResult[] = [...(final.tool_results ?? [])];
      for (const use of uses) {
        const outcome = await applyTool(use.name, use.input, target);
        toolCalls.push({ name: use.name, input: use.input as Json, result: outcome.content, is_error: outcome.isError });
        if (outcome.trace) traces.push(outcome.trace as unknown as Json);
        results.push({ type: 'tool_result', tool_use_id: use.id, content: outcome.content, is_error: outcome.isError });
      }
      write({ tool_calls: [...toolCalls], ...(traces.length > 0 ? { traces: [...traces] } : {}) });
      api.push(...(final.turns ?? []), { role: 'assistant', content: final.content }, { role: 'user', content: results });
      text += text ? '\n\n' : '';
    }
    write({ content: text, error: `Stopped after ${MAX_TOOL_ROUNDS} rounds of tool calls.` });
    return 'answered';
  } finally {
    group.end();
  }
}
