// Start-up: configuration is validated once and fails fast naming the variable; a broken system
// skill stops the server naming file, line and field; the built PWA is served when it exists.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';
import { startServer } from '../src/server';
import { SystemSkillsError } from '../src/system-volume';
import { startTestServer } from './harness/in-process';
import { startServerProcess } from './harness/server-process';
import { waitFor } from './harness/wait';

const SKILLS = path.resolve(import.meta.dirname, '../../skills');
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const tempDir = async (prefix: string) => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
};

describe('configuration', () => {
  it('has working defaults: loopback, 8787, ./data, durable file storage', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8787, storage: 'file', dataDir: path.resolve('./data') });
  });

  it('names every bad variable and what is wrong with it', () => {
    expect(() => loadConfig({ PORT: 'eighty', STORAGE: 'floppy' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', STORAGE: 'floppy' });
    } catch (e) {
      expect((e as Error).message).toMatch(/PORT="eighty"/);
      expect((e as Error).message).toMatch(/STORAGE="floppy"/);
      expect((e as Error).message).toContain('README.md');
    }
  });

  it('the real entry point tells a person, in plain words, where to open the app', async () => {
    const dataDir = await tempDir('llmunix-start-');
    const server = await startServerProcess({ DATA_DIR: dataDir });
    cleanups.push(() => server.stop());
    await waitFor(() => server.stderr().includes('open http://'), 'the plain start line');
    expect(server.stderr()).toContain(`LLMunix is running: open ${server.url} in your browser`);
    // stdout stays machine-readable: every line of it is a JSON log entry.
    expect(server.logs.some((l) => 'raw' in l)).toBe(false);
  });

  it('the real entry point exits at once with that message', async () => {
    const dataDir = await tempDir('llmunix-cfg-');
    const started = startServerProcess({ DATA_DIR: dataDir, MAX_MESSAGE_BYTES: '-5' });
    await expect(started).rejects.toThrow(/MAX_MESSAGE_BYTES="-5"/);
  });
});

describe('system skills at start', () => {
  it('a broken skill file stops the server, naming file, line and field', async () => {
    const skillsDir = await tempDir('llmunix-badskills-');
    await fs.cp(SKILLS, skillsDir, { recursive: true });
    const file = path.join(skillsDir, 'quantum-vqe.md');
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('type: python', 'type: fortran'));
    const config = loadConfig({ STORAGE: 'memory', PORT: '0', SKILLS_DIR: skillsDir });
    const start = startServer(config, { log: pino({ level: 'silent' }) });
    await expect(start).rejects.toThrow(SystemSkillsError);
    await expect(start).rejects.toThrow(/quantum-vqe\.md:4: type: /);
  });
});

describe('serving the web app', () => {
  it('serves the built PWA from WEB_DIST when it exists', async () => {
    const dist = await tempDir('llmunix-dist-');
    await fs.writeFile(path.join(dist, 'index.html'), '<!doctype html><title>built app</title>');
    const server = await startTestServer({ WEB_DIST: dist });
    cleanups.push(() => server.close());
    const res = await fetch(`${server.url}/`);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('built app');
  });

  it('says how to build it when it does not', async () => {
    const server = await startTestServer({ WEB_DIST: path.join(os.tmpdir(), 'llmunix-no-such-dist') });
    cleanups.push(() => server.close());
    expect(await (await fetch(`${server.url}/`)).text()).toContain('npm run build');
  });
});
