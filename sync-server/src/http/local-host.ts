import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { HttpError } from './errors';

/**
 * Whether a `Host` header names this machine: localhost (and *.localhost, which browsers resolve
 * themselves, never through DNS), 127.x.y.z or [::1], with any port.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * In single-user local mode, whether a request was addressed to this machine by a loopback name.
 * There, anyone who reaches the server is the user, and the Origin check keeps other sites' pages
 * out, except one way: a site can point its own name at 127.0.0.1 (DNS rebinding), and its pages
 * are then same-origin with this server as far as the browser knows. Their requests still carry
 * the site's name in `Host`, which no loopback address has.
 */
export function localHostAllowed(req: IncomingMessage): boolean {
  return isLoopbackHost(req.headers.host);
}

/** Local mode's HTTP side: requests to any other name than a loopback one get 403, saying why. */
export function loopbackHostsOnly(): RequestHandler {
  return (req, _res, next) => {
    if (localHostAllowed(req)) return next();
    next(
      new HttpError(
        'forbidden',
        `This server is in single-user local mode and answers only requests to localhost, 127.0.0.1 or [::1], not to ${JSON.stringify(req.headers.host ?? '')}. Open it at http://127.0.0.1, or set AUTH_SECRET to serve it under other names.`,
      ),
    );
  };
}
