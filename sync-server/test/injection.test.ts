// REST-2 (issue 8): path-traversal and injection attempts in every id-carrying route are refused with 400
// (on the WebSocket, with the invalid-room close code) before they reach storage. Each attempt
// runs against a file-backed server whose DATA_DIR sits three folders below a watched root, so a
// "../../" that got through would land inside the root; the whole root is listed (paths and
// sizes) before and after, and must not change.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { CLOSE, ERRORS, type ErrorName } from '../../shared/src/codes';
import { skillBlobKey, volumeFolder, workflowBlobKey } from '../src/mirrors/blob-mirror';
import { sessionKey, sessionMessagesKey, volumeSessionsKey } from '../src/mirrors/redis-mirror';
import { FileStorage } from '../src/storage/file';
import { FileRoomLog } from '../src/storage/file-log';
import { FileSnapshotStore } from '../src/storage/file-snapshots';
import { InvalidNameError } from '../src/storage/storage';
import { startTestServer } from './harness/in-process';
import { waitFor } from './harness/wait';

/** Hostile ids. Each is sent encoded, so a handler sees exactly it, and in paths also as typed. */
const HOSTILE_IDS: string[] = [
  '..',
  '.',
  '../',
  '../x',
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f',
  '%252e%252e%252f',
  '..\\..\\',
  '..\\..\\windows\\win.ini',
  '/etc/passwd',
  'C:\\Windows',
  'a\0b',
  'a%00b',
  'a\nb',
  'a:b',
  '*',
  'a*',
  '?',
  '[a]',
  'a b',
  ' a',
  'a ',
  '{x}',
  '{a}:b',
  'a/b',
  'rooms/x',
  'volumes/user/x',
  'a%2Fb',
  // Not valid percent-encoding once Express decodes the path.
  '%zz',
  '%E0%A4%A',
  '．．／',
  '\u2024\u2024\u2215',
  'ａ',
  'é',
  'a\u200bb',
  'x'.repeat(129),
  'x'.repeat(200),
  'x'.repeat(5000),
  '',
  '-a',
  '_a',
  'a.b',
  '.hidden',
  '$ne',
  'a;b',
  'a|b',
  'a\tb',
  '<script>',
];

/** Values of the wrong JSON type where a body expects an id string. */
const HOSTILE_JSON: unknown[] = [5, 0, -1, 1e300, true, false, null, ['x'], [], { $ne: 1 }, { $gt: '' }, { toString: 'x' }];

const ROOT = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-injection-'));
const DATA_DIR = path.join(ROOT, 'a', 'b', 'data');
let server: Awaited<ReturnType<typeof startTestServer>>;
let host: string;
let port: number;

/** Every file and folder under the root with its size: what a request must leave as it was. */
async function tree(): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(ROOT, { recursive: true })) {
    // A file renamed away between the listing and the stat (a mirror's temporary file) is listed as gone.
    const stat = await fs.lstat(path.join(ROOT, entry)).catch(() => null);
    out.push(`${entry}${stat === null ? ' (gone)' : stat.isDirectory() ? '/' : ` ${stat.size}`}`);
  }
  return out.sort();
}

/** The tree once the start-up writes (the system volume and its mirror) have settled. */
async function settledTree(): Promise<string[]> {
  let last = await tree();
  let since = Date.now();
  await waitFor(
    async () => {
      const now = await tree();
      if (JSON.stringify(now) !== JSON.stringify(last)) {
        last = now;
        since = Date.now();
      }
      // Longer than the mirror's longest debounce (1 s), so nothing is still on its way.
      return Date.now() - since > 1500;
    },
    'the data directory to settle after start-up',
    20_000,
  );
  return last;
}

let baseline: string[];

beforeAll(async () => {
  server = await startTestServer({
    STORAGE: 'file',
    DATA_DIR,
    // Nothing may write on a timer while the tree is watched: no idle unloads, no compaction.
    ROOM_IDLE_MS: '3600000',
    COMPACT_AFTER_UPDATES: '1000000',
    // Thousands of requests in a few seconds: the rate limits would answer 429 long before the end.
    CHAT_RATE_LIMIT_PER_MINUTE: '1000000',
    REST_RATE_LIMIT_PER_MINUTE: '1000000',
  });
  host = new URL(server.url).hostname;
  port = server.port;
  baseline = await settledTree();
  expect(baseline.some((f) => f.startsWith(path.join('a', 'b', 'data', 'rooms')))).toBe(true);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await fs.rm(ROOT, { recursive: true, force: true });
});

interface Reply {
  status: number;
  body: string;
}

/** Sends a request with the path exactly as given: no client-side normalization or encoding. */
function raw(method: string, rawPath: string, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host, port, method, path: rawPath, headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface ErrorJson {
  error: { code: string; message: string; help: string; details?: Array<{ field?: string }> };
}

/** Asserts the project's error body: a catalogued code with its help, and a detail naming the parameter. */
function expectErrorBody(reply: Reply, code: ErrorName, param: string, what: string): void {
  expect(reply.status, `${what}: ${reply.body.slice(0, 300)}`).toBe(ERRORS[code].status);
  const json = JSON.parse(reply.body) as ErrorJson;
  expect(json.error.code, what).toBe(code);
  expect(json.error.help, what).toBe(ERRORS[code].help);
  expect(json.error.message.length, what).toBeGreaterThan(0);
  // `volume_id[]=x` is its own (unknown) key to a query parser: it is named as sent.
  const fields = (json.error.details ?? []).map((d) => d.field ?? '');
  expect(fields.some((f) => f === param || f.startsWith(`${param}[`)), `${what}: details ${JSON.stringify(fields)}`).toBe(true);
}

/** Asserts the 400 for a path that is not valid percent-encoding: refused before any route reads it. */
function expectBadEncoding(reply: Reply, what: string): void {
  expect(reply.status, `${what}: ${reply.body.slice(0, 300)}`).toBe(400);
  const json = JSON.parse(reply.body) as ErrorJson;
  expect(json.error.code, what).toBe('bad_request');
  expect(json.error.message, what).toContain('percent-encoding');
}

const decodes = (text: string): boolean => {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
};

/** Asserts a 404 from the API's catch-all: the path matched no route, so no handler (and no storage) saw it. */
function expectNoRoute(reply: Reply, what: string): void {
  expect(reply.status, what).toBe(404);
  expect(JSON.parse(reply.body).error.message as string, what).toMatch(/^No API route /);
}

/** What a path carrying `value` may be sent as: encoded (arrives exactly), and as typed, when a URL can hold it. */
function pathForms(value: string): Array<{ form: string; arrives: string | null }> {
  const forms: Array<{ form: string; arrives: string | null }> = [];
  if (value !== '') forms.push({ form: encodeURIComponent(value), arrives: value });
  // Node sends only printable ASCII in a request target; "?" and "#" would end the path.
  if (value !== '' && /^[\x21-\x7e]+$/.test(value) && !/[?#]/.test(value)) forms.push({ form: value, arrives: null });
  return forms;
}

interface PathRoute {
  method: string;
  /** The URL with `{}` where the id goes. */
  url: string;
  param: string;
  body?: unknown;
}

const PATH_ROUTES: PathRoute[] = [
  { method: 'GET', url: '/api/sessions/{}', param: 'id' },
  { method: 'PUT', url: '/api/sessions/{}', param: 'id', body: { name: 'renamed' } },
  { method: 'DELETE', url: '/api/sessions/{}', param: 'id' },
  { method: 'POST', url: '/api/sessions/{}/messages', param: 'id', body: { role: 'user', content: 'hi' } },
  { method: 'GET', url: '/api/skills/{}', param: 'skill_id' },
  { method: 'DELETE', url: '/api/skills/{}', param: 'skill_id' },
  { method: 'GET', url: '/api/skills/{}/files/notes.md', param: 'skill_id' },
  { method: 'GET', url: '/api/skills/{}/export', param: 'skill_id' },
  { method: 'POST', url: '/api/trash/{}/restore', param: 'id' },
  { method: 'DELETE', url: '/api/trash/{}', param: 'id' },
];

interface QueryRoute {
  method: string;
  url: string;
  body?: unknown;
}

const QUERY_ROUTES: QueryRoute[] = [
  { method: 'GET', url: '/api/sessions' },
  { method: 'GET', url: '/api/sessions/known-id' },
  { method: 'PUT', url: '/api/sessions/known-id', body: { name: 'renamed' } },
  { method: 'DELETE', url: '/api/sessions/known-id' },
  { method: 'POST', url: '/api/sessions/known-id/messages', body: { role: 'user', content: 'hi' } },
  { method: 'GET', url: '/api/skills' },
  { method: 'GET', url: '/api/skills/quantum-vqe' },
  { method: 'DELETE', url: '/api/skills/known-id' },
  { method: 'GET', url: '/api/skills/quantum-vqe/files/notes.md' },
  { method: 'GET', url: '/api/skills/quantum-vqe/export' },
  { method: 'GET', url: '/api/trash' },
];

interface BodyRoute {
  method: string;
  url: string;
  param: string;
  /** A valid body with the hostile value in `param`. */
  body: (value: unknown) => unknown;
}

const BODY_ROUTES: BodyRoute[] = [
  { method: 'POST', url: '/api/sessions', param: 'volume_id', body: (v) => ({ name: 'x', volume: 'team', volume_id: v }) },
  { method: 'POST', url: '/api/sessions', param: 'volume', body: (v) => ({ name: 'x', volume: v, volume_id: 'lab' }) },
  { method: 'POST', url: '/api/skills', param: 'volume_id', body: (v) => ({ name: 'x', code: 'pass', volume: 'team', volume_id: v }) },
  { method: 'POST', url: '/api/skills', param: 'volume', body: (v) => ({ name: 'x', code: 'pass', volume: v, volume_id: 'lab' }) },
  { method: 'POST', url: '/api/skills', param: 'skill_id', body: (v) => ({ name: 'x', code: 'pass', skill_id: v }) },
  { method: 'POST', url: '/api/skills', param: 'volume_id', body: (v) => ({ content: skillFile('ok-id'), volume: 'team', volume_id: v }) },
  { method: 'POST', url: '/api/skills', param: 'skill_id', body: (v) => ({ content: '---\nname: x\ndescription: Prose.\n---\nText.\n', files: [], skill_id: v }) },
  { method: 'POST', url: '/chat', param: 'user_id', body: (v) => ({ user_id: v, team_id: 't', message: 'hi' }) },
  { method: 'POST', url: '/chat', param: 'team_id', body: (v) => ({ user_id: 'u', team_id: v, message: 'hi' }) },
];

/** A whole skill file whose frontmatter carries `skillId` (as a YAML double-quoted string). */
function skillFile(skillId: string): string {
  return `---\nname: X\nskill_id: ${JSON.stringify(skillId)}\ntype: python\n---\n## Code\n\`\`\`python\ndef execute(inputs):\n    return {}\n\`\`\`\n`;
}

let attempts = 0;

describe('REST path parameters', () => {
  for (const route of PATH_ROUTES) {
    it(`${route.method} ${route.url.replace('{}', `:${route.param}`)} refuses every hostile ${route.param}`, async () => {
      const body = route.body === undefined ? undefined : JSON.stringify(route.body);
      for (const value of HOSTILE_IDS) {
        for (const { form, arrives } of pathForms(value)) {
          attempts++;
          const url = route.url.replace('{}', form);
          const reply = await raw(route.method, url, body);
          const what = `${route.method} ${url}`;
          // A path typed with "/" or "\" may match no route at all; anything that reaches a handler is a 400.
          if (arrives === null && reply.status === 404) expectNoRoute(reply, what);
          else if (arrives === null && !decodes(form)) expectBadEncoding(reply, what);
          else expectErrorBody(reply, 'invalid_id', route.param, what);
        }
      }
      expect(await tree()).toEqual(baseline);
    });
  }

  it('well-formed unknown ids are a plain 404 (the 400s above are not the server refusing everything)', async () => {
    expect((await raw('GET', '/api/sessions/known-id')).status).toBe(404);
    expect((await raw('GET', '/api/skills/known-id')).status).toBe(404);
    expect((await raw('GET', '/api/skills/quantum-vqe')).status).toBe(200);
    expect(await tree()).toEqual(baseline);
  });
});

describe('REST query parameters', () => {
  for (const route of QUERY_ROUTES) {
    it(`${route.method} ${route.url} refuses hostile volume and volume_id`, async () => {
      const body = route.body === undefined ? undefined : JSON.stringify(route.body);
      const queries: Array<[string, string]> = [];
      for (const value of HOSTILE_IDS) {
        queries.push([`volume=team&volume_id=${encodeURIComponent(value)}`, 'volume_id']);
        queries.push([`volume=${encodeURIComponent(value)}&volume_id=lab`, 'volume']);
      }
      // Arrays and objects where a string is expected, in the shapes query parsers turn into them.
      queries.push(
        ['volume=team&volume_id=lab&volume_id=other', 'volume_id'],
        ['volume=team&volume_id[]=lab', 'volume_id'],
        ['volume=team&volume_id[$ne]=1', 'volume_id'],
        ['volume=team&volume_id[0]=lab', 'volume_id'],
        ['volume[]=team&volume_id=lab', 'volume'],
        ['volume=team&volume=user&volume_id=lab', 'volume'],
        ['volume=team&volume_id=%E0%A4%A', 'volume_id'],
      );
      for (const [query, param] of queries) {
        attempts++;
        const reply = await raw(route.method, `${route.url}?${query}`, body);
        expectErrorBody(reply, 'bad_request', param, `${route.method} ${route.url}?${query}`);
      }
      expect(await tree()).toEqual(baseline);
    });
  }
});

describe('REST and chat body fields', () => {
  for (const route of BODY_ROUTES) {
    it(`${route.method} ${route.url} refuses every hostile ${route.param} in the body`, async () => {
      const values: unknown[] = [...HOSTILE_IDS, ...HOSTILE_JSON];
      // "team" and "user" are the valid volumes; every hostile id is also a hostile volume.
      for (const value of values) {
        attempts++;
        const reply = await raw(route.method, route.url, JSON.stringify(route.body(value)));
        expectErrorBody(reply, 'bad_request', route.param, `${route.method} ${route.url} ${route.param}=${JSON.stringify(value)?.slice(0, 80)}`);
      }
      expect(await tree()).toEqual(baseline);
    });
  }

  it('POST /api/skills refuses a skill file whose frontmatter skill_id is hostile', async () => {
    for (const value of HOSTILE_IDS) {
      attempts++;
      const reply = await raw('POST', '/api/skills', JSON.stringify({ content: skillFile(value) }));
      expectErrorBody(reply, 'invalid_skill', 'skill_id', `content with skill_id ${JSON.stringify(value).slice(0, 80)}`);
    }
    expect(await tree()).toEqual(baseline);
  });

  it('a JSON body that is not an object is a 400, never a half-read request', async () => {
    for (const [url, method] of [
      ['/api/sessions', 'POST'],
      ['/api/skills', 'POST'],
      ['/api/sessions/known-id', 'PUT'],
      ['/api/sessions/known-id/messages', 'POST'],
      ['/chat', 'POST'],
      ['/api/chat', 'POST'],
    ] as const) {
      for (const body of ['["../x"]', '"../x"', '5', 'null', '{"__proto__": {"volume_id": "../x"}}', '{bad json']) {
        attempts++;
        const reply = await raw(method, url, body);
        expect(reply.status, `${method} ${url} ${body}`).toBe(400);
        expect(JSON.parse(reply.body).error.code).toBe('bad_request');
      }
    }
    expect(await tree()).toEqual(baseline);
  });
});

/**
 * Opens a WebSocket with the request target exactly as given and resolves with the close code
 * the server sends, the HTTP status of a refused upgrade, or `open` when neither comes in `waitMs`.
 */
function wsClose(rawPath: string, waitMs = 5000): Promise<{ close?: number; status?: number; open?: true }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host,
      port,
      path: rawPath,
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': crypto.randomBytes(16).toString('base64') },
    });
    let socket: Duplex | undefined;
    const done = (outcome: { close?: number; status?: number; open?: true }) => {
      clearTimeout(timer);
      socket?.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done({ open: true }), waitMs);
    req.on('response', (res) => {
      res.resume();
      done({ status: res.statusCode });
    });
    req.on('upgrade', (_res, upgraded, head) => {
      socket = upgraded;
      let bytes = head;
      const read = (chunk: Buffer) => {
        bytes = Buffer.concat([bytes, chunk]);
        // Server frames are unmasked: opcode in byte 0, then a 7-bit length (126: 16-bit, 127: 64-bit follows).
        while (bytes.length >= 2) {
          const short = bytes[1]! & 0x7f;
          const headerLength = short === 126 ? 4 : short === 127 ? 10 : 2;
          if (bytes.length < headerLength) return;
          const length = short === 126 ? bytes.readUInt16BE(2) : short === 127 ? Number(bytes.readBigUInt64BE(2)) : short;
          if (bytes.length < headerLength + length) return;
          if ((bytes[0]! & 0x0f) === 0x8) return done({ close: length >= 2 ? bytes.readUInt16BE(headerLength) : 1005 });
          bytes = bytes.subarray(headerLength + length);
        }
      };
      upgraded.on('data', read);
      upgraded.on('error', () => undefined);
      read(Buffer.alloc(0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('WebSocket room paths', () => {
  it(`SYNC-2: hostile room names are closed with ${CLOSE.invalidRoom.code} (or never upgraded) and create nothing`, async () => {
    const rooms: string[] = [];
    for (const value of HOSTILE_IDS) {
      rooms.push(`user/${value}`, `team/${value}/session/s1`, `user/default/session/${value}`, `user/default/workflow/${value}`, `${value}/default`);
    }
    rooms.push('user', 'user/default/session', 'user/default/other/x', 'system/other', 'user/default/session/a/b', 'user//session/x', '');
    for (const room of rooms) {
      for (const { form, arrives } of pathForms(room).concat(room === '' ? [{ form: '', arrives: '' }] : [])) {
        attempts++;
        const target = `/sync/${form}`;
        const got = await wsClose(target);
        // A typed "/", "\" or ".." may resolve outside /sync/: then the upgrade itself is refused.
        if (arrives === null && got.status !== undefined) expect(got.status, target).toBe(404);
        else expect(got, target).toEqual({ close: CLOSE.invalidRoom.code });
      }
    }
    expect(await tree()).toEqual(baseline);
  });

  it('a well-formed room is accepted (the refusals above are not the server refusing everything)', async () => {
    expect(await wsClose('/sync/user/default/workflow/injection-control', 500)).toEqual({ open: true });
  });
});

describe('static files', () => {
  it('a path that climbs out of the web app serves no file from outside it', async () => {
    for (const target of ['/../../../../etc/passwd', '/..%2F..%2F..%2F..%2Fetc%2Fpasswd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..\\..\\..\\etc\\passwd', '/%252e%252e/etc/passwd']) {
      attempts++;
      const reply = await raw('GET', target);
      expect(reply.body, target).not.toContain('root:');
      expect(reply.status, target).toBeGreaterThanOrEqual(400);
    }
  });
});

// The backends' own refusals (STORE-9, SNAP-11 in the contract suites) are the second line:
// here, the keys of the mirrors and the listings of the file backends.
describe('storage refuses names that do not parse, whoever forgot to check them', () => {
  it('mirror keys and blob paths are built from checked ids only', () => {
    for (const id of [...HOSTILE_IDS, 'a/session/b']) {
      for (const build of [
        () => sessionKey(id),
        () => sessionMessagesKey(id),
        () => volumeSessionsKey('team', id),
        () => volumeFolder('user', id),
        () => skillBlobKey('user', 'default', id),
        () => workflowBlobKey('team', 'lab', id),
      ]) {
        attempts++;
        expect(build, JSON.stringify(id).slice(0, 80)).toThrow(InvalidNameError);
      }
    }
    expect(() => volumeFolder('system', 'other')).toThrow(InvalidNameError);
    expect([sessionKey('s-1'), sessionMessagesKey('s-1'), volumeSessionsKey('team', 'lab')]).toEqual(['session:s-1', 'session:s-1:messages', 'team:lab:sessions']);
    expect([skillBlobKey('user', 'default', 'vqe'), workflowBlobKey('system', 'system', 'w_1')]).toEqual([
      'volumes/user/default/skills/vqe.md',
      'volumes/system/system/workflows/w_1.json',
    ]);
  });

  it('the file backends list only the files that are rooms', async () => {
    // Its own folder: the watched tree above stays the server's alone.
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-listing-'));
    onTestFinished(() => fs.rm(dir, { recursive: true, force: true }));
    const backends = [
      { folder: 'rooms', ext: 'log', open: () => FileStorage.open(dir) },
      { folder: 'logs', ext: 'log', open: () => FileRoomLog.open(dir) },
      { folder: 'snapshots', ext: 'snapshot', open: () => FileSnapshotStore.open(dir) },
    ];
    for (const { folder, ext, open } of backends) {
      const backend = await open();
      // Strays someone else left in the folder: undecodable, climbing, double-encoded, not a room.
      for (const stray of ['%zz', '..%2Fx', 'user%2Fa%252Fb', 'user%2F..', 'nope%2Fx', 'user%2Fdefault']) {
        await fs.writeFile(path.join(dir, folder, `${stray}.${ext}`), '');
      }
      expect(await backend.list(), folder).toEqual(['user/default']);
      await backend.close();
    }
  });
});

describe('count', () => {
  it('tried thousands of hostile values', () => {
    expect(attempts).toBeGreaterThan(1000);
  });
});
