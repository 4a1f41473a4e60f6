// ACCESS-4: the HTTP side against other sites and busy clients (issue 8): helmet's headers with the app's
// Content Security Policy on every response and stricter ones on the runtime workers' scripts,
// CORS only for CORS_ORIGINS (the rest get no CORS headers, their preflights 403), WebSocket
// upgrades from other sites' pages refused, in local mode nothing addressed to a non-loopback
// name (DNS rebinding), and the REST routes' rate limit per identity.
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ConfigError, loadConfig } from '../src/config';
import { mintUserToken } from '../src/access/tokens';
import { startTestServer } from './harness/in-process';

const SECRET = 'http-hardening-secret-0123456789-abcdef';
const LISTED = 'https://app.example.com';
const PACKAGES = 'https://packages.example.org/pyodide/0.29/';

type TestServer = Awaited<ReturnType<typeof startTestServer>>;
let webDist: string;
let server: TestServer;

beforeAll(async () => {
  // A stand-in for dist/web with files named as Vite names the runtime workers.
  webDist = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-http-'));
  await fs.mkdir(path.join(webDist, 'assets'));
  await fs.writeFile(path.join(webDist, 'index.html'), '<!doctype html><title>LLMunix</title>');
  for (const file of ['javascript.worker-C8zYJMTv.js', 'threejs.worker-D_XRC42p.js', 'python.worker-DA1J_meA.js', 'ngspice.worker-CMM-GX-b.js', 'index-BYaPEycA.js']) {
    await fs.writeFile(path.join(webDist, 'assets', file), 'export {};');
  }
  server = await startTestServer({ WEB_DIST: webDist, CORS_ORIGINS: `${LISTED}, http://localhost:5173`, PYODIDE_PACKAGE_URL: PACKAGES });
});
afterAll(async () => {
  await server.close();
  await fs.rm(webDist, { recursive: true, force: true });
});

/** A policy header as directive → sources. */
const directives = (header: string | null) =>
  Object.fromEntries((header ?? '').split(';').map((d) => d.trim().split(/\s+/)).map(([name = '', ...sources]) => [name, sources]));

describe('security headers', () => {
  it("every response carries helmet's headers and the app's policy", async () => {
    for (const route of ['/', '/healthz', '/api/config', '/api/no-such-route', '/assets/index-BYaPEycA.js']) {
      const res = await fetch(`${server.url}${route}`);
      expect(res.headers.get('x-content-type-options'), route).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), route).toBe('SAMEORIGIN');
      expect(res.headers.get('cross-origin-opener-policy'), route).toBe('same-origin');
      expect(res.headers.get('referrer-policy'), route).toBe('no-referrer');
      // Plain HTTP here: HSTS is for whatever terminates TLS in front.
      expect(res.headers.get('strict-transport-security'), route).toBeNull();
      const csp = directives(res.headers.get('content-security-policy'));
      expect(csp['default-src'], route).toEqual(["'self'"]);
      expect(csp['script-src'], route).toEqual(["'self'", "'wasm-unsafe-eval'", 'https://packages.example.org']);
      expect(csp['connect-src'], route).toEqual(["'self'", 'https://packages.example.org']);
      expect(csp['object-src'], route).toEqual(["'none'"]);
      expect(csp['frame-ancestors'], route).toEqual(["'none'"]);
      expect(csp, route).not.toHaveProperty('upgrade-insecure-requests');
    }
  });

  it("the skill workers' scripts get a policy of their own: eval for skill code, nothing to load or connect to", async () => {
    for (const file of ['javascript.worker-C8zYJMTv.js', 'threejs.worker-D_XRC42p.js']) {
      const res = await fetch(`${server.url}/assets/${file}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none';script-src 'unsafe-eval'");
    }
  });

  it("the Python worker's adds eval for Pyodide's packages, the ngspice worker's data: for its inlined WebAssembly", async () => {
    const python = directives((await fetch(`${server.url}/assets/python.worker-DA1J_meA.js`)).headers.get('content-security-policy'));
    expect(python['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'", 'https://packages.example.org', "'unsafe-eval'"]);
    expect(python['connect-src']).toEqual(["'self'", 'https://packages.example.org']);
    const ngspice = directives((await fetch(`${server.url}/assets/ngspice.worker-CMM-GX-b.js`)).headers.get('content-security-policy'));
    expect(ngspice['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'", 'https://packages.example.org']);
    expect(ngspice['connect-src']).toEqual(["'self'", 'https://packages.example.org', 'data:']);
  });
});

describe('CORS', () => {
  const request = (route: string, init: RequestInit & { origin?: string } = {}) =>
    fetch(`${server.url}${route}`, { ...init, headers: { ...(init.origin ? { origin: init.origin } : {}), ...(init.headers as Record<string, string>) } });

  it('a listed origin gets CORS headers; an unlisted one, same-origin and originless requests none', async () => {
    const listed = await request('/api/sessions', { origin: LISTED });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBe(LISTED);
    expect(listed.headers.get('access-control-expose-headers')).toContain('Retry-After');
    // A browser MCP client of a listed site reads its session id (/mcp); a script, where its run is.
    expect(listed.headers.get('access-control-expose-headers')).toContain('Mcp-Session-Id');
    expect(listed.headers.get('access-control-expose-headers')).toContain('Location');
    expect(listed.headers.get('vary')).toContain('Origin');
    expect(listed.headers.get('access-control-allow-credentials')).toBeNull();

    for (const origin of ['https://evil.example', 'null', undefined, server.url]) {
      const res = await request('/api/sessions', { origin });
      expect(res.status, String(origin)).toBe(200);
      expect(res.headers.get('access-control-allow-origin'), String(origin)).toBeNull();
    }
  });

  it("answers a listed origin's preflight and refuses any other with 403 and the error body", async () => {
    const preflight = (origin: string) =>
      request('/api/skills/some-skill', { method: 'OPTIONS', origin, headers: { 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'authorization' } });
    const ok = await preflight('http://localhost:5173');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(ok.headers.get('access-control-allow-methods')).toContain('DELETE');
    expect(ok.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(ok.headers.get('access-control-allow-headers')).toContain('mcp-session-id');
    expect(ok.headers.get('access-control-allow-headers')).toContain('mcp-protocol-version');

    const refused = await preflight('https://evil.example');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(await refused.json()).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining('Requests from https://evil.example are not allowed: add it to CORS_ORIGINS') } });
  });

  it('CORS_ORIGINS must hold origins exactly as browsers send them', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, http://localhost:5173' }).http.corsOrigins).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(loadConfig({}).http.corsOrigins).toEqual([]);
    for (const bad of ['https://a.example/', 'https://a.example/app', 'a.example', 'ftp://a.example', '*']) {
      expect(() => loadConfig({ CORS_ORIGINS: `https://ok.example,${bad}` }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ CORS_ORIGINS: bad }), bad).toThrow(`CORS_ORIGINS="${bad}": ${JSON.stringify(bad)} is not an origin`);
    }
  });
});

describe('WebSocket origins', () => {
  /** Opens a raw socket to a room with an Origin header (or none); resolves to "open" or the HTTP status. */
  const upgrade = (origin: string | undefined, headers: Record<string, string> = {}): Promise<string> =>
    new Promise((resolve) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sync/user/default`, { headers, ...(origin ? { origin } : {}) });
      ws.on('open', () => {
        resolve('open');
        ws.close();
      });
      ws.on('unexpected-response', (_req, res) => resolve(`HTTP ${res.statusCode}`));
      ws.on('error', () => undefined);
    });

  it("refuses upgrades from other sites' pages; same-origin, listed and non-browser clients connect", async () => {
    expect(await upgrade('https://evil.example')).toBe('HTTP 403');
    // The port differs: another site.
    expect(await upgrade('http://127.0.0.1:1')).toBe('HTTP 403');
    expect(await upgrade('null')).toBe('HTTP 403');
    expect(await upgrade(server.url)).toBe('open');
    expect(await upgrade(LISTED)).toBe('open');
    expect(await upgrade(undefined)).toBe('open');
  });

  it("behind a proxy that rewrites Host, the page's own origin is the forwarded host", async () => {
    expect(await upgrade('https://llmunix.example.org', { 'x-forwarded-host': 'llmunix.example.org' })).toBe('open');
    expect(await upgrade('https://evil.example', { 'x-forwarded-host': 'llmunix.example.org' })).toBe('HTTP 403');
  });
});

describe('local mode and DNS rebinding', () => {
  // A page of rebound.example, whose name now points at 127.0.0.1: same-origin to the browser.
  const REBOUND = 'rebound.example:8787';

  /** A GET with a given Host header (fetch will not send one of our choosing). */
  const getWithHost = (url: string, host: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.get(url, { headers: { host, ...headers } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
    });

  const upgradeWithHost = (url: string, host: string): Promise<string> =>
    new Promise((resolve) => {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/sync/user/default`, { headers: { host }, origin: `http://${host}` });
      ws.on('open', () => {
        resolve('open');
        ws.close();
      });
      ws.on('unexpected-response', (_req, res) => resolve(`HTTP ${res.statusCode}`));
      ws.on('error', () => undefined);
    });

  it('answers only requests addressed to a loopback name, saying why', async () => {
    const refused = await getWithHost(`${server.url}/api/sessions`, REBOUND, { origin: `http://${REBOUND}` });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining('single-user local mode and answers only requests to localhost, 127.0.0.1 or [::1], not to "rebound.example:8787"') } });
    expect((await getWithHost(`${server.url}/`, REBOUND)).status).toBe(403);
    expect(await upgradeWithHost(server.url, REBOUND)).toBe('HTTP 403');
    for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `app.localhost:${server.port}`, `[::1]:${server.port}`]) {
      expect((await getWithHost(`${server.url}/api/sessions`, host)).status, host).toBe(200);
      expect(await upgradeWithHost(server.url, host), host).toBe('open');
    }
  });

  it('with tokens, any name will do: the token decides', async () => {
    const withTokens = await startTestServer({ AUTH_SECRET: SECRET });
    try {
      const token = await mintUserToken(SECRET, { sub: 'alice' });
      expect((await getWithHost(`${withTokens.url}/api/sessions`, REBOUND, { authorization: `Bearer ${token}` })).status).toBe(200);
      expect((await getWithHost(`${withTokens.url}/api/sessions`, REBOUND)).status).toBe(401);
    } finally {
      await withTokens.close();
    }
  });
});

describe('REST rate limit', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ AUTH_SECRET: SECRET, REST_RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => limited.close());

  const get = (route: string, token: string) => fetch(`${limited.url}${route}`, { headers: { authorization: `Bearer ${token}` } });

  it('answers 429 with the error body and Retry-After once an identity has spent its minute; others go on', async () => {
    const alice = await mintUserToken(SECRET, { sub: 'alice' });
    const bob = await mintUserToken(SECRET, { sub: 'bob' });
    // Sessions, skills and the trash share one budget.
    for (const route of ['/api/sessions', '/api/skills', '/api/trash']) expect((await get(route, alice)).status).toBe(200);
    expect((await get('/api/trash', alice)).status).toBe(429);
    const refused = await get('/api/skills', alice);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: { code: 'rate_limited', message: expect.stringContaining('at most 3 a minute'), help: expect.any(String) } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit-policy')).toContain('q=3');
    expect((await get('/api/sessions', bob)).status).toBe(200);
    // Outside the REST routes nothing is counted.
    expect((await fetch(`${limited.url}/healthz`)).status).toBe(200);
  });

  it('REST_RATE_LIMIT_PER_MINUTE must be a positive whole number', () => {
    expect(loadConfig({}).http.restRatePerMinute).toBe(600);
    expect(() => loadConfig({ REST_RATE_LIMIT_PER_MINUTE: '0' })).toThrow(/REST_RATE_LIMIT_PER_MINUTE="0"/);
  });
});
