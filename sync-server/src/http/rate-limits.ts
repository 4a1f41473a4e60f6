import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { identityKey, type Identify } from '../access/identity';
import { HttpError } from './errors';

/**
 * Whose budget a request spends: the identity (a person, a share link, the local user) or, when
 * none is known, the client's address (grouped by /56 for IPv6, where one client holds many).
 */
function budgetOf(identify: Identify, req: Request): string {
  try {
    return identityKey(identify(req));
  } catch {
    // No verified identity on this request: fall back to its address.
  }
  return `ip:${ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown')}`;
}

/**
 * A rate limit of `perMinute` requests a minute per identity, then 429 with the API's error body
 * (`refusal` says what was limited), `Retry-After` (seconds) and the draft-8 `RateLimit` headers.
 * Mount it after authentication, so the budget is the verified person's.
 */
export function identityRateLimit(options: { perMinute: number; identify: Identify; refusal: string }): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: options.perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => budgetOf(options.identify, req),
    // Retry-After and the RateLimit headers are set before the handler runs.
    handler: (_req, _res, next) => next(new HttpError('rate_limited', options.refusal)),
  });
}

/** The REST routes' rate limit. */
export const restRateLimit = (options: { perMinute: number; identify: Identify }): RequestHandler =>
  identityRateLimit({ ...options, refusal: `Too many API requests: at most ${options.perMinute} a minute. Wait until Retry-After says, then send again.` });
