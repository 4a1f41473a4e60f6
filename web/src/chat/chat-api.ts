import type { SkillRead } from '../../../shared/src/documents/session';

/** What the server streams for one chat request (see sync-server/src/chat/routes.ts). */
export type ChatEvent =
  | { event: 'skills'; skills_used: string[] }
  | { event: 'text'; text: string }
  | ({ event: 'skill_read' } & SkillRead)
  | { event: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | {
      event: 'done';
      stop_reason: string;
      content: AssistantBlock[];
      /** The rounds the server answered itself (skill reads), to keep in the conversation. */
      turns?: ApiMessage[];
      /** The server's results for its own tools in this last turn, sent back with the app's. */
      tool_results?: ToolResult[];
    }
  | { event: 'error'; code: string; message: string };

export type AssistantBlock = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown };

export type ToolResult = { type: 'tool_result'; tool_use_id: string; content: string; is_error?: boolean };

export type ApiMessage = { role: 'user'; content: string | Array<ToolResult | { type: 'text'; text: string }> } | { role: 'assistant'; content: string | AssistantBlock[] };

/** The server could not be reached: the message waits and is sent when the connection returns. */
export class ChatUnreachable extends Error {
  override name = 'ChatUnreachable';
}

/** Reads server-sent events from a response body as they arrive. */
async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<{ event: string; data: string }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (event && data) yield { event, data };
    }
  }
}

/** Streams one chat request: skills chosen, text as it comes, tool calls, then done or error. */
export async function* streamChat(messages: ApiMessage[], options: { signal?: AbortSignal; token?: string } = {}): AsyncGenerator<ChatEvent> {
  let response: Response;
  try {
    response = await fetch('/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      body: JSON.stringify({ messages }),
      signal: options.signal,
    });
  } catch (e) {
    if (options.signal?.aborted) throw e;
    throw new ChatUnreachable('The server cannot be reached; your message will be sent when it can.');
  }
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string; code?: string } } | null;
    yield { event: 'error', code: body?.error?.code ?? `http_${response.status}`, message: body?.error?.message ?? `The server answered ${response.status}.` };
    return;
  }
  let finished = false;
  try {
    for await (const { event, data } of readEvents(response.body)) {
      const parsed = { event, ...(JSON.parse(data) as object) } as ChatEvent;
      if (event === 'done' || event === 'error') finished = true;
      yield parsed;
    }
  } catch (e) {
    if (options.signal?.aborted) throw e;
  }
  if (!finished) yield { event: 'error', code: 'stream_dropped', message: 'The connection dropped before the answer was complete. What arrived is kept; ask again to continue.' };
}
