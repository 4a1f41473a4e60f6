// ACCESS-3: every cell of DESIGN §7's permission table, over the WebSocket and over REST, for
// each kind of caller. Expectations are written out by hand from the design (not computed with
// the access function under test), and every refused write is checked to leave storage as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE } from '../../shared/src/codes';
import { mintShareToken, mintUserToken } from '../src/access/tokens';
import { startTestServer } from './harness/in-process';
import { openPeer } from './harness/raw-peer';
import { requestAs } from './harness/rest-as';

const SECRET = 'permission-table-secret-0123456789-abcdef';

const WHO = ['owner', 'member', 'admin', 'outsider', 'share reader', 'share writer', 'no token'] as const;
type Who = (typeof WHO)[number];

/** Each cell of the table: a room, and what is attempted in it. */
const ACTIONS = [
  'read user index', 'write user listings', 'write user skills',
  'read user session', 'write user session',
  'read team index', 'write team listings', 'write team skills',
  'read team session', 'write team session',
  'read system', 'write system listings', 'write system skills',
] as const;
type Action = (typeof ACTIONS)[number];

// alice owns user/alice; bob is a member of team "lab"; ada administers it; eve is in neither.
// The share links are for alice's session (and, like everyone, read system). Y: allowed, N: refused.
//                                user index  user session  team index  team session  system
//                                R  L  K     R  W          R  L  K     R  W          R  L  K
const TABLE: Record<Who, string> = {
  owner: /*                   */ 'Y  Y  Y     Y  Y          N  N  N     N  N          Y  N  N',
  member: /*                  */ 'N  N  N     N  N          Y  Y  N     Y  Y          Y  N  N',
  admin: /*                   */ 'N  N  N     N  N          Y  Y  Y     Y  Y          Y  N  N',
  outsider: /*                */ 'N  N  N     N  N          N  N  N     N  N          Y  N  N',
  'share reader': /*          */ 'N  N  N     Y  N          N  N  N     N  N          Y  N  N',
  'share writer': /*          */ 'N  N  N     Y  Y          N  N  N     N  N          Y  N  N',
  'no token': /*              */ 'N  N  N     N  N          N  N  N     N  N          N  N  N',
};
const allowed = (who: Who, action: Action): boolean => TABLE[who].split(/\s+/)[ACTIONS.indexOf(action)] === 'Y';

let server: Awaited<ReturnType<typeof startTestServer>>;
const tokens = {} as Record<Who, string | undefined>;
let userSession = '';
let teamSession = '';

const api = (path: string, who: Who, init: { method?: string; body?: unknown } = {}) => requestAs(server.url, tokens[who], path, init);

/** The room's document as storage holds it. */
async function storedDoc(room: string): Promise<Y.Doc> {
  const stored = await server.storage.load(room);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return doc;
}
const storedBytes = async (room: string) => Buffer.from(Y.encodeStateAsUpdate(await storedDoc(room))).toString('base64');

/** The room each action is about, and the part of its document a write changes. */
function targetOf(action: Action): { room: string; part: 'listings' | 'skills' | 'session' | null } {
  const [verb, scope, what] = action.split(' ') as [string, 'user' | 'team' | 'system', string];
  const room =
    scope === 'system' ? 'system/system'
    : what === 'session' ? (scope === 'user' ? `user/alice/session/${userSession}` : `team/lab/session/${teamSession}`)
    : scope === 'user' ? 'user/alice' : 'team/lab';
  const part = verb === 'read' ? null : what === 'listings' ? 'listings' : what === 'skills' ? 'skills' : 'session';
  return { room, part };
}

/** The cell that says whether the room of an action may be read (and so joined) at all. */
function readOf(action: Action): Action {
  const [, scope, what] = action.split(' ') as [string, string, string];
  if (scope === 'system') return 'read system';
  return `read ${scope} ${what === 'session' ? 'session' : 'index'}` as Action;
}

beforeAll(async () => {
  // No compaction during the test, so "storage unchanged" compares the same log byte for byte.
  server = await startTestServer({ AUTH_SECRET: SECRET, COMPACT_AFTER_UPDATES: '100000' });
  tokens.owner = await mintUserToken(SECRET, { sub: 'alice' });
  tokens.member = await mintUserToken(SECRET, { sub: 'bob', teams: ['lab'] });
  tokens.admin = await mintUserToken(SECRET, { sub: 'ada', teams: ['lab'], team_admin: ['lab'] });
  tokens.outsider = await mintUserToken(SECRET, { sub: 'eve' });
  tokens['no token'] = undefined;
  const mine = await api('/api/sessions', 'owner', { method: 'POST', body: { name: 'Alice’s notes' } });
  userSession = mine.body.id as string;
  const ours = await api('/api/sessions', 'admin', { method: 'POST', body: { name: 'Lab notes', volume: 'team', volume_id: 'lab' } });
  teamSession = ours.body.id as string;
  expect([mine.status, ours.status]).toEqual([201, 201]);
  tokens['share reader'] = await mintShareToken(SECRET, `user/alice/session/${userSession}`, 'read');
  tokens['share writer'] = await mintShareToken(SECRET, `user/alice/session/${userSession}`, 'write');
});
afterAll(async () => {
  await server.close();
});

let n = 0;
const marker = () => `probe-${++n}`;

/** Whether a write left its mark in storage. */
async function marked(room: string, part: 'listings' | 'skills' | 'session', mark: string): Promise<boolean> {
  const doc = await storedDoc(room);
  if (part === 'listings') return doc.getMap('workflows').has(mark);
  if (part === 'skills') return doc.getMap('skills').has(mark);
  return doc.getMap('meta').get('name') === mark;
}

describe('over the WebSocket', () => {
  for (const who of WHO) {
    for (const action of ACTIONS) {
      const yes = allowed(who, action);
      it(`${who} · ${action} → ${yes ? 'allowed' : 'refused'}`, async () => {
        const { room, part } = targetOf(action);
        const before = await storedBytes(room);
        const opened = await openPeer(server.url, room, tokens[who]);
        if (!allowed(who, readOf(action))) {
          const refusal = who === 'no token' ? CLOSE.unauthorized.code : CLOSE.forbidden.code;
          expect(opened).toEqual({ ok: false, code: refusal });
          expect(await storedBytes(room)).toBe(before);
          return;
        }
        if (!opened.ok) throw new Error(`connection refused with ${opened.code}`);
        const { peer } = opened;
        try {
          if (!part) {
            expect(yes).toBe(true);
            return;
          }
          const mark = marker();
          peer.write((doc) => {
            if (part === 'listings') doc.getMap('workflows').set(mark, new Y.Map<unknown>([['name', mark]]));
            else if (part === 'skills') doc.getMap('skills').set(mark, new Y.Text(`---\nname: ${mark}\n---\n`));
            else doc.getMap('meta').set('name', mark);
          });
          await peer.roundTrip();
          expect(await marked(room, part, mark)).toBe(yes);
          if (yes) {
            expect(peer.denials).toEqual([]);
          } else {
            expect(peer.denials).toHaveLength(1);
            expect(peer.denials[0]).toContain('not saved');
            expect(await storedBytes(room)).toBe(before);
          }
        } finally {
          peer.close();
        }
      });
    }
  }
});

describe('over REST', () => {
  /** The request each cell makes, and the status that means "allowed". */
  function requestOf(action: Action, mark: string): { path: string; method?: string; body?: unknown; ok: number } {
    const [verb, scope, what] = action.split(' ') as [string, 'user' | 'team' | 'system', string];
    const volume = scope === 'system' ? 'volume=system' : scope === 'user' ? 'volume=user&volume_id=alice' : 'volume=team&volume_id=lab';
    const body = scope === 'system' ? { volume: 'system' } : scope === 'user' ? { volume: 'user', volume_id: 'alice' } : { volume: 'team', volume_id: 'lab' };
    const session = scope === 'user' ? userSession : teamSession;
    if (what === 'session') {
      return verb === 'read'
        ? { path: `/api/sessions/${session}?${volume}`, ok: 200 }
        : { path: `/api/sessions/${session}?${volume}`, method: 'PUT', body: { name: mark }, ok: 200 };
    }
    if (verb === 'read') return { path: `/api/skills?${volume}`, ok: 200 };
    if (what === 'listings') return { path: '/api/sessions', method: 'POST', body: { name: mark, ...body }, ok: 201 };
    return { path: '/api/skills', method: 'POST', body: { name: mark, skill_id: mark, code: 'def execute(inputs):\n    return {}', ...body }, ok: 201 };
  }

  for (const who of WHO) {
    for (const action of ACTIONS) {
      const yes = allowed(who, action);
      it(`${who} · ${action} → ${yes ? 'allowed' : 'refused'}`, async () => {
        const { room } = targetOf(action);
        const mark = marker();
        const req = requestOf(action, mark);
        const before = await storedBytes(room);
        const res = await api(req.path, who, req);
        const refused = who === 'no token' ? 401 : 403;
        expect(res.status, JSON.stringify(res.body)).toBe(yes ? req.ok : refused);
        if (!yes) {
          expect((res.body.error as { message: string }).message).toBeTruthy();
          expect(await storedBytes(room)).toBe(before);
        } else if (action.startsWith('write')) {
          expect(await storedBytes(room)).not.toBe(before);
        }
      });
    }
  }
});
