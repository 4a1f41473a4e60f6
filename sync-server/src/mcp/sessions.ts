import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Identity } from '../../../shared/src/access';
import { identityKey } from '../access/identity';
import { HttpError } from '../http/errors';
import { CallsInFlight, toolCallIds } from './calls-in-flight';
import { createMcpServer, type McpDeps } from './server';

/** Sessions one identity may hold open at once; more is a client that forgets to close them. */
export const MCP_SESSIONS_PER_IDENTITY = 64;
/** The largest request body the transport reads itself (app.ts's JSON parser reads the rest first, up to the same). */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

interface Session {
  id: string;
  /** Who opened it (`identityKey`): every later request of the session must be them. */
  owner: string;
  transport: StreamableHTTPServerTransport;
  /** Its tool calls still running, stopped when their request is dropped. */
  calls: CallsInFlight;
  /** Requests of this session still open (a GET stream stays open while its client listens). */
  open: number;
  idle?: NodeJS.Timeout;
}

/**
 * The MCP sessions of the HTTP endpoint: one SDK server and transport each, for the identity that
 * opened it. A session ends on DELETE, when its transport closes, after `idleMs` without any
 * request open, and all of them when the server shuts down.
 */
export class McpSessions {
  private readonly sessions = new Map<string, Session>();
  private closed = false;

  constructor(
    private readonly deps: McpDeps,
    /** `idleMs` (MCP_SESSION_IDLE_MS): a session with no request open this long is closed, its client gone without saying. */
    private readonly options: { idleMs: number },
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  /** The session `id`, and whether `identity` may use it ('forbidden': someone else opened it). */
  find(id: string, identity: Identity): Session | 'forbidden' | undefined {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    return session.owner === identityKey(identity) ? session : 'forbidden';
  }

  /** A new session for `identity`, answering the `initialize` request that opens it. */
  async open(identity: Identity, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const owner = identityKey(identity);
    if (this.closed) throw new HttpError('unavailable', 'The server is shutting down: connect again once it is back.');
    if ([...this.sessions.values()].filter((s) => s.owner === owner).length >= MCP_SESSIONS_PER_IDENTITY) {
      throw new HttpError('rate_limited', `You have ${MCP_SESSIONS_PER_IDENTITY} MCP sessions open already: close those you no longer use (DELETE /mcp with their Mcp-Session-Id) or wait until they expire.`);
    }
    const { log } = this.deps;
    const calls = new CallsInFlight();
    const server = createMcpServer(identity, this.deps, calls);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      maxRequestBodySize: MAX_BODY_BYTES,
      onsessioninitialized: (id) => {
        this.sessions.set(id, { id, owner, transport, calls, open: 0 });
        log.debug({ session: id, identity: owner }, 'mcp: session opened');
      },
    });
    transport.onclose = () => {
      const id = transport.sessionId;
      const session = id ? this.sessions.get(id) : undefined;
      if (!session || session.transport !== transport) return;
      clearTimeout(session.idle);
      this.sessions.delete(session.id);
      log.debug({ session: session.id, identity: owner }, 'mcp: session closed');
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
    // An initialize the transport refused opened nothing: its server goes now.
    if (!transport.sessionId || !this.sessions.has(transport.sessionId)) await server.close();
    else this.track(this.sessions.get(transport.sessionId)!, res);
  }

  /** Hands a request of an existing session to its transport. */
  async handle(session: Session, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    this.track(session, res);
    // A tool call's answer streams on its own POST: closed before the answer ends, its client is gone.
    const calls = req.method === 'POST' ? toolCallIds(body) : [];
    if (calls.length > 0) res.once('close', () => res.writableFinished || session.calls.abandon(calls));
    await session.transport.handleRequest(req, res, body);
  }

  /** Counts the request as open until its response is done, and restarts the idle clock after it. */
  private track(session: Session, res: ServerResponse): void {
    session.open += 1;
    clearTimeout(session.idle);
    session.idle = undefined;
    const settled = () => {
      session.open -= 1;
      if (session.open > 0 || !this.sessions.has(session.id)) return;
      session.idle = setTimeout(() => void session.transport.close(), this.options.idleMs);
      session.idle.unref();
    };
    if (res.writableFinished || res.destroyed) settled();
    else res.once('close', settled);
  }

  /** Ends every session (their calls are cancelled) and refuses new ones. */
  async closeAll(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.sessions.values()].map((s) => s.transport.close().catch(() => undefined)));
  }
}
