import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { Router, type RequestHandler, type Response } from 'express';
import type { Identify } from '../access/identity';
import { HttpError } from '../http/errors';
import { identityRateLimit } from '../http/rate-limits';
import type { McpSessions } from './sessions';

export interface McpRouteDeps {
  sessions: McpSessions;
  identify: Identify;
  /** Verifies the Bearer token of every request (absent in local mode, where app.ts lets only loopback names in). */
  authenticate?: RequestHandler;
  /** Requests a minute per identity, as REST's. */
  perMinute: number;
}

/** A JSON-RPC error as the Streamable HTTP transport answers one outside any request. */
function rpcError(res: Response, status: number, code: number, message: string): void {
  res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
}

/**
 * `/mcp`, MCP's Streamable HTTP endpoint: POST carries the client's messages (an `initialize`
 * without a session opens one), GET the stream of the server's notifications, DELETE ends the
 * session. Every request of a session must come from the identity that opened it.
 */
export function mcpRouter(deps: McpRouteDeps): Router {
  const router = Router();
  if (deps.authenticate) router.use(deps.authenticate);
  router.use(
    identityRateLimit({
      perMinute: deps.perMinute,
      identify: deps.identify,
      refusal: `Too many MCP requests: at most ${deps.perMinute} a minute. Wait until Retry-After says, then send again.`,
    }),
  );

  const handler: RequestHandler = async (req, res, next) => {
    try {
      const identity = deps.identify(req);
      // app.ts's JSON parser has read the body already (within its limit); what it did not parse, the transport reads and refuses.
      const body: unknown = req.body;
      const sessionId = req.header('mcp-session-id');
      if (sessionId === undefined) {
        if (req.method === 'POST' && isInitializeRequest(body)) return await deps.sessions.open(identity, req, res, body);
        return rpcError(res, 400, -32000, 'Bad Request: no Mcp-Session-Id header. Send initialize first (without one) and then every request with the session id it answered.');
      }
      const session = deps.sessions.find(sessionId, identity);
      if (session === undefined) return rpcError(res, 404, -32001, 'Session not found: it ended or never existed. Send initialize again to open a new one.');
      if (session === 'forbidden') throw new HttpError('forbidden', 'This MCP session was opened with another token: send its requests with the token that opened it, or open a session of your own.');
      await deps.sessions.handle(session, req, res, body);
    } catch (e) {
      next(e);
    }
  };
  router.post('/', handler);
  router.get('/', handler);
  router.delete('/', handler);
  router.all('/', (req, _res, next) => next(new HttpError('bad_request', `${req.method} /mcp is not part of MCP's Streamable HTTP transport: use POST, GET or DELETE.`)));
  return router;
}
