import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { isInitializeRequest, isJSONRPCRequest, isJSONRPCResultResponse, ErrorCode, type JSONRPCMessage, type RequestId } from '@modelcontextprotocol/sdk/types.js';

/** `--server`'s URL as the endpoint: `http://host:port` means its `/mcp`. */
export function mcpEndpoint(server: string): URL {
  const url = new URL(server);
  if (!/\/mcp\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/$/, '')}/mcp`;
  return url;
}

export interface Bridge {
  /** Resolves when either side has closed (the client went away, or the server ended the session). */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

/**
 * Forwards every message between a local transport (stdio: the client that started this process)
 * and a running server's `/mcp`, unchanged: the server's identity rules, tools and notifications
 * are the client's. A message the server cannot be reached with is answered to the client as a
 * JSON-RPC error, with `say` told why (stderr; stdout is the protocol).
 */
export async function bridgeToServer(local: Transport, endpoint: URL, options: { token?: string; say: (line: string) => void }): Promise<Bridge> {
  const remote = new StreamableHTTPClientTransport(endpoint, {
    requestInit: options.token ? { headers: { authorization: `Bearer ${options.token}` } } : undefined,
  });
  let initializeId: RequestId | undefined;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let closing = false;
  const close = async () => {
    if (closing) return closed;
    closing = true;
    // The session ends on the server too, so its calls are cancelled and its watch stops.
    await remote.terminateSession().catch(() => undefined);
    await Promise.all([remote.close().catch(() => undefined), local.close().catch(() => undefined)]);
    resolveClosed();
  };

  const refuse = (message: JSONRPCMessage, error: unknown) => {
    const why = error instanceof Error ? error.message : String(error);
    options.say(`llmunix mcp: ${endpoint.href} did not take a message: ${why}`);
    if (!isJSONRPCRequest(message)) return;
    void local.send({ jsonrpc: '2.0', id: message.id, error: { code: ErrorCode.InternalError, message: `The LLMunix server at ${endpoint.origin} could not be reached or refused the request: ${why}` } });
  };

  local.onmessage = (message) => {
    if (isInitializeRequest(message)) initializeId = (message as { id: RequestId }).id;
    remote.send(message).catch((e: unknown) => refuse(message, e));
  };
  remote.onmessage = (message) => {
    // The HTTP transport sends the negotiated version with every later request, as a client would.
    if (isJSONRPCResultResponse(message) && message.id === initializeId && typeof message.result.protocolVersion === 'string') {
      remote.setProtocolVersion(message.result.protocolVersion);
    }
    local.send(message).catch((e: unknown) => options.say(`llmunix mcp: could not pass a message to the client: ${(e as Error).message}`));
  };
  remote.onerror = (e) => options.say(`llmunix mcp: ${e.message}`);
  local.onerror = (e) => options.say(`llmunix mcp: ${e.message}`);
  local.onclose = () => void close();
  remote.onclose = () => void close();

  await remote.start();
  await local.start();
  return { closed, close };
}
