// ACCESS-1 (tokens): HS256 tokens with sub/teams/team_admin/exp, share tokens for one room and
// mode, and refusals that say expired or invalid without telling a forger more.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { mintShareToken, mintUserToken, verifyToken } from '../src/access/tokens';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const ROOT = path.resolve(import.meta.dirname, '../..');

describe('tokens', () => {
  it('a person’s token says who they are and which teams they are in and administer', async () => {
    const token = await mintUserToken(SECRET, { sub: 'alice', teams: ['lab', 'ops'], team_admin: ['lab'] });
    expect(await verifyToken(SECRET, token)).toEqual({ ok: true, identity: { kind: 'user', sub: 'alice', teams: ['lab', 'ops'], team_admin: ['lab'] } });
  });

  it('a share token grants one room and one mode', async () => {
    const token = await mintShareToken(SECRET, 'user/alice/workflow/w1', 'read');
    expect(await verifyToken(SECRET, token)).toEqual({ ok: true, identity: { kind: 'share', room: 'user/alice/workflow/w1', mode: 'read' } });
    await expect(mintShareToken(SECRET, '../etc', 'write')).rejects.toThrow();
  });

  it('refuses missing, expired, forged and malformed tokens, saying which', async () => {
    expect(await verifyToken(SECRET, undefined)).toMatchObject({ ok: false, error: { code: 'missing' } });
    const expired = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').setExpirationTime(Math.floor(Date.now() / 1000) - 10).sign(new TextEncoder().encode(SECRET));
    expect(await verifyToken(SECRET, expired)).toMatchObject({ ok: false, error: { code: 'expired' } });
    const forged = await mintUserToken('another-secret-another-secret-another-secret', { sub: 'alice' });
    expect(await verifyToken(SECRET, forged)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await verifyToken(SECRET, 'not.a.token')).toMatchObject({ ok: false, error: { code: 'invalid' } });
    const noExp = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').sign(new TextEncoder().encode(SECRET));
    expect(await verifyToken(SECRET, noExp)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    const badSub = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('../root').setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));
    expect(await verifyToken(SECRET, badSub)).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });

  it('the token command mints tokens the server accepts, and explains its usage', async () => {
    const run = (args: string[], env: Record<string, string> = { AUTH_SECRET: SECRET }) =>
      spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'sync-server/bin/token.ts'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
    const user = run(['--sub', 'bob', '--teams', 'lab', '--expires', '1h']);
    expect(user.status).toBe(0);
    expect(await verifyToken(SECRET, user.stdout.trim())).toMatchObject({ ok: true, identity: { sub: 'bob', teams: ['lab'] } });
    const share = run(['--share', 'team/lab/workflow/w', '--mode', 'write']);
    expect(share.status).toBe(0);
    expect(share.stderr).toContain('/#/share/');
    const missing = run(['--sub', 'bob'], { AUTH_SECRET: '' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('Set AUTH_SECRET');
  });
});
