/*
 * The access table of DESIGN §7, cell by cell:
 *
 * | volume      | read       | write                                                         |
 * | system      | everyone   | nobody over the network (only the server's loader)            |
 * | team/{id}   | members    | skills: team admins (and server jobs); sessions and workflows: members |
 * | user/{id}   | the owner  | the owner                                                     |
 *
 * A share link grants exactly its room and its mode, never skills, and never a write to system;
 * like everyone, its holder reads the system volume.
 */
import { describe, expect, it } from 'vitest';
import { accessTo, localIdentity, type Access, type Identity } from '../src/access';
import { parseRoomName } from '../src/rooms';

const ROOMS = [
  'system/system',
  'team/t1',
  'team/t1/session/s',
  'team/t1/workflow/w',
  'user/alice',
  'user/alice/session/s',
  'user/bob/workflow/w',
] as const;
type Room = (typeof ROOMS)[number];

// For each room, a different room close to it: a link for one never opens the other.
const NEIGHBOUR: Record<Room, string> = {
  'system/system': 'user/system',
  'team/t1': 'team/t1/session/s',
  'team/t1/session/s': 'team/t1',
  'team/t1/workflow/w': 'team/t1/session/w',
  'user/alice': 'user/alice/session/s',
  'user/alice/session/s': 'user/alice/session/s2',
  'user/bob/workflow/w': 'user/alice/workflow/w',
};

// The identities, each with its access to every room: [read, write, writeSkills] as r/w/s letters.
type Cell = '---' | 'r--' | 'rw-' | 'rws';
type Row = Record<Room, Cell>;

const user = (sub: string, teams: string[] = [], team_admin: string[] = []): Identity => ({
  kind: 'user',
  sub,
  teams,
  team_admin,
});

/** An identity whose access depends on the room it is asked about (share links for "this room"). */
type IdentityFor = (room: Room) => Identity;

const IDENTITIES: [string, IdentityFor, Row][] = [
  [
    'owner alice',
    () => user('alice'),
    {
      'system/system': 'r--',
      'team/t1': '---',
      'team/t1/session/s': '---',
      'team/t1/workflow/w': '---',
      'user/alice': 'rws',
      'user/alice/session/s': 'rws',
      'user/bob/workflow/w': '---',
    },
  ],
  [
    'other user carol',
    () => user('carol', ['t2'], ['t3']),
    {
      'system/system': 'r--',
      'team/t1': '---',
      'team/t1/session/s': '---',
      'team/t1/workflow/w': '---',
      'user/alice': '---',
      'user/alice/session/s': '---',
      'user/bob/workflow/w': '---',
    },
  ],
  [
    'team member dave of t1',
    () => user('dave', ['t1']),
    {
      'system/system': 'r--',
      'team/t1': 'rw-',
      'team/t1/session/s': 'rw-',
      'team/t1/workflow/w': 'rw-',
      'user/alice': '---',
      'user/alice/session/s': '---',
      'user/bob/workflow/w': '---',
    },
  ],
  [
    'team admin erin of t1 (also a member)',
    () => user('erin', ['t1'], ['t1']),
    {
      'system/system': 'r--',
      'team/t1': 'rws',
      'team/t1/session/s': 'rws',
      'team/t1/workflow/w': 'rws',
      'user/alice': '---',
      'user/alice/session/s': '---',
      'user/bob/workflow/w': '---',
    },
  ],
  [
    'team admin frank of t1 listed only in team_admin',
    () => user('frank', [], ['t1']),
    {
      'system/system': 'r--',
      'team/t1': 'rws',
      'team/t1/session/s': 'rws',
      'team/t1/workflow/w': 'rws',
      'user/alice': '---',
      'user/alice/session/s': '---',
      'user/bob/workflow/w': '---',
    },
  ],
  [
    'outsider (member of t10 and t, not t1)',
    () => user('mallory', ['t10', 't'], ['t11']),
    {
      'system/system': 'r--',
      'team/t1': '---',
      'team/t1/session/s': '---',
      'team/t1/workflow/w': '---',
      'user/alice': '---',
      'user/alice/session/s': '---',
      'user/bob/workflow/w': '---',
    },
  ],
  [
    'user whose sub names a team (no team access by name)',
    () => user('t1'),
    {
      'system/system': 'r--',
      'team/t1': '---',
      'team/t1/session/s': '---',
      'team/t1/workflow/w': '---',
      'user/alice': '---',
      'user/alice/session/s': '---',
      'user/bob/workflow/w': '---',
    },
  ],
  [
    'read share link for this room',
    (room) => ({ kind: 'share', room, mode: 'read' }),
    {
      'system/system': 'r--',
      'team/t1': 'r--',
      'team/t1/session/s': 'r--',
      'team/t1/workflow/w': 'r--',
      'user/alice': 'r--',
      'user/alice/session/s': 'r--',
      'user/bob/workflow/w': 'r--',
    },
  ],
  [
    'write share link for this room',
    (room) => ({ kind: 'share', room, mode: 'write' }),
    {
      // System is written by nobody over the network, whatever a link says.
      'system/system': 'r--',
      'team/t1': 'rw-',
      'team/t1/session/s': 'rw-',
      'team/t1/workflow/w': 'rw-',
      'user/alice': 'rw-',
      'user/alice/session/s': 'rw-',
      'user/bob/workflow/w': 'rw-',
    },
  ],
  [
    'read share link for another room',
    () => ({ kind: 'share', room: 'user/alice/session/other', mode: 'read' }),
    {
      'system/system': 'r--',
      'team/t1': '---',
      'team/t1/session/s': '---',
      'team/t1/workflow/w': '---',
      'user/alice': '---',
      'user/alice/session/s': '---',
      'user/bob/workflow/w': '---',
    },
  ],
  [
    'write share link for a neighbouring room',
    (room) => ({ kind: 'share', room: NEIGHBOUR[room], mode: 'write' }),
    {
      'system/system': 'r--',
      'team/t1': '---',
      'team/t1/session/s': '---',
      'team/t1/workflow/w': '---',
      'user/alice': '---',
      'user/alice/session/s': '---',
      'user/bob/workflow/w': '---',
    },
  ],
  [
    'server',
    () => ({ kind: 'server' }),
    {
      'system/system': 'rws',
      'team/t1': 'rws',
      'team/t1/session/s': 'rws',
      'team/t1/workflow/w': 'rws',
      'user/alice': 'rws',
      'user/alice/session/s': 'rws',
      'user/bob/workflow/w': 'rws',
    },
  ],
];

const toAccess = (cell: Cell): Access => ({ read: cell[0] === 'r', write: cell[1] === 'w', writeSkills: cell[2] === 's' });

function access(identity: Identity, room: string): Access {
  const parsed = parseRoomName(room);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return accessTo(identity, parsed.value, room);
}

describe('accessTo: the DESIGN §7 table', () => {
  const cells = IDENTITIES.flatMap(([who, identityFor, row]) =>
    ROOMS.map((room) => [who, room, identityFor, row[room]] as const),
  );

  it.each(cells)('%s in %s', (_who, room, identityFor, cell) => {
    expect(access(identityFor(room), room)).toEqual(toAccess(cell));
  });
});

describe('accessTo: invariants', () => {
  it('never grants write without read, nor writeSkills without write', () => {
    for (const [who, identityFor] of IDENTITIES) {
      for (const room of ROOMS) {
        const a = access(identityFor(room), room);
        if (a.write) expect(a.read, `${who} in ${room}`).toBe(true);
        if (a.writeSkills) expect(a.write, `${who} in ${room}`).toBe(true);
      }
    }
  });

  it('gives nobody but the server write access to the system volume', () => {
    for (const [who, identityFor] of IDENTITIES) {
      const a = access(identityFor('system/system'), 'system/system');
      expect(a.write, who).toBe(who === 'server');
      expect(a.writeSkills, who).toBe(who === 'server');
    }
  });

  it('matches a share link by exact room name only', () => {
    const share: Identity = { kind: 'share', room: 'user/alice/session/s', mode: 'write' };
    expect(access(share, 'user/alice/session/s').write).toBe(true);
    expect(access(share, 'user/alice').read).toBe(false);
    expect(access(share, 'user/alice/workflow/s').read).toBe(false);
    expect(access(share, 'user/alice/session/s2').read).toBe(false);
  });

  it('gives the local identity its own user volume and nothing of another', () => {
    const local = localIdentity('default');
    expect(local).toEqual({ kind: 'user', sub: 'default', teams: [], team_admin: [] });
    expect(access(local, 'user/default')).toEqual({ read: true, write: true, writeSkills: true });
    expect(access(local, 'user/default/workflow/w')).toEqual({ read: true, write: true, writeSkills: true });
    expect(access(local, 'user/alice')).toEqual({ read: false, write: false, writeSkills: false });
    expect(access(local, 'team/t1')).toEqual({ read: false, write: false, writeSkills: false });
    expect(access(local, 'system/system')).toEqual({ read: true, write: false, writeSkills: false });
  });
});
