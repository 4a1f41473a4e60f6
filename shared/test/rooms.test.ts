/*
 * Room names (DESIGN §3): `{volume}/{volumeId}`, `{volume}/{volumeId}/session/{id}` and
 * `{volume}/{volumeId}/workflow/{id}`. A bad name is an `invalid_room` error value naming the problem;
 * the builders throw because their callers pass ids that were already checked.
 */
import { describe, expect, it } from 'vitest';
import {
  isValidId,
  parseRoomName,
  roomNameOf,
  sessionRoom,
  volumeRoom,
  workflowRoom,
  type RoomName,
} from '../src/rooms';

const ID_128 = `a${'b'.repeat(127)}`;
const ID_129 = `a${'b'.repeat(128)}`;

describe('parseRoomName: valid rooms', () => {
  it.each<[string, RoomName]>([
    ['system/system', { kind: 'volume', volume: 'system', volumeId: 'system' }],
    ['team/t1', { kind: 'volume', volume: 'team', volumeId: 't1' }],
    ['user/alice', { kind: 'volume', volume: 'user', volumeId: 'alice' }],
    ['user/alice/session/s1', { kind: 'session', volume: 'user', volumeId: 'alice', id: 's1' }],
    ['user/alice/workflow/w1', { kind: 'workflow', volume: 'user', volumeId: 'alice', id: 'w1' }],
    ['team/t1/session/s-2_x', { kind: 'session', volume: 'team', volumeId: 't1', id: 's-2_x' }],
    ['team/Team_9/workflow/W-1', { kind: 'workflow', volume: 'team', volumeId: 'Team_9', id: 'W-1' }],
    ['system/system/session/s', { kind: 'session', volume: 'system', volumeId: 'system', id: 's' }],
    ['system/system/workflow/w', { kind: 'workflow', volume: 'system', volumeId: 'system', id: 'w' }],
    ['user/0/session/9', { kind: 'session', volume: 'user', volumeId: '0', id: '9' }],
    [`user/${ID_128}/session/${ID_128}`, { kind: 'session', volume: 'user', volumeId: ID_128, id: ID_128 }],
  ])('%s', (room, expected) => {
    expect(parseRoomName(room)).toEqual({ ok: true, value: expected });
  });
});

describe('parseRoomName: invalid rooms', () => {
  // Each case: the room and a fragment the message must contain to say what is wrong.
  it.each<[string, string, string]>([
    ['empty string', '', '2 or 4 parts'],
    ['one part', 'user', '2 or 4 parts'],
    ['three parts', 'user/alice/session', '2 or 4 parts'],
    ['five parts', 'user/alice/session/s/extra', '2 or 4 parts'],
    ['trailing slash', 'user/alice/', '2 or 4 parts'],
    ['leading slash', '/user/alice', '2 or 4 parts'],
    ['unknown volume', 'group/g1', 'volume must be one of system, team, user'],
    ['volume in upper case', 'User/alice', 'volume must be one of'],
    ['system volume with another id', 'system/other', 'system volume id is "system"'],
    ['system/other with a session', 'system/other/session/s', 'system volume id is "system"'],
    ['empty volume id', 'user/', 'volume id must be letters, digits'],
    ['volume id "."', 'user/.', 'volume id must be letters, digits'],
    ['volume id ".."', 'user/..', 'volume id must be letters, digits'],
    ['volume id with a dot', 'user/a.b', 'volume id must be letters, digits'],
    ['volume id with %', 'user/a%2Fb', 'volume id must be letters, digits'],
    ['volume id with a space', 'user/a b', 'volume id must be letters, digits'],
    ['volume id starting with "-"', 'user/-a', 'volume id must be letters, digits'],
    ['volume id starting with "_"', 'user/_a', 'volume id must be letters, digits'],
    ['volume id of 129 characters', `user/${ID_129}`, 'volume id must be letters, digits'],
    ['unicode volume id', 'user/álice', 'volume id must be letters, digits'],
    ['volume id with a newline', 'user/alice\n', 'volume id must be letters, digits'],
    ['kind "sessions"', 'user/alice/sessions/s', 'third part must be "session", "workflow" or "runs"'],
    ['kind "skill"', 'user/alice/skill/s', 'third part must be "session", "workflow" or "runs"'],
    ['kind "Session"', 'user/alice/Session/s', 'third part must be "session", "workflow" or "runs"'],
    ['empty kind', 'user/alice//s', 'third part must be "session", "workflow" or "runs"'],
    ['session with an empty id', 'user/alice/session/', 'session id must be letters, digits'],
    ['workflow with an empty id', 'team/t1/workflow/', 'workflow id must be letters, digits'],
    ['session id ".."', 'user/alice/session/..', 'session id must be letters, digits'],
    ['session id "."', 'user/alice/session/.', 'session id must be letters, digits'],
    ['session id with a dot', 'user/alice/session/s.json', 'session id must be letters, digits'],
    ['session id with %', 'user/alice/session/s%20x', 'session id must be letters, digits'],
    ['session id with a space', 'user/alice/session/s x', 'session id must be letters, digits'],
    ['session id of 129 characters', `user/alice/session/${ID_129}`, 'session id must be letters, digits'],
    ['unicode workflow id', 'user/alice/workflow/wörk', 'workflow id must be letters, digits'],
    ['emoji workflow id', 'user/alice/workflow/w🙂', 'workflow id must be letters, digits'],
    ['backslash in id', 'user/alice/workflow/w\\x', 'workflow id must be letters, digits'],
  ])('%s', (_label, room, why) => {
    const parsed = parseRoomName(room);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.code).toBe('invalid_room');
    expect(parsed.error.room).toBe(room);
    expect(parsed.error.message).toContain(why);
    expect(parsed.error.message).toContain(`"${room.slice(0, 200)}"`);
    expect(parsed.error.message).toContain('Rooms look like');
  });

  it('cuts a huge room name in its message to 200 characters', () => {
    const room = `user/${'x'.repeat(5000)}`;
    const parsed = parseRoomName(room);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.room).toBe(room);
    expect(parsed.error.message.length).toBeLessThan(400);
  });
});

describe('isValidId', () => {
  it('accepts 1–128 letters, digits, "-" and "_" starting with a letter or digit', () => {
    for (const id of ['a', 'Z', '7', 'a-b_c', ID_128]) expect(isValidId(id), id).toBe(true);
  });

  it('refuses everything else', () => {
    for (const id of ['', '-a', '_a', '.', '..', 'a.b', 'a/b', 'a b', 'a%b', ID_129, 'é', 'a\n', '\na']) {
      expect(isValidId(id), JSON.stringify(id)).toBe(false);
    }
  });
});

describe('roomNameOf and the room builders', () => {
  it('build the canonical names', () => {
    expect(volumeRoom('system', 'system')).toBe('system/system');
    expect(volumeRoom('team', 't1')).toBe('team/t1');
    expect(volumeRoom('user', 'alice')).toBe('user/alice');
    expect(sessionRoom('user', 'alice', 's1')).toBe('user/alice/session/s1');
    expect(sessionRoom('team', 't1', 's1')).toBe('team/t1/session/s1');
    expect(workflowRoom('user', 'bob', 'w1')).toBe('user/bob/workflow/w1');
    expect(workflowRoom('team', 't1', 'w-2')).toBe('team/t1/workflow/w-2');
    expect(roomNameOf({ kind: 'session', volume: 'user', volumeId: 'alice', id: 's' })).toBe('user/alice/session/s');
  });

  it('throw with the parse message on invalid parts', () => {
    expect(() => volumeRoom('system', 'other')).toThrow('the system volume id is "system"');
    expect(() => volumeRoom('user', '..')).toThrow('the volume id must be letters, digits');
    expect(() => volumeRoom('user', '')).toThrow('Invalid room name');
    expect(() => sessionRoom('user', 'alice', '../bob')).toThrow('Invalid room name');
    expect(() => sessionRoom('user', 'alice', 'a/b')).toThrow('Invalid room name');
    expect(() => sessionRoom('user', 'alice', '')).toThrow('the session id must be letters, digits');
    expect(() => workflowRoom('team', 't1', 'w.json')).toThrow('the workflow id must be letters, digits');
    expect(() => workflowRoom('team', 't 1', 'w')).toThrow('the volume id must be letters, digits');
    expect(() => roomNameOf({ kind: 'volume', volume: 'group' as 'user', volumeId: 'g' })).toThrow(
      'the volume must be one of system, team, user',
    );
  });

  it.each([
    'system/system',
    'team/t1',
    'user/alice',
    'user/alice/session/s1',
    'team/t1/workflow/w-2',
    `user/${ID_128}/workflow/${ID_128}`,
  ])('round-trips %s through parse and build', (room) => {
    const parsed = parseRoomName(room);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(roomNameOf(parsed.value)).toBe(room);
    expect(parseRoomName(roomNameOf(parsed.value))).toEqual(parsed);
  });
});
