import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer of the fake Messages API. */
export type FakeReply =
  | { kind: 'stream'; blocks: Array<{ type: 'text'; text: string[] } | { type: 'tool_use'; id: string; name: string; input: unknown }>; delayMs?: number; stopReason?: string }
  | { kind: 'status'; status: number; type: string; message: string }
  | { kind: 'drop'; text: string[] }
  | { kind: 'hang' };

export interface FakeAnthropic {
  url: string;
  /** Every request received, in order: its headers and body. */
  requests: Array<{ headers: http.IncomingHttpHeaders; body: Record<string, unknown> }>;
  /** Queues replies (or functions of the request body, to answer what it carries); requests beyond the queue get a short text answer. */
  reply(...replies: Array<FakeReply | ((body: Record<string, unknown>) => FakeReply)>): void;
  close(): Promise<void>;
}

const sse = (res: http.ServerResponse, event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A local HTTP fake of the Anthropic Messages API (`POST /v1/messages`) that answers the way the
 * real one does: server-sent events (message_start, content_block_start/delta/stop,
 * message_delta, message_stop) when `stream` is true, a JSON message otherwise, and the real
 * error shape for error statuses.
 */
export async function startFakeAnthropic(): Promise<FakeAnthropic> {
  const queue: Array<FakeReply | ((body: Record<string, unknown>) => FakeReply)> = [];
  const requests: FakeAnthropic['requests'] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => void handle(req, res, raw));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string) {
    const body = JSON.parse(raw || '{}') as Record<string, unknown>;
    requests.push({ headers: req.headers, body });
    const next = queue.shift() ?? { kind: 'stream', blocks: [{ type: 'text', text: ['OK'] }] };
    const reply = typeof next === 'function' ? next(body) : next;
    // Never answers: the client's timeout has to end it.
    if (reply.kind === 'hang') return;
    if (reply.kind === 'status') {
      res.writeHead(reply.status, { 'content-type': 'application/json', 'request-id': 'req_fake' });
      res.end(JSON.stringify({ type: 'error', error: { type: reply.type, message: reply.message } }));
      return;
    }
    const message = { id: 'msg_fake', type: 'message', role: 'assistant', model: String(body.model), content: [] as unknown[], stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1 } };
    if (!body.stream) {
      const blocks = reply.kind === 'stream' ? reply.blocks : [{ type: 'text' as const, text: reply.text }];
      message.content = blocks.map((b) => (b.type === 'text' ? { type: 'text', text: b.text.join('') } : b));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...message, stop_reason: 'end_turn' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    sse(res, 'message_start', { type: 'message_start', message });
    const blocks = reply.kind === 'stream' ? reply.blocks : [{ type: 'text' as const, text: reply.text }];
    for (const [index, block] of blocks.entries()) {
      if (block.type === 'text') {
        sse(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
        for (const piece of block.text) {
          sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } });
          await sleep(reply.kind === 'stream' ? (reply.delayMs ?? 0) : 20);
        }
        if (reply.kind === 'drop') {
          // The connection dies mid-answer, as a dropped upstream stream does.
          res.destroy();
          return;
        }
      } else {
        sse(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
        sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } });
      }
      sse(res, 'content_block_stop', { type: 'content_block_stop', index });
    }
    const stopReason = reply.kind === 'stream' ? (reply.stopReason ?? (blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn')) : 'end_turn';
    sse(res, 'message_delta', { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: 20 } });
    sse(res, 'message_stop', { type: 'message_stop' });
    res.end();
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (...replies) => queue.push(...replies),
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
