// The chat in Chromium against the real server and a local fake of the Anthropic Messages API:
// answers stream in token by token, a message written offline is sent when the connection
// returns, failures are shown in words with nothing lost, and the key never reaches the browser.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startFakeAnthropic, type FakeAnthropic } from '../../sync-server/test/harness/fake-anthropic';
import { collectErrors, OFFLINE_NOISE, startAppServer, useApp, waitFor, WEB_DIST } from './harness';

const KEY = 'sk-ant-e2e-do-not-leak-42';
let fake: FakeAnthropic;

beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterAll(async () => {
  await fake?.close();
});

const app = useApp(() => ({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.url }));

async function newSession(name: string, url = app.server.url): Promise<string> {
  const res = await fetch(`${url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  return ((await res.json()) as { id: string }).id;
}

async function openSession(id: string, url = app.server.url): Promise<Page> {
  const { page } = await app.openPage(`/#/session/user/default/${id}`, { context: { baseURL: url } });
  await page.locator('[data-testid="chat-input"]').waitFor();
  return page;
}

async function say(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid="chat-input"]').fill(text);
  await page.locator('[data-testid="chat-send"]').click();
}

const assistant = (page: Page) => page.locator('[data-testid="session-message"][data-role="assistant"]').last();

describe('chat', () => {
  it('streams the answer into the page token by token, with the skills used', async () => {
    const page = await openSession(await newSession('Streaming'));
    const errors = collectErrors(page);
    fake.reply({ kind: 'stream', delayMs: 250, blocks: [{ type: 'text', text: ['The divider ', 'halves ', 'the voltage: ', '**2.5 V**.'] }] });
    await say(page, 'Simulate a resistor divider circuit with ngspice');
    // Part of the answer is on the page while the rest is still coming.
    await waitFor(async () => ((await assistant(page).locator('[data-testid="message-content"]').textContent()) ?? '').includes('The divider'), 'the first tokens');
    expect((await assistant(page).locator('[data-testid="message-content"]').textContent()) ?? '').not.toContain('2.5 V');
    await assistant(page).locator('.markdown strong', { hasText: '2.5 V' }).waitFor();
    expect(await assistant(page).locator('[data-testid="skill-chip"]').allTextContents()).toContain('spice-resistor');
    errors.assertNone();
    await page.context().close();
  });

  it('a message typed offline waits, and is answered when the connection returns', async () => {
    const page = await openSession(await newSession('Offline'));
    collectErrors(page, { ignore: OFFLINE_NOISE });
    await page.context().setOffline(true);
    await page.locator('[data-testid="sync-status"][data-state="offline"]').waitFor();
    await say(page, 'What does the VQE skill return?');
    await page.locator('[data-testid="message-pending"]').waitFor();
    fake.reply({ kind: 'stream', blocks: [{ type: 'text', text: ['It returns the eigenvalue.'] }] });
    await page.context().setOffline(false);
    await assistant(page).locator('[data-testid="message-content"]', { hasText: 'It returns the eigenvalue.' }).waitFor();
    expect(await page.locator('[data-testid="message-pending"]').count()).toBe(0);
    await page.context().close();
  });

  it('an upstream failure is shown in words, and the question is kept', async () => {
    const page = await openSession(await newSession('Failure'));
    fake.reply({ kind: 'status', status: 500, type: 'api_error', message: 'boom' }, { kind: 'status', status: 500, type: 'api_error', message: 'boom' });
    await say(page, 'Hello?');
    await page.locator('[data-testid="message-error"]', { hasText: 'failed (500)' }).waitFor();
    expect(await page.locator('[data-testid="session-message"][data-role="user"] [data-testid="message-content"]').textContent()).toBe('Hello?');
    await page.context().close();
  });

  it('with no key configured, the chat says how to set one up', async () => {
    const bare = await startAppServer({ ANTHROPIC_API_KEY: '' });
    try {
      const page = await openSession(await newSession('No key', bare.url), bare.url);
      await say(page, 'Hello?');
      await page.locator('[data-testid="message-error"]', { hasText: 'ANTHROPIC_API_KEY' }).waitFor();
      await page.context().close();
    } finally {
      await bare.close();
    }
  });

  it('renders Markdown safely, and a code block can be copied or saved as a skill', async () => {
    const page = await openSession(await newSession('Markdown'));
    const alerts: string[] = [];
    page.on('dialog', (d) => {
      alerts.push(d.message());
      void d.dismiss();
    });
    const answer = [
      'Here is a skill:\n\n```python\ndef execute(inputs):\n    return {"twice": 2 * inputs.get("x", 1)}\n```\n\n',
      '<img src=x onerror="alert(1)"> <script>alert(2)</script> [link](javascript:alert(3))',
    ];
    fake.reply({ kind: 'stream', blocks: [{ type: 'text', text: answer }] });
    await say(page, 'Write me a skill that doubles a number');
    const message = assistant(page);
    await message.locator('pre code').waitFor();
    // Nothing active survives sanitizing: no script, no handler, no javascript: URL.
    expect(await message.locator('script').count()).toBe(0);
    expect(await message.locator('[onerror]').count()).toBe(0);
    expect(await message.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(alerts).toEqual([]);
    await message.locator('[data-testid="save-as-skill"]').click();
    await page.waitForURL(/#\/skill\/user\/default\/chat-skill-/);
    const skillId = page.url().split('/').pop() ?? '';
    await waitFor(async () => {
      const res = await fetch(`${app.server.url}/api/skills/${skillId}?volume=user`);
      return res.status === 200 && ((await res.json()) as { code: string }).code.includes('2 * inputs.get');
    }, 'the saved skill to reach the server');
    await page.context().close();
  });

  it('the key appears in no built asset', async () => {
    const files = await fs.readdir(WEB_DIST, { recursive: true });
    for (const file of files) {
      const full = path.join(WEB_DIST, String(file));
      if ((await fs.stat(full)).isFile()) expect((await fs.readFile(full)).includes(KEY), String(file)).toBe(false);
    }
  });
});
