// The chat in Chromium against the real server and a local fake of the Anthropic Messages API:
// answers stream in token by token, a message written offline is sent when the connection
// returns, failures are shown in words with nothing lost, the skills the assistant read are shown
// as chips with its answer, and the key never reaches the browser:
// everything the browser receives during these tests is kept and searched for it at the end.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { collectErrors, OFFLINE_NOISE, ReceivedLog, startAppServer, waitFor } from './harness';
import { useAppWithFakeChat } from './harness/fake-chat';

const KEY = 'sk-ant-e2e-do-not-leak-42';

const chat = useAppWithFakeChat(KEY);
const app = chat.app;
/** Every response body and WebSocket frame the browser received in this file's tests. */
const received = new ReceivedLog();

async function newSession(name: string, url = app.server.url): Promise<string> {
  const res = await fetch(`${url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  return ((await res.json()) as { id: string }).id;
}

async function openSession(id: string, url = app.server.url): Promise<Page> {
  const { context, page } = await app.newPage({ context: { baseURL: url } });
  received.watch(context, page);
  await page.goto(`/#/session/user/default/${id}`);
  await page.locator('[data-testid="chat-input"]').waitFor();
  // The service worker's precache fetches the rest of the app: let it finish within the test.
  await page.evaluate(async () => void (await navigator.serviceWorker.ready));
  return page;
}

/** Closes a page's profile once everything it received has been read into `received`. */
const close = (page: Page): Promise<void> => received.close(page.context());

async function say(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid="chat-input"]').fill(text);
  await page.locator('[data-testid="chat-send"]').click();
}

const assistant = (page: Page) => page.locator('[data-testid="session-message"][data-role="assistant"]').last();

describe('chat', () => {
  it('streams the answer into the page token by token, with the skills used', async () => {
    const page = await openSession(await newSession('Streaming'));
    const errors = collectErrors(page);
    chat.fake.reply({ kind: 'stream', delayMs: 250, blocks: [{ type: 'text', text: ['The divider ', 'halves ', 'the voltage: ', '**2.5 V**.'] }] });
    await say(page, 'Simulate a resistor divider circuit with ngspice');
    // Part of the answer is on the page while the rest is still coming.
    await waitFor(async () => ((await assistant(page).locator('[data-testid="message-content"]').textContent()) ?? '').includes('The divider'), 'the first tokens');
    expect((await assistant(page).locator('[data-testid="message-content"]').textContent()) ?? '').not.toContain('2.5 V');
    await assistant(page).locator('.markdown strong', { hasText: '2.5 V' }).waitFor();
    expect(await assistant(page).locator('[data-testid="skill-chip"]').allTextContents()).toContain('spice-resistor');
    errors.assertNone();
    await close(page);
  });

  it('a message typed offline waits, and is answered when the connection returns', async () => {
    const page = await openSession(await newSession('Offline'));
    collectErrors(page, { ignore: OFFLINE_NOISE });
    await page.context().setOffline(true);
    await page.locator('[data-testid="sync-status"][data-state="offline"]').waitFor();
    await say(page, 'What does the VQE skill return?');
    await page.locator('[data-testid="message-pending"]').waitFor();
    chat.fake.reply({ kind: 'stream', blocks: [{ type: 'text', text: ['It returns the eigenvalue.'] }] });
    await page.context().setOffline(false);
    await assistant(page).locator('[data-testid="message-content"]', { hasText: 'It returns the eigenvalue.' }).waitFor();
    expect(await page.locator('[data-testid="message-pending"]').count()).toBe(0);
    await close(page);
  });

  it('an upstream failure is shown in words, and the question is kept', async () => {
    const page = await openSession(await newSession('Failure'));
    chat.fake.reply({ kind: 'status', status: 500, type: 'api_error', message: 'boom' }, { kind: 'status', status: 500, type: 'api_error', message: 'boom' });
    await say(page, 'Hello?');
    await page.locator('[data-testid="message-error"]', { hasText: 'failed (500)' }).waitFor();
    expect(await page.locator('[data-testid="session-message"][data-role="user"] [data-testid="message-content"]').textContent()).toBe('Hello?');
    await close(page);
  });

  it('with no key configured, the session page says how to set one up before anything is typed, and a message waits', async () => {
    const bare = await startAppServer({ ANTHROPIC_API_KEY: '' });
    try {
      const page = await openSession(await newSession('No key', bare.url), bare.url);
      await page.locator('[data-testid="chat-not-configured"]', { hasText: 'ANTHROPIC_API_KEY' }).waitFor();
      // The workflow the chat would act on is named before anything is asked.
      expect(await page.locator('[data-testid="chat-workflow"]').textContent()).toMatch(/makes one for this session/);
      // Each message is tried once; the second try starts only after the first one's answer was
      // handled, so once two requests have been answered the first has been dealt with.
      let answered = 0;
      page.on('response', (r) => void (r.url().endsWith('/api/chat') && answered++));
      await say(page, 'Hello?');
      await say(page, 'Anyone?');
      await waitFor(() => answered >= 2, 'both messages to be tried');
      await page.locator('[data-testid="message-pending"]', { hasText: 'not set up' }).first().waitFor();
      // The notice is not kept in the conversation as an answer: both messages still wait.
      expect(await page.locator('[data-testid="session-message"][data-role="assistant"]').count()).toBe(0);
      expect(await page.locator('[data-testid="message-pending"]').count()).toBe(2);
      await close(page);
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
    chat.fake.reply({ kind: 'stream', blocks: [{ type: 'text', text: answer }] });
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
    await close(page);
  });

  it('shows which skill the assistant read, to a collaborator and after a reload', async () => {
    const id = await newSession('Reading');
    const page = await openSession(id);
    const errors = collectErrors(page);
    chat.fake.reply(
      // The server answers read_skill; the app carries out add_node and sends both results back.
      {
        kind: 'stream',
        blocks: [
          { type: 'text', text: ['Reading the skill first.'] },
          { type: 'tool_use', id: 'r1', name: 'read_skill', input: { skill_id: 'spice-resistor' } },
          { type: 'tool_use', id: 'r2', name: 'add_node', input: { skill_id: 'spice-resistor' } },
        ],
      },
      (body) => {
        const results = (body.messages as Array<{ content: unknown }>).flatMap((m) => (Array.isArray(m.content) ? (m.content as Array<{ type: string; tool_use_id?: string; content?: string }>) : []));
        const read = results.find((r) => r.type === 'tool_result' && r.tool_use_id === 'r1')?.content ?? '';
        const added = results.find((r) => r.type === 'tool_result' && r.tool_use_id === 'r2')?.content ?? '';
        const both = read.includes('.dc V1') && added.includes('node_id');
        return { kind: 'stream', blocks: [{ type: 'text', text: [both ? 'Both results came back.' : `Missing a result: ${JSON.stringify(results)}`] }] };
      },
    );
    await say(page, 'Simulate a resistor divider circuit');
    await assistant(page).locator('[data-testid="message-content"]', { hasText: 'Both results came back.' }).waitFor();
    const chips = (p: Page) => assistant(p).locator('[data-testid="skill-read-chip"]');
    expect(await chips(page).allTextContents()).toEqual(['read: SPICE Resistor Circuit']);
    expect(await page.locator('[data-testid="tool-call"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-tool')))).toEqual(['add_node']);
    const collaborator = await openSession(id);
    await chips(collaborator).first().waitFor();
    expect(await chips(collaborator).allTextContents()).toEqual(['read: SPICE Resistor Circuit']);
    await page.reload();
    await chips(page).first().waitFor();
    expect(await chips(page).getAttribute('data-skill')).toBe('spice-resistor');
    errors.assertNone();
    await close(collaborator);
    await close(page);
  });

  it('the key is in nothing the browser received: no response body, no WebSocket frame', async () => {
    await received.settle();
    expect(received.unread).toEqual([]);
    // The log holds what the tests above made the browser receive, so the search below can fail:
    // the app itself, the answers streamed from /api/chat and the system skills synced over the
    // WebSocket. (The key is the server's alone: the browser has no way to ask for it.)
    expect(received.containing('<div id="app">').length).toBeGreaterThan(0);
    expect(received.containing('It returns the eigenvalue.')).toEqual(expect.arrayContaining([expect.stringMatching(/^POST .*\/api\/chat$/)]));
    expect(received.containing('spice-resistor').filter((s) => s.startsWith('ws '))).not.toEqual([]);
    expect(received.containing(KEY)).toEqual([]);
  });
});
