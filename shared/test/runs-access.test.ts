/*
 * A workflow's run history room (`…/runs/{id}`) has exactly its workflow room's access, for
 * every kind of identity; a share link to the workflow opens its runs, and nothing else.
 */
import { describe, expect, it } from 'vitest';
import { accessTo, type Identity } from '../src/access';
import { parseRoomName, runsRoom, runsRoomOf, workflowRoomOfRuns } from '../src/rooms';

const access = (identity: Identity, room: string) => {
  const parsed = parseRoomName(room);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return accessTo(identity, parsed.value, room);
};

const WORKFLOWS = ['user/alice/workflow/w', 'user/bob/workflow/w', 'team/t1/workflow/w', 'system/system/workflow/w'];

const IDENTITIES: Array<[string, Identity]> = [
  ['owner alice', { kind: 'user', sub: 'alice', teams: [], team_admin: [] }],
  ['member of t1', { kind: 'user', sub: 'carol', teams: ['t1'], team_admin: [] }],
  ['admin of t1', { kind: 'user', sub: 'dan', teams: [], team_admin: ['t1'] }],
  ['stranger', { kind: 'user', sub: 'eve', teams: ['t2'], team_admin: [] }],
  ['read link to alice/w', { kind: 'share', room: 'user/alice/workflow/w', mode: 'read' }],
  ['write link to alice/w', { kind: 'share', room: 'user/alice/workflow/w', mode: 'write' }],
  ['write link to t1/w', { kind: 'share', room: 'team/t1/workflow/w', mode: 'write' }],
  ['server', { kind: 'server' }],
];

describe('runs rooms: names', () => {
  it('parses and builds runs rooms, and maps them to and from their workflow room', () => {
    expect(parseRoomName('team/t1/runs/w')).toEqual({ ok: true, value: { kind: 'runs', volume: 'team', volumeId: 't1', id: 'w' } });
    expect(runsRoom('user', 'alice', 'w')).toBe('user/alice/runs/w');
    expect(runsRoomOf('user/alice/workflow/w')).toBe('user/alice/runs/w');
    expect(runsRoomOf('user/alice/session/w')).toBeNull();
    expect(workflowRoomOfRuns('user/alice/runs/w')).toBe('user/alice/workflow/w');
    expect(workflowRoomOfRuns('user/alice/workflow/w')).toBeNull();
    expect(parseRoomName('user/alice/runs/../x').ok).toBe(false);
    expect(parseRoomName('user/alice/runs').ok).toBe(false);
  });
});

describe('runs rooms: access follows the workflow room', () => {
  const cells = IDENTITIES.flatMap(([who, identity]) => WORKFLOWS.map((w) => [who, w, identity] as const));
  it.each(cells)('%s in the runs of %s', (_who, workflow, identity) => {
    const runs = runsRoomOf(workflow) as string;
    expect(access(identity, runs)).toEqual(access(identity, workflow));
  });

  it('a share link to a workflow opens only that workflow\'s runs', () => {
    const link: Identity = { kind: 'share', room: 'user/alice/workflow/w', mode: 'write' };
    expect(access(link, 'user/alice/runs/w')).toEqual({ read: true, write: true, writeSkills: false });
    expect(access(link, 'user/alice/runs/w2').read).toBe(false);
    expect(access(link, 'user/bob/runs/w').read).toBe(false);
    expect(access(link, 'user/alice').read).toBe(false);
  });

  it('a link to a runs room opens the runs, never the workflow', () => {
    const link: Identity = { kind: 'share', room: 'user/alice/runs/w', mode: 'read' };
    expect(access(link, 'user/alice/runs/w')).toEqual({ read: true, write: false, writeSkills: false });
    expect(access(link, 'user/alice/workflow/w').read).toBe(false);
  });
});
