import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Identify } from '../access/identity';
import { errorBody } from '../rest/http-error';

/**
 * Whose budget a request spends: the person (token subject), a share link's room, or, when no
 * identity is known, the client's address (grouped by /56 for IPv6, where one client holds many).
 * In local mode everyone is the one local user, who gets one budget.
 */
function budgetOf(identify: Identify, req: Request): string {
  try {
    const id = identify(req);
    if (id.kind === 'user') return `user:${id.sub}`;
    if (id.kind === 'share') return `share:${id.room}`;
  } catch {
    // No verified identity on this request: fall back to its address.
  }
  return `ip:${ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown')}`;
}

/**
 * The REST routes' rate limit: `perMinute` requests a minute per identity, then 429 with the
 * API's error body, `Retry-After` (seconds) and the draft-8 `RateLimit` headers. Mount it after
 * authentication, so the budget is the verified person's.
 */
export function restRateLimit(options: { perMinute: number; identify: Identify }): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: options.perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => budgetOf(options.identify, req),
    handler: (_req, res) => {
      res
        .status(429)
        .json(errorBody('rate_limited', `Too many API requests: at most ${options.perMinute} a minute. Wait until Retry-After says, then send again.`));
    },
  });
}
