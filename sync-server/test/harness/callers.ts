import { mintShareToken, mintUserToken } from '../../src/access/tokens';

/**
 * The kinds of caller of the access tables: alice owns user/alice; bob is a member of team "lab";
 * ada administers it; eve is in neither; the share links are for one room of alice's.
 */
export const CALLERS = ['owner', 'member', 'admin', 'outsider', 'share reader', 'share writer', 'no token'] as const;
export type Caller = (typeof CALLERS)[number];

/** A token for each caller (none for "no token"), the share links for `sharedRoom`. */
export async function callerTokens(secret: string, sharedRoom: string): Promise<Record<Caller, string | undefined>> {
  return {
    owner: await mintUserToken(secret, { sub: 'alice' }),
    member: await mintUserToken(secret, { sub: 'bob', teams: ['lab'] }),
    admin: await mintUserToken(secret, { sub: 'ada', teams: ['lab'], team_admin: ['lab'] }),
    outsider: await mintUserToken(secret, { sub: 'eve' }),
    'share reader': await mintShareToken(secret, sharedRoom, 'read'),
    'share writer': await mintShareToken(secret, sharedRoom, 'write'),
    'no token': undefined,
  };
}

/** Reads a hand-written access table (a row of Y and N per caller, one per action): whether `who` may do `action`. */
export const allowedIn =
  <A extends string>(table: Record<Caller, string>, actions: readonly A[]) =>
  (who: Caller, action: A): boolean =>
    table[who].split(/\s+/)[actions.indexOf(action)] === 'Y';
