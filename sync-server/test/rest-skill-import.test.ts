// REST-2: skills come in by `POST /api/skills` with their files, and go out one file at a time
// or as a zip. Every unit of the fixture set (shared/test/fixtures/skills) is read from disk,
// posted, and exported back byte for byte; refusals name the file and the limit, and write nothing.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSkillOrigin, MAX_SKILL_FILE_BYTES, readSkillFiles } from '../../shared/src/documents/skill-files';
import { getSkillSource, putSkillSource } from '../../shared/src/documents/volume-index';
import { unzipSkillArchive } from '../../shared/src/skill/archive';
import { mintShareToken, mintUserToken } from '../src/access/tokens';
import { SKILL_IMPORT_BODY_BYTES } from '../src/rest/skill-import';
import { connectSynced } from './harness/clients';
import { startTestServer } from './harness/in-process';
import { waitFor } from './harness/wait';

const ROOT = join(import.meta.dirname, '../../shared/test/fixtures/skills');
const SECRET = 'skill-import-test-secret-0123456789-abcdef';

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));

interface Unit {
  name: string;
  /** The skill's Markdown, and its other files by path relative to its folder. */
  markdown: Buffer;
  files: Array<{ path: string; bytes: Buffer }>;
}

const UNITS: Unit[] = [
  ...readdirSync(join(ROOT, 'agent')).map((folder) => {
    const dir = join(ROOT, 'agent', folder);
    const files = walk(dir).map((p) => ({ path: relative(dir, p).split('\\').join('/'), bytes: readFileSync(p) }));
    return { name: `agent/${folder}`, markdown: readFileSync(join(dir, 'SKILL.md')), files: files.filter((f) => f.path !== 'SKILL.md') };
  }),
  ...readdirSync(join(ROOT, 'original'))
    .filter((f) => f.endsWith('.md'))
    .map((file) => ({ name: `original/${file}`, markdown: readFileSync(join(ROOT, 'original', file)), files: [] })),
];

const isUtf8 = (bytes: Buffer): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

/** A unit as a POST body: text files as utf8 and the others as base64, as a client would send them. */
const bodyOf = (unit: Unit, extra: object = {}) => ({
  content: unit.markdown.toString('utf8'),
  files: unit.files.map((f) => (isUtf8(f.bytes) ? { path: f.path, content: f.bytes.toString('utf8') } : { path: f.path, content: f.bytes.toString('base64'), encoding: 'base64' })),
  ...extra,
});

let server: Awaited<ReturnType<typeof startTestServer>>;
let authed: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  server = await startTestServer();
  authed = await startTestServer({ AUTH_SECRET: SECRET });
});
afterAll(async () => {
  await server.close();
  await authed.close();
});

// Response bodies are checked field by field, so they stay loosely typed here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function api(method: string, path: string, body?: unknown, token?: string, base = server.url): Promise<{ status: number; json: any }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

async function download(path: string, token?: string, base = server.url): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const res = await fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const byPath = (files: Array<{ path: string; bytes: Uint8Array }>) =>
  Object.fromEntries([...files].sort((a, b) => (a.path < b.path ? -1 : 1)).map((f) => [f.path, Buffer.from(f.bytes).toString('base64')]));

const skill = (id: string) => `---\nname: ${id}\ndescription: Files test.\n---\nRead scripts/x.py.\n`;

describe('the fixture set by REST', () => {
  it.each(UNITS.map((u) => [u.name, u] as const))('%s imports, lists with its kind and files, and exports byte for byte', async (_name, unit) => {
    const posted = await api('POST', '/api/skills', bodyOf(unit));
    expect(posted.status, JSON.stringify(posted.json)).toBe(201);
    const id: string = posted.json.skill_id;
    expect(id).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
    expect(posted.json.volume).toBe('user');
    expect(Array.isArray(posted.json.warnings)).toBe(true);
    const paths = unit.files.map((f) => f.path).sort();
    expect(posted.json.files.map((f: { path: string }) => f.path)).toEqual(paths);

    const got = await api('GET', `/api/skills/${id}`);
    expect(got.status).toBe(200);
    expect(got.json.kind).toBe(posted.json.kind);
    expect(got.json.content).toBe(unit.markdown.toString('utf8'));
    expect(got.json.files).toEqual(unit.files.map((f) => ({ path: f.path, size: f.bytes.byteLength })).sort((a, b) => (a.path < b.path ? -1 : 1)));
    const listed = (await api('GET', '/api/skills?volume=user')).json;
    expect(listed.skills.find((s: { skill_id: string }) => s.skill_id === id)).toMatchObject({ kind: posted.json.kind, files: got.json.files });

    for (const file of unit.files) {
      const one = await download(`/api/skills/${id}/files/${file.path.split('/').map(encodeURIComponent).join('/')}`);
      expect(one.status).toBe(200);
      expect(one.bytes.equals(file.bytes), file.path).toBe(true);
      expect(one.headers.get('x-content-type-options')).toBe('nosniff');
    }

    const exported = await download(`/api/skills/${id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('application/zip');
    expect(exported.headers.get('content-disposition')).toBe(`attachment; filename="${id}.zip"`);
    const unzipped = unzipSkillArchive(new Uint8Array(exported.bytes));
    if (!unzipped.ok) throw new Error(unzipped.error);
    const expected = [{ path: `${id}/SKILL.md`, bytes: unit.markdown }, ...unit.files.map((f) => ({ path: `${id}/${f.path}`, bytes: f.bytes }))];
    expect(byPath(unzipped.value)).toEqual(byPath(expected));
  });

  it('keeps instruction skills as their own kind, with a skill_id made from the name when the file has none', async () => {
    const unit = UNITS.find((u) => u.name === 'original/data-analysis.md')!;
    const posted = await api('POST', '/api/skills', bodyOf(unit, { overwrite: true }));
    expect(posted.status).toBe(201);
    expect(posted.json).toMatchObject({ skill_id: 'data-analysis-workflow', kind: 'instruction', type: 'instruction' });
    expect(posted.json.code).toBeUndefined();
    const named = await api('POST', '/api/skills', bodyOf(unit, { skill_id: 'analysis-notes' }));
    expect(named.json.skill_id).toBe('analysis-notes');
    const runnable = await api('GET', '/api/skills/series-stats');
    expect(runnable.json).toMatchObject({ kind: 'runnable', language: 'python' });
  });

  it('answers with the warnings of the user\'s own file, at its lines', async () => {
    const unit = UNITS.find((u) => u.name === 'agent/allowed-tools-list')!;
    const posted = await api('POST', '/api/skills', bodyOf(unit, { overwrite: true }));
    expect(posted.json.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'allowed-tools', line: expect.any(Number), message: expect.stringContaining('YAML list') })]));
  });
});

describe('files and limits', () => {
  it('serves each file with a content type by its extension, and what a browser would run as text', async () => {
    const files = [
      { path: 'scripts/x.py', content: 'print(1)\n' },
      { path: 'page.html', content: '<script>alert(1)</script>' },
      { path: 'data.bin', content: Buffer.from([0, 1, 2, 255]).toString('base64'), encoding: 'base64' },
      { path: 'img/dot.png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64'), encoding: 'base64' },
    ];
    expect((await api('POST', '/api/skills', { content: skill('typed-files'), files })).status).toBe(201);
    const type = async (path: string) => (await download(`/api/skills/typed-files/files/${path}`)).headers.get('content-type');
    expect(await type('scripts/x.py')).toBe('text/plain; charset=utf-8');
    expect(await type('page.html')).toBe('text/plain; charset=utf-8');
    expect(await type('data.bin')).toBe('application/octet-stream');
    expect(await type('img/dot.png')).toBe('image/png');
    const page = await download('/api/skills/typed-files/files/page.html');
    expect(page.headers.get('content-security-policy')).toContain('sandbox');
    expect((await download('/api/skills/typed-files/files/missing.txt')).status).toBe(404);
    expect((await download('/api/skills/typed-files/files/..%2F..%2Fetc%2Fpasswd')).status).toBe(400);
    expect((await download('/api/skills/no-such-skill/files/a.txt')).status).toBe(404);
    expect((await download('/api/skills/no-such-skill/export')).status).toBe(404);
  });

  it('exports a compound skill with the skills it needs, and refuses one whose inner skill is in no volume', async () => {
    const exported = await download('/api/skills/weather-summary-csv/export');
    expect(exported.status).toBe(200);
    const unzipped = unzipSkillArchive(new Uint8Array(exported.bytes));
    if (!unzipped.ok) throw new Error(unzipped.error);
    expect(unzipped.value.map((f) => f.path).sort()).toEqual(
      ['SKILL.md', 'skills/README.md', 'skills/export-results/SKILL.md', 'skills/sample-weather-data/SKILL.md', 'skills/table-group-summary/SKILL.md'].map((p) => `weather-summary-csv/${p}`),
    );
    const lonely = readFileSync(join(import.meta.dirname, '../../skills/weather-summary-csv.md'), 'utf8')
      .replace('skill_id: weather-summary-csv', 'skill_id: lonely-compound')
      .replace('"skillId": "export-results"', '"skillId": "no-such-inner"');
    expect((await api('POST', '/api/skills', { content: lonely })).status).toBe(201);
    const refused = await api('GET', '/api/skills/lonely-compound/export');
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toContain('\\"lonely-compound\\" uses \\"no-such-inner\\", which none of your volumes has');
  });

  it('takes a skill at the file limits, sent as base64, though other routes keep their smaller limit', async () => {
    const big = (n: number) => ({ path: `assets/big-${n}.bin`, content: Buffer.alloc(MAX_SKILL_FILE_BYTES, n).toString('base64'), encoding: 'base64' });
    const posted = await api('POST', '/api/skills', { content: skill('at-the-limits'), files: [big(1), big(2)] });
    expect(posted.status, JSON.stringify(posted.json).slice(0, 300)).toBe(201);
    expect(posted.json.files).toEqual([
      { path: 'assets/big-1.bin', size: MAX_SKILL_FILE_BYTES },
      { path: 'assets/big-2.bin', size: MAX_SKILL_FILE_BYTES },
    ]);
    const file = await download('/api/skills/at-the-limits/files/assets/big-2.bin');
    expect(file.bytes.equals(Buffer.alloc(MAX_SKILL_FILE_BYTES, 2))).toBe(true);
    expect((await api('POST', '/api/sessions', { name: 'x'.repeat(3 * 1024 * 1024) })).status).toBe(413);
    const tooLong = await fetch(`${server.url}/api/skills`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"content":"${'x'.repeat(SKILL_IMPORT_BODY_BYTES)}"}` });
    expect(tooLong.status).toBe(413);
  });

  it('refuses bad files with a 400 naming the file and the limit, and writes nothing', async () => {
    const refused = async (files: object[], expected: string[], extra: object = {}) => {
      const res = await api('POST', '/api/skills', { content: skill('refused'), files, ...extra });
      expect(res.status).toBe(400);
      for (const text of expected) expect(res.json.error.message).toContain(text);
      expect(res.json.error.details.map((d: { field?: string }) => d.field)).toEqual(expect.arrayContaining([expect.stringMatching(/^(files|skill_id)/)]));
      expect((await api('GET', '/api/skills/refused')).status).toBe(404);
    };
    await refused([{ path: '../escape.py', content: 'x' }], ['"../escape.py"', '".."']);
    await refused([{ path: '/etc/passwd', content: 'x' }], ['"/etc/passwd"', 'relative']);
    await refused([{ path: 'SKILL.md', content: 'x' }], ['SKILL.md']);
    await refused([{ path: 'a.txt', content: 'x' }, { path: 'a.txt', content: 'y' }], ['"a.txt" is given twice']);
    await refused([{ path: 'huge.bin', content: Buffer.alloc(MAX_SKILL_FILE_BYTES + 1).toString('base64'), encoding: 'base64' }], ['"huge.bin"', 'at most 5 MiB']);
    const four = (n: number) => ({ path: `part-${n}.bin`, content: Buffer.alloc(4 * 1024 * 1024).toString('base64'), encoding: 'base64' });
    await refused([four(1), four(2), four(3)], ['12 MiB', 'at most 10 MiB']);
    await refused([{ path: 'x.bin', content: 'not base64!', encoding: 'base64' }], ['"x.bin"', 'base64']);
    await refused([{ path: 'x.txt', content: 'x', encoding: 'latin1' }], ['files.0.encoding']);
    await refused([], ['skill_id "other"', 'skill_id "refused"'], { content: '---\nname: refused\nskill_id: refused\n---\nText.\n', skill_id: 'other' });
  });

  it('refuses a broken skill file at its own line, writing none of its files', async () => {
    const res = await api('POST', '/api/skills', { content: '---\nname: Broken\ntype: cobol\n---\n## Code\n```python\npass\n```\n', files: [{ path: 'a.txt', content: 'x' }] });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'invalid_skill', details: [expect.objectContaining({ line: 3, field: 'type' })] });
    expect((await api('GET', '/api/skills/broken')).status).toBe(404);
  });

  it('replaces a skill whole on overwrite: files it no longer has are gone', async () => {
    await api('POST', '/api/skills', { content: skill('replaced'), files: [{ path: 'old.txt', content: 'old' }] });
    expect((await api('POST', '/api/skills', { content: skill('replaced'), files: [{ path: 'new.txt', content: 'new' }] })).status).toBe(409);
    const again = await api('POST', '/api/skills', { content: skill('replaced'), files: [{ path: 'new.txt', content: 'new' }], overwrite: true });
    expect(again.json.files).toEqual([{ path: 'new.txt', size: 3 }]);
    expect((await download('/api/skills/replaced/files/old.txt')).status).toBe(404);
    const original = await api('POST', '/api/skills', { name: 'replaced', skill_id: 'replaced', code: 'def execute(inputs):\n    return {}', overwrite: true });
    expect(original.json).toMatchObject({ kind: 'runnable', files: [] });
    const zip = unzipSkillArchive(new Uint8Array((await download('/api/skills/replaced/export')).bytes));
    expect(zip.ok && zip.value.map((f) => f.path)).toEqual(['replaced/SKILL.md']);
  });
});

describe('with y-websocket clients', () => {
  it('a skill imported by REST reaches a client whole (Markdown, files, origin); one a client writes is listed by kind', async () => {
    const client = await connectSynced(server.url, 'user/default');
    try {
      const unit = UNITS.find((u) => u.name === 'agent/chart-maker')!;
      expect((await api('POST', '/api/skills', bodyOf(unit, { skill_id: 'synced-chart', content: unit.markdown.toString('utf8').replace('name: chart-maker', 'name: synced-chart') }))).status).toBe(201);
      await waitFor(() => readSkillFiles(client.doc, 'synced-chart').length === unit.files.length, 'the files to reach the client');
      expect(byPath(readSkillFiles(client.doc, 'synced-chart'))).toEqual(byPath(unit.files));
      expect(getSkillOrigin(client.doc, 'synced-chart')).toBe('synced-chart/SKILL.md');
      expect(getSkillSource(client.doc, 'synced-chart')).toContain('name: synced-chart');

      putSkillSource(client.doc, 'client-notes', '---\nname: Client notes\ndescription: Prose only.\n---\nRead me.\n');
      await waitFor(async () => (await api('GET', '/api/skills/client-notes')).status === 200, 'the skill to reach the server');
      const listed = (await api('GET', '/api/skills?volume=user')).json;
      expect(listed.skills.find((x: { skill_id: string }) => x.skill_id === 'client-notes')).toMatchObject({ kind: 'instruction', name: 'Client notes', files: [] });
      expect(listed.invalid.map((x: { skill_id: string }) => x.skill_id)).not.toContain('client-notes');
    } finally {
      client.destroy();
    }
  });

  it('answers a body that is not JSON with a 400 saying so', async () => {
    const res = await fetch(`${server.url}/api/skills`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"content": ' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('not valid JSON');
  });
});

describe('with tokens', () => {
  it('reads files and exports as reading the skill does; a read link cannot write', async () => {
    const alice = await mintUserToken(SECRET, { sub: 'alice', teams: ['lab'] });
    const admin = await mintUserToken(SECRET, { sub: 'ada', teams: ['lab'], team_admin: ['lab'] });
    const outsider = await mintUserToken(SECRET, { sub: 'eve' });
    const readLink = await mintShareToken(SECRET, 'user/alice', 'read');
    const body = { content: skill('guarded'), files: [{ path: 'notes.md', content: '# notes\n' }] };
    const a = authed.url;
    expect((await api('POST', '/api/skills', body, alice, a)).status).toBe(201);
    expect((await api('POST', '/api/skills', { ...body, volume: 'team', volume_id: 'lab' }, alice, a)).status).toBe(403);
    expect((await api('POST', '/api/skills', { ...body, volume: 'team', volume_id: 'lab' }, admin, a)).status).toBe(201);
    expect((await api('POST', '/api/skills', { ...body, overwrite: true, volume: 'user', volume_id: 'alice' }, readLink, a)).status).toBe(403);
    expect((await download('/api/skills/guarded/files/notes.md', readLink, a)).status).toBe(200);
    expect((await download('/api/skills/guarded/export', readLink, a)).status).toBe(200);
    expect((await download('/api/skills/guarded/files/notes.md?volume=team&volume_id=lab', alice, a)).status).toBe(200);
    expect((await download('/api/skills/guarded/files/notes.md?volume=user&volume_id=alice', outsider, a)).status).toBe(403);
    expect((await download('/api/skills/guarded/export?volume=user&volume_id=alice', outsider, a)).status).toBe(403);
    expect((await download('/api/skills/guarded/export', outsider, a)).status).toBe(404);
    expect((await download('/api/skills/guarded/export', undefined, a)).status).toBe(401);
  });
});
