// ACCESS-2: with AUTH_SECRET, every API request and WebSocket carries a verified token, and the
// DESIGN §7 table decides what it may do: missing or bad tokens get 401 / 4401, forbidden rooms
// 403 / 4403, a share link reads (or writes) its one room, and a refused write changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { SignJWT } from 'jose';
import { CLOSE } from '../../shared/src/codes';
import { ConfigError, loadConfig } from '../src/config';
import { mintShareToken, mintUserToken } from '../src/access/tokens';
import { connectClient, synced } from './harness/clients';
import { startTestServer } from './harness/in-process';
import { waitFor } from './harness/wait';

const SECRET = 'access-test-secret-0123456789-abcdefghij';
let server: Awaited<ReturnType<typeof startTestServer>>;
const token = {} as Record<'alice' | 'admin' | 'outsider' | 'expired' | 'shareRead', string>;

beforeAll(async () => {
  server = await startTestServer({ AUTH_SECRET: SECRET });
  token.alice = await mintUserToken(SECRET, { sub: 'alice', teams: ['lab'] });
  token.admin = await mintUserToken(SECRET, { sub: 'ada', teams: ['lab'], team_admin: ['lab'] });
  token.outsider = await mintUserToken(SECRET, { sub: 'eve' });
  token.expired = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setExpirationTime(Math.floor(Date.now() / 1000) - 5).sign(new TextEncoder().encode(SECRET));
  token.shareRead = await mintShareToken(SECRET, 'user/alice/workflow/shared', 'read');
});
afterAll(async () => {
  await server.close();
});

const api = async (path: string, who?: string, init: RequestInit = {}) => {
  const res = await fetch(`${server.url}${path}`, { ...init, headers: { 'content-type': 'application/json', ...(who ? { authorization: `Bearer ${who}` } : {}) } });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
};

/** The close code of a raw socket to a room with a token. */
function closeCodeOf(room: string, who?: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sync/${room}${who ? `?token=${who}` : ''}`);
    ws.on('close', (code) => resolve(code));
    ws.on('error', () => undefined);
    setTimeout(() => ws.close(), 1500);
  });
}

describe('REST with tokens', () => {
  it('401 without a token or with a forged or expired one, saying why', async () => {
    expect(await api('/api/sessions')).toMatchObject({ status: 401, body: { error: { code: 'unauthorized', message: expect.stringContaining('No token') } } });
    expect((await api('/api/sessions', await mintUserToken('some-other-secret-some-other-secret-xx', { sub: 'alice' }))).status).toBe(401);
    expect((await api('/api/sessions', token.expired)).body.error?.message).toContain('expired');
    expect((await api('/healthz')).status).toBe(200);
  });

  it('owners use their volume, members their team, admins its skills; others get 403', async () => {
    expect((await api('/api/sessions', token.alice)).status).toBe(200);
    expect((await api('/api/sessions?volume=user&volume_id=alice', token.outsider)).status).toBe(403);
    expect((await api('/api/skills?volume=team&volume_id=lab', token.alice)).status).toBe(200);
    expect((await api('/api/skills?volume=team&volume_id=lab', token.outsider)).status).toBe(403);
    const skill = JSON.stringify({ name: 'Team tool', code: 'def execute(inputs):\n    return {}', volume: 'team', volume_id: 'lab' });
    expect((await api('/api/skills', token.alice, { method: 'POST', body: skill })).status).toBe(403);
    expect((await api('/api/skills', token.admin, { method: 'POST', body: skill })).status).toBe(201);
    expect((await api('/api/sessions', token.alice, { method: 'POST', body: JSON.stringify({ name: 'Team work', volume: 'team', volume_id: 'lab' }) })).status).toBe(201);
    expect((await api('/api/skills', token.alice, { method: 'POST', body: JSON.stringify({ name: 'S', code: 'x', volume: 'system' }) })).status).toBe(403);
  });
});

describe('WebSocket with tokens', () => {
  it('4401 without a valid token, 4403 outside one’s rooms', async () => {
    expect(await closeCodeOf('user/alice')).toBe(CLOSE.unauthorized.code);
    expect(await closeCodeOf('user/alice', token.expired)).toBe(CLOSE.unauthorized.code);
    // Forged: signed with another secret; tampered: claims changed after signing; unsigned: alg "none".
    const forged = await mintUserToken('another-secret-another-secret-0123456789', { sub: 'alice' });
    const [header, , signature] = token.outsider.split('.') as [string, string, string];
    const claims = Buffer.from(JSON.stringify({ sub: 'alice', exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url');
    const tampered = `${header}.${claims}.${signature}`;
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${claims}.`;
    for (const bad of [forged, tampered, unsigned, 'not-a-token']) {
      expect(await closeCodeOf('user/alice', bad)).toBe(CLOSE.unauthorized.code);
      expect((await api('/api/sessions', bad)).status).toBe(401);
    }
    expect(await closeCodeOf('user/alice', token.outsider)).toBe(CLOSE.forbidden.code);
    expect(await closeCodeOf('team/lab', token.outsider)).toBe(CLOSE.forbidden.code);
    expect(await closeCodeOf('user/alice/workflow/other', token.shareRead)).toBe(CLOSE.forbidden.code);
  });

  it('a read share link gets the room and its updates; its own writes are refused and not stored', async () => {
    const room = 'user/alice/workflow/shared';
    const owner = connectClient(server.url, room, { params: { token: token.alice } });
    await synced(owner);
    owner.doc.getMap('m').set('by-owner', 1);
    const reader = connectClient(server.url, room, { params: { token: token.shareRead } });
    await synced(reader);
    await waitFor(() => reader.doc.getMap('m').get('by-owner') === 1, 'the reader to get the owner’s edit');
    const stored = JSON.stringify(await server.storage.load(room));
    reader.doc.getMap('m').set('by-reader', 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(owner.doc.getMap('m').has('by-reader')).toBe(false);
    expect(JSON.stringify(await server.storage.load(room))).toBe(stored);
    owner.destroy();
    reader.destroy();
  });
});

describe('configuration', () => {
  it('refuses a public interface without AUTH_SECRET, saying to set it', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/Set AUTH_SECRET/);
    expect(loadConfig({ HOST: '0.0.0.0', AUTH_SECRET: SECRET }).host).toBe('0.0.0.0');
  });
});
