import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { localIdentity, type Identity } from '../../../shared/src/access';
import { LOCAL_USER_ID } from '../../../shared/src/rooms';
import { HttpError } from '../http/errors';
import { verifyToken, type TokenFailure } from './tokens';

/**
 * Who is making a request. With no AUTH_SECRET the server is in single-user local mode and
 * everyone is the one local user; with one, the identity comes from the request's verified
 * token (see `authenticator`), looked up here by request.
 */
export type Identify = (req: { headers: IncomingHttpHeaders; url?: string }) => Identity;

/** The identify function of single-user local mode. */
export const identifyLocal: Identify = () => localIdentity(LOCAL_USER_ID);

/** The token a request carries: `Authorization: Bearer …`, or `?token=` (WebSockets). */
export function tokenOf(req: { headers: IncomingHttpHeaders; url?: string }): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return new URL(req.url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
}

/**
 * Token-based identities: `verify` checks a request once (HTTP middleware, WebSocket upgrade),
 * and `identify` then reads what it found.
 */
export function tokenIdentities(secret: string): {
  identify: Identify;
  verify: (req: IncomingMessage) => Promise<{ ok: true; identity: Identity } | { ok: false; error: TokenFailure }>;
  middleware: RequestHandler;
} {
  const verified = new WeakMap<object, Identity>();
  const verify = async (req: IncomingMessage) => {
    const result = await verifyToken(secret, tokenOf(req));
    if (result.ok) verified.set(req, result.identity);
    return result;
  };
  return {
    verify,
    identify: (req) => {
      const identity = verified.get(req);
      // Routes run only after the middleware verified the request; reaching here without it is a bug.
      if (!identity) throw new Error('request identity read before its token was verified');
      return identity;
    },
    middleware: (req, _res, next) => {
      void verify(req).then((result) => next(result.ok ? undefined : new HttpError('unauthorized', result.error.message)), next);
    },
  };
}

/** A short name for an identity, equal for the same person (or the same share link's room and mode). */
export function identityKey(identity: Identity): string {
  switch (identity.kind) {
    case 'user':
      return `user:${identity.sub}`;
    case 'share':
      return `share:${identity.mode}:${identity.room}`;
    case 'server':
      return 'server';
  }
}
