// TRASH-2: every cell of the trash's access table, over REST and over the WebSocket, for each
// kind of caller. Expectations are written out by hand from DESIGN §7 (the trash follows its
// volume index: workflows and sessions for those who may write the volume, skills for those who
// may write its skills), and every refused request is checked to leave storage as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE } from '../../shared/src/codes';
import { forgetTrashEntry, getTrashEntry, restoreFromTrash, trashSkill, trashWorkflow, type TrashVolume } from '../../shared/src/documents/trash';
import { putSkillSource } from '../../shared/src/documents/volume-index';
import { ORIGIN } from '../../shared/src/origins';
import { allowedIn, callerTokens, CALLERS as WHO, type Caller as Who } from './harness/callers';
import { startTestServer } from './harness/in-process';
import { openPeer } from './harness/raw-peer';
import { requestAs } from './harness/rest-as';
import { storedBytes } from './harness/stored';
import { seedWorkflow } from './harness/trash-items';

const SECRET = 'trash-access-table-secret-0123456789-abcdef';

const ACTIONS = [
  'list user', 'restore user workflow', 'purge user workflow',
  'list team', 'restore team workflow', 'purge team workflow', 'restore team skill', 'purge team skill',
  'ws trash user workflow', 'ws trash team workflow', 'ws trash team skill', 'ws restore team skill', 'ws forget team skill',
] as const;
type Action = (typeof ACTIONS)[number];

// alice owns user/alice; bob is a member of team "lab"; ada administers it; eve is in neither.
// The share links are for a workflow room of alice's (read and write). Y: allowed, N: refused.
//                               REST user   REST team           WebSocket
// (Fs: forgetting a skill's entry straight from `skillTrash`, without restoring it.)
//                               L  R  P     L  Rw Pw Rs Ps      Tu Tw Ts Rs Fs
const TABLE: Record<Who, string> = {
  owner: /*                  */ 'Y  Y  Y     N  N  N  N  N       Y  N  N  N  N',
  member: /*                 */ 'N  N  N     Y  Y  Y  N  N       N  Y  N  N  N',
  admin: /*                  */ 'N  N  N     Y  Y  Y  Y  Y       N  Y  Y  Y  Y',
  outsider: /*               */ 'N  N  N     N  N  N  N  N       N  N  N  N  N',
  'share reader': /*         */ 'N  N  N     N  N  N  N  N       N  N  N  N  N',
  'share writer': /*         */ 'N  N  N     N  N  N  N  N       N  N  N  N  N',
  'no token': /*             */ 'N  N  N     N  N  N  N  N       N  N  N  N  N',
};
const allowed = allowedIn(TABLE, ACTIONS);

const alice: TrashVolume = { volume: 'user', volumeId: 'alice' };
const lab: TrashVolume = { volume: 'team', volumeId: 'lab' };
const stamp = { by: 'setup', at: '2026-02-01T00:00:00.000Z' };

let server: Awaited<ReturnType<typeof startTestServer>>;
let tokens = {} as Record<Who, string | undefined>;

beforeAll(async () => {
  server = await startTestServer({ AUTH_SECRET: SECRET, COMPACT_AFTER_UPDATES: '100000' });
  await seedWorkflow(server.rooms, alice, 'shared');
  tokens = await callerTokens(SECRET, 'user/alice/workflow/shared');
});
afterAll(async () => {
  await server.close();
});

const api = (path: string, who: Who, method = 'GET') => requestAs(server.url, tokens[who], path, { method });

let n = 0;

/** A fresh item for one cell: a workflow (with its room) or a skill, in the trash unless the cell trashes it. */
async function itemFor(action: Action): Promise<{ where: TrashVolume; index: string; id: string; trashId: string; kind: 'workflow' | 'skill' }> {
  const where = action.includes('user') ? alice : lab;
  const index = `${where.volume}/${where.volumeId}`;
  const kind = action.endsWith('skill') ? 'skill' : 'workflow';
  const id = `item-${++n}`;
  if (kind === 'workflow') await seedWorkflow(server.rooms, where, id);
  else await server.rooms.use(index, (room) => putSkillSource(room.doc, id, `---\nname: ${id}\n---\n`));
  if (!action.startsWith('ws trash')) {
    await server.rooms.use(index, (room) =>
      room.doc.transact(() => (kind === 'skill' ? trashSkill(room.doc, where, id, stamp) : trashWorkflow(room.doc, where, id, stamp)), ORIGIN.rest),
    );
  }
  return { where, index, id, kind, trashId: `${where.volume}.${where.volumeId}.${kind}.${id}` };
}

const volumeOfIndex = (index: string): TrashVolume => (index === 'team/lab' ? lab : alice);
const inTrash = (index: string, trashId: string) => server.rooms.use(index, (room) => getTrashEntry(room.doc, volumeOfIndex(index), trashId) !== undefined);

describe('TRASH-2: over REST', () => {
  for (const who of WHO) {
    for (const action of ACTIONS.filter((a) => !a.startsWith('ws'))) {
      const yes = allowed(who, action);
      it(`${who} · ${action} → ${yes ? 'allowed' : 'refused'}`, async () => {
        const item = await itemFor(action);
        const before = await storedBytes(server.storage, item.index);
        const [verb, scope] = action.split(' ') as ['list' | 'restore' | 'purge', 'user' | 'team'];
        const res =
          verb === 'list' ? await api(`/api/trash?volume=${scope}&volume_id=${item.where.volumeId}`, who)
          : verb === 'restore' ? await api(`/api/trash/${item.trashId}/restore`, who, 'POST')
          : await api(`/api/trash/${item.trashId}`, who, 'DELETE');
        expect(res.status, JSON.stringify(res.body)).toBe(yes ? 200 : who === 'no token' ? 401 : 403);
        if (!yes) {
          expect((res.body.error as { message: string }).message).toBeTruthy();
          expect(await storedBytes(server.storage, item.index)).toBe(before);
          expect(await inTrash(item.index, item.trashId)).toBe(true);
          return;
        }
        if (verb === 'list') expect((res.body.trash as Array<{ id: string }>).map((e) => e.id)).toContain(item.trashId);
        else expect(await inTrash(item.index, item.trashId)).toBe(false);
      });
    }
  }

  it('without a volume, each caller sees the trash of every volume it may restore in, skills only where it may write them', async () => {
    const user = await itemFor('restore user workflow');
    const teamWorkflow = await itemFor('restore team workflow');
    const teamSkill = await itemFor('restore team skill');
    const seen = async (who: Who) => ((await api('/api/trash', who)).body.trash as Array<{ id: string }>).map((e) => e.id);
    const visible = { owner: await seen('owner'), member: await seen('member'), admin: await seen('admin'), outsider: await seen('outsider'), share: await seen('share writer') };
    expect(visible.owner).toContain(user.trashId);
    expect(visible.owner).not.toContain(teamWorkflow.trashId);
    expect(visible.member).toEqual(expect.arrayContaining([teamWorkflow.trashId]));
    expect(visible.member).not.toContain(teamSkill.trashId);
    expect(visible.member).not.toContain(user.trashId);
    expect(visible.admin).toEqual(expect.arrayContaining([teamWorkflow.trashId, teamSkill.trashId]));
    expect(visible.outsider).toEqual([]);
    expect(visible.share).toEqual([]);
    expect((await api('/api/trash', 'no token')).status).toBe(401);
  });
});

describe('TRASH-2: over the WebSocket', () => {
  for (const who of WHO) {
    for (const action of ACTIONS.filter((a) => a.startsWith('ws'))) {
      const yes = allowed(who, action);
      it(`${who} · ${action} → ${yes ? 'allowed' : 'refused'}`, async () => {
        const item = await itemFor(action);
        const fromTrash = action === 'ws restore team skill' || action === 'ws forget team skill';
        if (fromTrash) await server.rooms.use(item.index, (room) => trashSkill(room.doc, item.where, item.id, stamp));
        const before = await storedBytes(server.storage, item.index);
        const opened = await openPeer(server.url, item.index, tokens[who]);
        if (!opened.ok) {
          expect(yes).toBe(false);
          expect(opened.code).toBe(who === 'no token' ? CLOSE.unauthorized.code : CLOSE.forbidden.code);
          expect(await storedBytes(server.storage, item.index)).toBe(before);
          return;
        }
        const { peer } = opened;
        try {
          peer.write((doc) => {
            if (action === 'ws restore team skill') restoreFromTrash(doc, item.where, item.trashId);
            else if (action === 'ws forget team skill') forgetTrashEntry(doc, item.trashId);
            else if (item.kind === 'skill') trashSkill(doc, item.where, item.id, stamp);
            else trashWorkflow(doc, item.where, item.id, stamp);
          });
          await peer.roundTrip();
          const trashed = await inTrash(item.index, item.trashId);
          expect(trashed).toBe(fromTrash ? !yes : yes);
          if (yes) {
            expect(peer.denials).toEqual([]);
          } else {
            expect(peer.denials).toHaveLength(1);
            expect(peer.denials[0]).toContain('"skillTrash"');
            expect(await storedBytes(server.storage, item.index)).toBe(before);
          }
        } finally {
          peer.close();
        }
      });
    }
  }
});

describe('TRASH-2: a share link to a workflow in the trash', () => {
  it('its guest may open it read-only, not edit it; once restored the link writes again', async () => {
    const room = 'user/alice/workflow/shared';
    await server.rooms.use('user/alice', (r) => trashWorkflow(r.doc, alice, 'shared', stamp));
    try {
      const before = await storedBytes(server.storage, room);
      const opened = await openPeer(server.url, room, tokens['share writer']);
      if (!opened.ok) throw new Error(`refused with ${opened.code}`);
      opened.peer.write((doc) => doc.getMap('meta').set('name', 'Edited by the guest'));
      await opened.peer.roundTrip();
      opened.peer.close();
      expect(opened.peer.denials).toEqual([expect.stringContaining('read-only')]);
      expect(await storedBytes(server.storage, room)).toBe(before);
    } finally {
      await server.rooms.use('user/alice', (r) => restoreFromTrash(r.doc, alice, 'user.alice.workflow.shared'));
    }
    const again = await openPeer(server.url, room, tokens['share writer']);
    if (!again.ok) throw new Error(`refused with ${again.code}`);
    again.peer.write((doc) => doc.getMap('meta').set('name', 'Edited once restored'));
    await again.peer.roundTrip();
    again.peer.close();
    expect(again.peer.denials).toEqual([]);
  });
});
