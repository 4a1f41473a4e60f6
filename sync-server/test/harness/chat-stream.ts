/** One server-sent event of POST /api/chat, with when it arrived. */
export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
  at: number;
}

/** Posts to a server's /api/chat and collects the server-sent events as they arrive, and the raw text. */
export async function postChat(url: string, body: unknown, token?: string): Promise<{ status: number; events: SseEvent[]; raw: string }> {
  const res = await fetch(`${url}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const events: SseEvent[] = [];
  let raw = '';
  if (!res.body) return { status: res.status, events, raw };
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const chunk = decoder.decode(value, { stream: true });
    raw += chunk;
    buffer += chunk;
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(frame)?.[1] ?? '{}';
      events.push({ event, data: JSON.parse(data) as Record<string, unknown>, at: Date.now() });
    }
  }
  return { status: res.status, events, raw };
}
