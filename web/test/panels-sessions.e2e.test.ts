// The sessions panel and session view in Chromium against the real server: create, search,
// rename, status and delete (to the trash), with the listing and the session's own room kept in step; and a
// session created over REST opening at its URL with its history.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readMessages, readSessionMeta, sessionExists } from '../../shared/src/documents/session';
import { trashEntryOf } from '../../shared/src/documents/trash';
import { getSessionListing, listSessions } from '../../shared/src/documents/volume-index';
import { useApp, waitFor, type TestClient } from './harness';

const app = useApp();
let index: TestClient;

beforeAll(async () => {
  index = await app.connect('user/default');
});

const room = (id: string): Promise<TestClient> => app.connect(`user/default/session/${id}`);

const item = (page: Page, name: string) => page.locator('[data-testid="session-item"]').filter({ has: page.locator(`[data-testid="session-link"]:text-is("${name}")`) });
const names = (page: Page) => page.locator('[data-testid="session-link"]').allTextContents();
const currentId = (page: Page) => page.evaluate(() => location.hash.split('/').pop() ?? '');

async function create(page: Page, name: string): Promise<string> {
  const before = await currentId(page);
  await page.locator('[data-testid="new-session-name"]').fill(name);
  await page.locator('[data-testid="new-session"]').click();
  await waitFor(async () => (await currentId(page)) !== before, `the new session "${name}" to open`);
  await item(page, name).waitFor();
  return currentId(page);
}

describe('sessions panel', () => {
  it('creates, searches, renames, changes status and deletes sessions; room and listing stay in step', async () => {
    const { context, page, errors } = await app.openPage('/');
    await page.locator('[data-testid="tab-sessions"]').click();
    await page.locator('[data-testid="sessions-empty"]').waitFor();

    const vqe = await create(page, 'VQE sweep');
    await waitFor(async () => (await page.locator('[data-testid="session-name"]').textContent()) === 'VQE sweep', 'the session name');
    await page.locator('[data-testid="session-no-messages"]').waitFor();
    const spice = await create(page, 'Resistor divider');
    await create(page, 'VQE bond lengths');

    // The session's room holds the original's metadata; its listing mirrors it.
    const vqeRoom = await room(vqe);
    await waitFor(() => sessionExists(vqeRoom.doc) && getSessionListing(index.doc, vqe) !== undefined, 'the session on the server');
    expect(readSessionMeta(vqeRoom.doc)).toMatchObject({ id: vqe, name: 'VQE sweep', volume: 'user', volume_id: 'default', status: 'active', metadata: {} });
    expect(getSessionListing(index.doc, vqe)).toMatchObject({ name: 'VQE sweep', status: 'active', created_at: readSessionMeta(vqeRoom.doc).created_at });

    // Search filters by name.
    const search = page.locator('[data-testid="session-search"]');
    await search.fill('vqe');
    await waitFor(async () => (await names(page)).length === 2, 'two matches');
    expect((await names(page)).sort()).toEqual(['VQE bond lengths', 'VQE sweep']);
    await search.fill('vqe SWEEP');
    await waitFor(async () => (await names(page)).length === 1, 'one match');
    await search.fill('nothing like it');
    await page.locator('[data-testid="sessions-no-match"]').waitFor();
    await search.fill('');
    await waitFor(async () => (await names(page)).length === 3, 'all three again');

    // Rename, in the listing and the room.
    await item(page, 'VQE sweep').locator('[data-testid="rename-session"]').click();
    await page.locator('[data-testid="session-name-input"]').fill('VQE sweep, STO-3G');
    await page.locator('[data-testid="session-name-input"]').press('Enter');
    await item(page, 'VQE sweep, STO-3G').waitFor();
    await waitFor(() => readSessionMeta(vqeRoom.doc).name === 'VQE sweep, STO-3G' && getSessionListing(index.doc, vqe)?.name === 'VQE sweep, STO-3G', 'the rename on the server');

    // Status, in the listing and the room, and in the open session's view.
    await page.goto(`/#/session/user/default/${vqe}`);
    await item(page, 'VQE sweep, STO-3G').locator('[data-testid="session-status"]').selectOption('paused');
    await waitFor(() => readSessionMeta(vqeRoom.doc).status === 'paused' && getSessionListing(index.doc, vqe)?.status === 'paused', 'the status on the server');
    await waitFor(async () => (await page.locator('[data-testid="session-status-label"]').textContent()) === 'paused', 'the view to follow');
    await item(page, 'VQE sweep, STO-3G').locator('[data-testid="session-status"]').selectOption('completed');
    await waitFor(() => readSessionMeta(vqeRoom.doc).status === 'completed' && getSessionListing(index.doc, vqe)?.status === 'completed', 'completed on the server');
    expect(await item(page, 'VQE sweep, STO-3G').getAttribute('data-status')).toBe('completed');

    // Delete: the listing moves to the trash and the room keeps the session for a restore; the others stay.
    const spiceRoom = await room(spice);
    await item(page, 'Resistor divider').locator('[data-testid="delete-session"]').click();
    await item(page, 'Resistor divider').locator('[data-testid="delete-session-confirm"]').click();
    await item(page, 'Resistor divider').waitFor({ state: 'detached' });
    await waitFor(() => getSessionListing(index.doc, spice) === undefined && trashEntryOf(index.doc, { volume: 'user', volumeId: 'default' }, 'session', spice) !== undefined, 'the move to the trash on the server');
    expect(trashEntryOf(index.doc, { volume: 'user', volumeId: 'default' }, 'session', spice)?.name).toBe('Resistor divider');
    expect(sessionExists(spiceRoom.doc)).toBe(true);
    expect(listSessions(index.doc).map((s) => s.name).sort()).toEqual(['VQE bond lengths', 'VQE sweep, STO-3G']);
    errors.assertNone();
    await context.close();
  });

  it('opens a session created over REST at its URL, with its history', async () => {
    const res = await fetch(`${app.server.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'From a script', initial_message: 'Find the H2 ground state\nwith STO-3G.' }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; created_at: string };
    await fetch(`${app.server.url}/api/sessions/${created.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'assistant', content: 'E = -1.137 Ha', timestamp: '2026-11-27T10:00:00.000Z' }),
    });

    const { context, page, errors } = await app.openPage(`/#/session/user/default/${created.id}`);
    await page.locator('[data-testid="session-view"]').waitFor();
    await waitFor(async () => (await page.locator('[data-testid="session-name"]').textContent()) === 'From a script', 'the session name');
    expect(await page.locator('[data-testid="session-status-label"]').textContent()).toBe('active');
    const messages = page.locator('[data-testid="session-message"]');
    await waitFor(async () => (await messages.count()) === 2, 'both messages');
    expect(await messages.evaluateAll((els) => els.map((e) => e.getAttribute('data-role')))).toEqual(['user', 'assistant']);
    // Assistant answers are rendered Markdown, whose paragraphs end in a newline.
    expect((await messages.locator('[data-testid="message-content"]').allInnerTexts()).map((t) => t.trim())).toEqual(['Find the H2 ground state\nwith STO-3G.', 'E = -1.137 Ha']);
    expect(await messages.locator('time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')))).toEqual([created.created_at, '2026-11-27T10:00:00.000Z']);

    // A message added later arrives live.
    await fetch(`${app.server.url}/api/sessions/${created.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'user', content: 'Now at 1.0 Å' }),
    });
    await waitFor(async () => (await messages.count()) === 3, 'the new message');
    const sessionRoom = await room(created.id);
    expect(readMessages(sessionRoom.doc)).toHaveLength(3);

    // A session id nobody created says so.
    await page.goto('/#/session/user/default/no-such-session');
    await page.locator('[data-testid="session-missing"]').waitFor();
    errors.assertNone();
    await context.close();
  });
});
