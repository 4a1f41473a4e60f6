import type { RequestId } from '@modelcontextprotocol/sdk/types.js';

/**
 * The tool calls of one MCP session still running, by JSON-RPC request id, so a call whose HTTP
 * request was dropped (the client gone without `notifications/cancelled`: a network cut, a killed
 * process) stops its run at once instead of holding one of the server's few run slots until
 * RUN_TIMEOUT_MS. The SDK aborts a handler only on `notifications/cancelled`.
 */
export class CallsInFlight {
  private readonly calls = new Map<RequestId, AbortController>();

  /** A call starts: its signal aborts when its request is abandoned. */
  start(id: RequestId): AbortSignal {
    const abort = new AbortController();
    this.calls.set(id, abort);
    return abort.signal;
  }

  end(id: RequestId): void {
    this.calls.delete(id);
  }

  /** The requests `ids` were dropped by their client: their calls stop. */
  abandon(ids: readonly RequestId[]): void {
    for (const id of ids) this.calls.get(id)?.abort(new Error('the client went away'));
  }
}

/** The ids of the `tools/call` requests a POST body carries (one message or a batch). */
export function toolCallIds(body: unknown): RequestId[] {
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  return messages.flatMap((m) => {
    const message = m as { method?: unknown; id?: unknown } | null;
    return message?.method === 'tools/call' && (typeof message.id === 'string' || typeof message.id === 'number') ? [message.id] : [];
  });
}
