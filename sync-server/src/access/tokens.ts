import { z } from 'zod';
import type { Identity } from '../../../shared/src/access';
import { ID_PATTERN, parseRoomName } from '../../../shared/src/rooms';

/**
 * Signed identities (DESIGN §7): HS256 JWTs made with AUTH_SECRET. A person's token carries
 * `sub`, `teams`, `team_admin` and `exp`; a share link's token carries `share: { room, mode }`
 * and `exp`, and grants that one room only.
 */
const Id = z.string().regex(ID_PATTERN);

const UserClaims = z.object({ sub: Id, teams: z.array(Id).max(256).default([]), team_admin: z.array(Id).max(256).default([]) });
const ShareClaims = z.object({
  share: z.object({
    room: z.string().refine((r) => parseRoomName(r).ok, 'not a room name'),
    mode: z.enum(['read', 'write']),
  }),
});

export type TokenFailure = { code: 'missing' | 'expired' | 'invalid'; message: string };

const key = (secret: string) => new TextEncoder().encode(secret);

/** jose, imported by the first token made or checked: a server without AUTH_SECRET never needs it, and loading it at start slowed every restart. */
const jose = () => import('jose');

/** Parses a lifetime like `90d`, `12h`, `30m` or seconds, for the `exp` claim. */
export const lifetime = (text: string): string => (/^\d+$/.test(text) ? `${text}s` : text);

/** Makes a person's token. */
export async function mintUserToken(secret: string, claims: { sub: string; teams?: string[]; team_admin?: string[] }, expiresIn = '30d'): Promise<string> {
  const parsed = UserClaims.parse({ ...claims, teams: claims.teams ?? [], team_admin: claims.team_admin ?? [] });
  const { SignJWT } = await jose();
  return new SignJWT({ teams: parsed.teams, team_admin: parsed.team_admin })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(parsed.sub)
    .setIssuedAt()
    .setExpirationTime(lifetime(expiresIn))
    .sign(key(secret));
}

/** Makes a share link's token for one room, read or write. */
export async function mintShareToken(secret: string, room: string, mode: 'read' | 'write', expiresIn = '7d'): Promise<string> {
  const parsed = ShareClaims.parse({ share: { room, mode } });
  const { SignJWT } = await jose();
  return new SignJWT({ share: parsed.share }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(lifetime(expiresIn)).sign(key(secret));
}

/** Checks a token and says who it is, or why it is refused (never which part of a forgery failed). */
export async function verifyToken(secret: string, token: string | undefined | null): Promise<{ ok: true; identity: Identity } | { ok: false; error: TokenFailure }> {
  if (!token) return { ok: false, error: { code: 'missing', message: 'No token: sign in, or open a share link.' } };
  const { errors, jwtVerify } = await jose();
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key(secret), { algorithms: ['HS256'], requiredClaims: ['exp'] }));
  } catch (e) {
    if (e instanceof errors.JWTExpired) return { ok: false, error: { code: 'expired', message: 'The token has expired: ask for a new one.' } };
    return { ok: false, error: { code: 'invalid', message: 'The token is not valid for this server.' } };
  }
  const share = ShareClaims.safeParse(payload);
  if (share.success) return { ok: true, identity: { kind: 'share', room: share.data.share.room, mode: share.data.share.mode } };
  const user = UserClaims.safeParse(payload);
  if (user.success) return { ok: true, identity: { kind: 'user', sub: user.data.sub, teams: user.data.teams, team_admin: user.data.team_admin } };
  return { ok: false, error: { code: 'invalid', message: 'The token carries no identity this server understands.' } };
}
