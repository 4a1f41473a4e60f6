import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { HttpError } from './errors';
import { localHostAllowed } from './local-host';

/** What a cross-origin page may send: JSON bodies with a token, and an MCP client's session headers (`/mcp`). */
const ALLOW_HEADERS = 'authorization, content-type, mcp-session-id, mcp-protocol-version, last-event-id';
const ALLOW_METHODS = 'GET, POST, PUT, DELETE';
/** What it may read besides the simple headers: the rate limit's state, where a started run is (`Location`), and its MCP session. */
const EXPOSE_HEADERS = 'RateLimit, RateLimit-Policy, Retry-After, Location, Mcp-Session-Id';
/** How long a browser may reuse a preflight's answer, in seconds. */
const PREFLIGHT_MAX_AGE = 600;

/** The host (and port) a request's `Origin` names, or undefined when it is no http(s) origin. */
function originHost(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.host : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a request comes from a page of this server: its Origin names the host the request was
 * sent to. Behind a proxy that rewrites `Host`, the proxy's `X-Forwarded-Host` counts too; a
 * browser page cannot set that header itself, and a browser page is all an Origin check is about.
 */
function isSameOrigin(req: IncomingMessage, origin: string): boolean {
  const host = originHost(origin);
  if (!host) return false;
  const forwarded = req.headers['x-forwarded-host'];
  const hosts = [req.headers.host, ...(typeof forwarded === 'string' ? forwarded.split(',').map((h) => h.trim()) : [])];
  return hosts.some((h) => h?.toLowerCase() === host);
}

/**
 * Why a WebSocket upgrade may not go on, or undefined when it may. Browsers always send `Origin`
 * with a WebSocket, and a page of any site could otherwise open the rooms of whoever visits it
 * (in local mode with no token at all: cross-site WebSocket hijacking). So a browser's upgrade
 * must come from this server's own pages or a listed origin; in local mode it must also be
 * addressed to a loopback name (see local-host.ts). Clients without `Origin` (y-websocket in
 * Node, the CLI) are not browsers and are let through; their token decides.
 */
export function upgradeRefusal(req: IncomingMessage, allowed: readonly string[], localMode: boolean): string | undefined {
  if (localMode && !localHostAllowed(req)) {
    return `This server is in single-user local mode and accepts WebSockets only to localhost, 127.0.0.1 or [::1], not to ${JSON.stringify(req.headers.host ?? '')}.`;
  }
  const origin = req.headers.origin;
  if (origin === undefined || allowed.includes(origin) || isSameOrigin(req, origin)) return undefined;
  return `Pages of ${origin} may not open WebSockets here: add it to CORS_ORIGINS on the server.`;
}

/**
 * CORS for the configured origins only (CORS_ORIGINS). A listed origin gets the headers that let
 * its pages call the API with a Bearer token; any other cross-origin request gets none, so the
 * browser keeps the answer from the page, and its preflight is refused with 403. Same-origin
 * requests need no CORS and pass untouched.
 */
export function corsFor(allowed: readonly string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined || isSameOrigin(req, origin)) return next();
    const listed = allowed.includes(origin);
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    res.vary('Origin');
    if (!listed) {
      if (!preflight) return next();
      return next(new HttpError('forbidden', `Requests from ${origin} are not allowed: add it to CORS_ORIGINS on the server to call this API from that site.`));
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    if (!preflight) return next();
    res.setHeader('Access-Control-Allow-Methods', ALLOW_METHODS);
    res.setHeader('Access-Control-Allow-Headers', ALLOW_HEADERS);
    res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE));
    res.status(204).end();
  };
}
