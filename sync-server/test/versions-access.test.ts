// HIST-12: versions follow their room's access (DESIGN §7), over REST, for each kind of caller:
// a workflow's versions as its room, a skill's as its volume (changing needs the skill right).
// Expectations are written out by hand, not computed with the access function; every refused
// write is checked to leave the versions and the room as they were.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { putSkillSource } from '../../shared/src/documents/volume-index';
import { putNode } from '../../shared/src/documents/workflow';
import { mintShareToken, mintUserToken } from '../src/access/tokens';
import { startTestServer } from './harness/in-process';
import { requestAs } from './harness/rest-as';

const SECRET = 'versions-access-secret-0123456789-abcdef';

const WHO = ['owner', 'member', 'admin', 'outsider', 'share reader', 'share writer', 'no token'] as const;
type Who = (typeof WHO)[number];
const SUBJECTS = { 'user workflow': 'user/alice/workflow/wf', 'team workflow': 'team/lab/workflow/tw', 'team skill': 'team/lab/skill/tide' } as const;
type Subject = keyof typeof SUBJECTS;
const ACTIONS = ['list', 'get', 'create', 'restore'] as const;
type Action = (typeof ACTIONS)[number];

// alice owns user/alice; bob is a member of team "lab"; ada administers it; eve is in neither.
// The share links are for alice's workflow. Y: allowed, N: refused.
//                            user workflow   team workflow   team skill
//                            L  G  C  R      L  G  C  R      L  G  C  R
const TABLE: Record<Who, string> = {
  owner: /*              */ 'Y  Y  Y  Y      N  N  N  N      N  N  N  N',
  member: /*             */ 'N  N  N  N      Y  Y  Y  Y      Y  Y  N  N',
  admin: /*              */ 'N  N  N  N      Y  Y  Y  Y      Y  Y  Y  Y',
  outsider: /*           */ 'N  N  N  N      N  N  N  N      N  N  N  N',
  'share reader': /*     */ 'Y  Y  N  N      N  N  N  N      N  N  N  N',
  'share writer': /*     */ 'Y  Y  Y  Y      N  N  N  N      N  N  N  N',
  'no token': /*         */ 'N  N  N  N      N  N  N  N      N  N  N  N',
};
const allowed = (who: Who, subject: Subject, action: Action): boolean =>
  TABLE[who].split(/\s+/)[Object.keys(SUBJECTS).indexOf(subject) * ACTIONS.length + ACTIONS.indexOf(action)] === 'Y';

let server: Awaited<ReturnType<typeof startTestServer>>;
const tokens = {} as Record<Who, string | undefined>;
/** A version of each subject, taken before the live room changed again (so restoring it changes the room). */
const versionOf = {} as Record<Subject, string>;

const api = (path: string, who: Who, init: { method?: string; body?: unknown } = {}) => requestAs(server.url, tokens[who], path, init);

/** What a subject's room holds now, and its versions' ids: a refused write changes neither. */
async function stateOf(subject: Subject): Promise<string> {
  const name = SUBJECTS[subject];
  const room = subject === 'team skill' ? 'team/lab' : name;
  const live = await server.rooms.use(room, (r) => Buffer.from(Y.encodeStateAsUpdate(r.doc)).toString('base64'));
  const versions = (await server.history.list(name)).map((v) => v.id);
  return JSON.stringify({ live, versions });
}

/** Changes each subject's live content, so that a version differs from it. */
async function edit(mark: string): Promise<void> {
  const node = { id: mark, skillId: 'square', label: mark, position: { x: 0, y: 0 }, inputs: {} };
  await server.rooms.use(SUBJECTS['user workflow'], (r) => putNode(r.doc, node));
  await server.rooms.use(SUBJECTS['team workflow'], (r) => putNode(r.doc, node));
  await server.rooms.use('team/lab', (r) => putSkillSource(r.doc, 'tide', `---\nname: tide\n---\n\n${mark}\n`));
}

beforeAll(async () => {
  // Checkpoints only by name here, so the versions listed are the ones the test makes.
  server = await startTestServer({ AUTH_SECRET: SECRET, HISTORY_PAUSE_MS: '3600000', HISTORY_MAX_MS: '3600000' });
  tokens.owner = await mintUserToken(SECRET, { sub: 'alice' });
  tokens.member = await mintUserToken(SECRET, { sub: 'bob', teams: ['lab'] });
  tokens.admin = await mintUserToken(SECRET, { sub: 'ada', teams: ['lab'], team_admin: ['lab'] });
  tokens.outsider = await mintUserToken(SECRET, { sub: 'eve' });
  tokens['share reader'] = await mintShareToken(SECRET, SUBJECTS['user workflow'], 'read');
  tokens['share writer'] = await mintShareToken(SECRET, SUBJECTS['user workflow'], 'write');
  tokens['no token'] = undefined;
  await edit('first');
  for (const [subject, who] of [['user workflow', 'owner'], ['team workflow', 'admin'], ['team skill', 'admin']] as const) {
    const made = await api('/api/versions', who, { method: 'POST', body: { room: SUBJECTS[subject], name: 'baseline' } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    versionOf[subject] = made.body.id as string;
  }
});
afterAll(async () => {
  await server.close();
});

let n = 0;

describe('versions over REST', () => {
  for (const who of WHO) {
    for (const subject of Object.keys(SUBJECTS) as Subject[]) {
      for (const action of ACTIONS) {
        const yes = allowed(who, subject, action);
        it(`${who} · ${action} ${subject} versions → ${yes ? 'allowed' : 'refused'}`, async () => {
          await edit(`probe-${++n}`);
          const room = SUBJECTS[subject];
          const id = versionOf[subject];
          const request = {
            list: { path: `/api/versions?room=${room}`, ok: 200 },
            get: { path: `/api/versions/${id}`, ok: 200 },
            create: { path: '/api/versions', method: 'POST', body: { room, name: `by ${who}` }, ok: 201 },
            restore: { path: `/api/versions/${id}/restore`, method: 'POST', ok: 200 },
          }[action];
          const before = await stateOf(subject);
          const res = await api(request.path, who, request);
          expect(res.status, JSON.stringify(res.body)).toBe(yes ? request.ok : who === 'no token' ? 401 : 403);
          if (!yes) {
            expect((res.body.error as { message: string }).message).toBeTruthy();
            expect(await stateOf(subject)).toBe(before);
          } else if (action === 'create' || action === 'restore') {
            expect(await stateOf(subject)).not.toBe(before);
          }
        });
      }
    }
  }

  it('the raw bytes of a version follow the same read access', async () => {
    const id = versionOf['user workflow'];
    const raw = async (who: Who) => (await fetch(`${server.url}/api/versions/${id}/raw`, { headers: tokens[who] ? { authorization: `Bearer ${tokens[who]}` } : {} })).status;
    expect([await raw('owner'), await raw('share reader'), await raw('member'), await raw('no token')]).toEqual([200, 200, 403, 401]);
  });
});
