// A workflow's run history room (`…/runs/{id}`) over the WebSocket: reading and recording runs
// follow the workflow room's access for every kind of caller (user, team member and admin,
// share links to the workflow, to another workflow, to the runs room itself, no token). The
// expectations are written out by hand, and every refused write is checked to leave storage as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE } from '../../shared/src/codes';
import { addRun, listRuns, type RunRecord } from '../../shared/src/documents/runs';
import { mintShareToken, mintUserToken } from '../src/access/tokens';
import { startTestServer } from './harness/in-process';
import { openPeer } from './harness/raw-peer';
import { storedBytes, storedDoc } from './harness/stored';

const SECRET = 'runs-access-secret-0123456789-abcdef';

const WHO = ['owner', 'member', 'admin', 'outsider', 'workflow reader', 'workflow writer', 'other workflow writer', 'runs reader', 'no token'] as const;
type Who = (typeof WHO)[number];

const ROOMS = ['user/alice/runs/w', 'user/alice/workflow/w', 'team/lab/runs/w', 'team/lab/workflow/w'] as const;
type Room = (typeof ROOMS)[number];

// alice owns user/alice; bob is a member of team "lab"; ada administers it; eve is in neither.
// The share links are for alice's workflow w (read, write), her workflow w2 (write), and her
// runs room of w (read). -: refused at connection, R: read only, W: read and write.
//                               alice runs  alice workflow  lab runs  lab workflow
const TABLE: Record<Who, string> = {
  owner: /*                  */ 'W           W               -         -',
  member: /*                 */ '-           -               W         W',
  admin: /*                  */ '-           -               W         W',
  outsider: /*               */ '-           -               -         -',
  'workflow reader': /*      */ 'R           R               -         -',
  'workflow writer': /*      */ 'W           W               -         -',
  'other workflow writer': /**/ '-           -               -         -',
  'runs reader': /*          */ 'R           -               -         -',
  'no token': /*             */ '-           -               -         -',
};
const cell = (who: Who, room: Room): '-' | 'R' | 'W' => TABLE[who].split(/\s+/)[ROOMS.indexOf(room)] as '-' | 'R' | 'W';

let server: Awaited<ReturnType<typeof startTestServer>>;
const tokens = {} as Record<Who, string | undefined>;

beforeAll(async () => {
  // No compaction during the test, so "storage unchanged" compares the same log byte for byte.
  server = await startTestServer({ AUTH_SECRET: SECRET, COMPACT_AFTER_UPDATES: '100000' });
  tokens.owner = await mintUserToken(SECRET, { sub: 'alice' });
  tokens.member = await mintUserToken(SECRET, { sub: 'bob', teams: ['lab'] });
  tokens.admin = await mintUserToken(SECRET, { sub: 'ada', teams: ['lab'], team_admin: ['lab'] });
  tokens.outsider = await mintUserToken(SECRET, { sub: 'eve' });
  tokens['workflow reader'] = await mintShareToken(SECRET, 'user/alice/workflow/w', 'read');
  tokens['workflow writer'] = await mintShareToken(SECRET, 'user/alice/workflow/w', 'write');
  tokens['other workflow writer'] = await mintShareToken(SECRET, 'user/alice/workflow/w2', 'write');
  tokens['runs reader'] = await mintShareToken(SECRET, 'user/alice/runs/w', 'read');
  tokens['no token'] = undefined;
});
afterAll(async () => {
  await server.close();
});

let n = 0;
function record(room: string): RunRecord {
  const now = new Date().toISOString();
  return {
    id: `run-${++n}`,
    workflow_room: room.replace('/runs/', '/workflow/'),
    started_at: now,
    finished_at: now,
    duration_ms: 5,
    by: { sub: 'someone', name: 'Someone' },
    status: 'done',
    trigger: 'run',
    nodes: { a: { skill_id: 'square', label: 'Square', status: 'done', duration_ms: 5, inputs: { x: 2 }, cache_key: 'k' } },
  };
}

describe('runs rooms over the WebSocket follow their workflow room', () => {
  for (const who of WHO) {
    for (const room of ROOMS) {
      const expected = cell(who, room);
      it(`${who} · ${room} → ${{ '-': 'refused', R: 'read only', W: 'read and write' }[expected]}`, async () => {
        const before = await storedBytes(server.storage, room);
        const opened = await openPeer(server.url, room, tokens[who]);
        if (expected === '-') {
          expect(opened).toEqual({ ok: false, code: who === 'no token' ? CLOSE.unauthorized.code : CLOSE.forbidden.code });
          expect(await storedBytes(server.storage, room)).toBe(before);
          return;
        }
        if (!opened.ok) throw new Error(`connection refused with ${opened.code}`);
        const { peer } = opened;
        try {
          const run = record(room);
          // A run is recorded in a runs room; a workflow room gets a node, as the canvas would write.
          peer.write((doc) => (room.includes('/runs/') ? addRun(doc, run) : doc.getMap('nodes').set(run.id, new Y.Map())));
          await peer.roundTrip();
          const stored = await storedDoc(server.storage, room);
          const written = room.includes('/runs/') ? listRuns(stored).some((r) => r.id === run.id) : stored.getMap('nodes').has(run.id);
          expect(written).toBe(expected === 'W');
          if (expected === 'W') expect(peer.denials).toEqual([]);
          else {
            expect(peer.denials).toHaveLength(1);
            expect(await storedBytes(server.storage, room)).toBe(before);
          }
        } finally {
          peer.close();
        }
      });
    }
  }
});
