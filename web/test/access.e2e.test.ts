// Signing in to a server that requires tokens, and opening share links, in Chromium: a read link
// shows its room without letting the holder change it (and says so when a change is refused);
// a write link lets the holder edit beside the owner.
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { appendMessage, writeSessionMeta } from '../../shared/src/documents/session';
import { listWorkflows } from '../../shared/src/documents/volume-index';
import { putNode, readWorkflowGraph, writeWorkflowMeta, type WorkflowGraph, type WorkflowNode } from '../../shared/src/documents/workflow';
import { mintShareToken, mintUserToken } from '../../sync-server/src/access/tokens';
import { collectErrors, connectClient, OFFLINE_NOISE, synced, useApp, waitFor, type TestClient } from './harness';
import { dropSkill, visibleNodes } from './harness/canvas';

const SECRET = 'e2e-access-secret-0123456789-abcdefghijkl';
const app = useApp({ AUTH_SECRET: SECRET });

const aliceToken = () => mintUserToken(SECRET, { sub: 'alice' });

/** What the server has stored for a room (its snapshot and log replayed), not what it holds in memory. */
async function stored(room: string): Promise<Y.Doc> {
  const { snapshot, updates } = await app.server.storage.load(room);
  const doc = new Y.Doc();
  if (snapshot) Y.applyUpdate(doc, snapshot);
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}
const storedGraph = async (room: string): Promise<WorkflowGraph> => readWorkflowGraph(await stored(room));

/** Alice's workflow `user/alice/workflow/{id}`, written by a stock client with her token; resolves once stored. */
async function alicesWorkflow(id: string, name: string, nodes: WorkflowNode[]): Promise<TestClient> {
  const room = `user/alice/workflow/${id}`;
  const owner = connectClient(app.server.url, room, { params: { token: await aliceToken() } });
  await synced(owner);
  owner.doc.transact(() => {
    writeWorkflowMeta(owner.doc, { name, description: '', created_at: '2026-11-27T00:00:00Z', updated_at: '2026-11-27T00:00:00Z' });
    for (const node of nodes) putNode(owner.doc, node);
  });
  await waitFor(async () => (await storedGraph(room)).nodes.length === nodes.length, `Alice’s workflow "${id}" to be stored`);
  return owner;
}

/** Opens a share link on `page`; resolves once the link's workflow is on screen. */
async function openShareLink(page: Page, link: string, workflowPath: string): Promise<Page> {
  await page.goto(`/#/share/${link}`);
  await page.waitForURL(new RegExp(`#/workflow/${workflowPath}$`));
  await page.locator('[data-testid="workflow-canvas"]').waitFor();
  return page;
}

/**
 * A fresh browser profile signed in as `sub` through the app's sign-in form. A share link
 * grants only its room, so a holder who wants the system skills (to draw nodes with their
 * ports, or add one) is someone with an account of their own on the server.
 */
async function signedIn(sub: string): Promise<Page> {
  const { page } = await app.openPage('/');
  const token = await mintUserToken(SECRET, { sub });
  await page.locator('[data-testid="sign-in-token"]').fill(token);
  await page.locator('[data-testid="sign-in"] button').click();
  // The app reloads once the server accepts the token; the reloaded app no longer asks.
  await page.locator('[data-testid="sign-in"]').waitFor({ state: 'detached' });
  await page.locator('[data-testid="sync-status"][data-state="synced"]').waitFor();
  return page;
}

it('asks for a token, refuses a bad one in words, and works as that person after sign-in', async () => {
  const { page } = await app.openPage('/');
  await page.locator('[data-testid="sign-in"]').waitFor();
  await page.locator('[data-testid="sign-in-token"]').fill(await mintUserToken('not-the-servers-secret-not-the-servers', { sub: 'alice' }));
  await page.locator('[data-testid="sign-in"] button').click();
  await page.locator('.sign-in-error', { hasText: 'not valid' }).waitFor();

  await page.locator('[data-testid="sign-in-token"]').fill(await aliceToken());
  await page.locator('[data-testid="sign-in"] button').click();
  await page.waitForLoadState('load');
  await page.locator('[data-testid="sync-status"][data-state="synced"]').waitFor();
  expect(await page.locator('[data-testid="sign-in"]').count()).toBe(0);
  await page.locator('[data-testid="new-workflow-name"]').fill('Alice’s study');
  await page.locator('[data-testid="new-workflow"]').click();
  const index = connectClient(app.server.url, 'user/alice', { params: { token: await aliceToken() } });
  await synced(index);
  await waitFor(() => listWorkflows(index.doc).some((w) => w.name === 'Alice’s study'), 'the workflow in Alice’s own volume');
  index.destroy();
  await page.context().close();
});

it('a read share link opens its one room, with no sign-in, and its system skills resolve', async () => {
  const owner = await alicesWorkflow('shown', 'Shown to Bob', [{ id: 'n1', skillId: 'quantum-vqe', label: 'VQE', position: { x: 0, y: 0 }, inputs: {} }]);
  const page = await openShareLink((await app.newPage()).page, await mintShareToken(SECRET, 'user/alice/workflow/shown', 'read'), 'user/alice/shown');
  await waitFor(async () => (await visibleNodes(page).count()) === 1, 'the shared workflow’s node');
  expect(await page.locator('[data-testid="workflow-name"]').textContent()).toBe('Shown to Bob');
  // Everyone reads the system volume, a link's holder too: the node shows its skill's ports.
  await page.locator('[data-testid="skill-node"] .port.input').first().waitFor();
  expect(await page.locator('.skill-node-missing').count()).toBe(0);
  // With only a link, there is no volume of one's own to open: every room the app opens syncs.
  await page.locator('[data-testid="sync-status"][data-state="synced"]').waitFor({ timeout: 10_000 });
  owner.destroy();
  await page.context().close();
});

it('a read link shows the workflow read-only: nothing the holder tries is saved, the owner’s edits arrive live, and each sees the other', async () => {
  const room = 'user/alice/workflow/read-only';
  const owner = await alicesWorkflow('read-only', 'Look, don’t touch', [
    { id: 'ham', skillId: 'quantum-hamiltonian', label: 'H2', position: { x: 0, y: 0 }, inputs: { bond_length: 0.74 } },
  ]);
  const alice = await signedIn('alice');
  await alice.goto('/#/workflow/user/alice/read-only');
  await waitFor(async () => (await visibleNodes(alice).count()) === 1, 'Alice’s node on her own canvas');

  const bob = await openShareLink(await signedIn('bob'), await mintShareToken(SECRET, room, 'read'), 'user/alice/read-only');
  const errors = collectErrors(bob);
  await waitFor(async () => (await visibleNodes(bob).count()) === 1, 'the node through the read link');
  await bob.locator('[data-testid="read-only-room"]').waitFor();
  expect(await bob.locator('[data-testid="undo"]').isDisabled()).toBe(true);
  expect(await bob.locator('[data-testid="literal-bond_length"]').isEditable()).toBe(false);

  // Drag the node, drop a skill, select and delete, paste: none of it may change the workflow.
  // (A node that cannot be dragged pans the view instead, so its place in the flow is compared.)
  const node = bob.locator('.react-flow__node[data-id="ham"]');
  const placeInFlow = () => node.evaluate((e) => (e as HTMLElement).style.transform);
  const before = await placeInFlow();
  const title = await node.locator('.skill-node-title').boundingBox();
  if (!title) throw new Error('the node is not on the page');
  await bob.mouse.move(title.x + 10, title.y + 5);
  await bob.mouse.down();
  await bob.mouse.move(title.x + 160, title.y + 120, { steps: 8 });
  await bob.mouse.up();
  await dropSkill(bob, 'quantum-circuit', { x: 400, y: 300 });
  await bob.locator('[data-testid="canvas-notice"]', { hasText: 'read-only' }).waitFor();
  await node.locator('.skill-node-title').click();
  await bob.keyboard.press('Delete');
  await bob.keyboard.press('Control+v');
  expect(await placeInFlow()).toBe(before);

  // Bob is still present: Alice sees his cursor by name.
  await bob.locator('[data-testid="identity-name"]').fill('Bob');
  await bob.locator('[data-testid="identity-name"]').press('Enter');
  const pane = await bob.locator('.flow').boundingBox();
  await bob.mouse.move(pane!.x + 300, pane!.y + 250, { steps: 4 });
  await alice.locator('[data-testid="remote-cursor"]').filter({ hasText: 'Bob' }).waitFor();

  // Alice's later edit reaches Bob live; by then anything Bob's page had sent was long handled.
  await dropSkill(alice, 'plot-convergence', { x: 500, y: 200 });
  await waitFor(async () => (await visibleNodes(bob).count()) === 2, 'Alice’s new node on Bob’s canvas');
  const graph = await storedGraph(room);
  expect(graph.nodes.map((n) => n.skillId).sort()).toEqual(['plot-convergence', 'quantum-hamiltonian']);
  expect(graph.nodes.find((n) => n.id === 'ham')).toMatchObject({ position: { x: 0, y: 0 }, inputs: { bond_length: 0.74 } });
  expect(readWorkflowGraph(owner.doc).nodes).toHaveLength(2);
  // The canvas offered no change, so the server had none to refuse.
  expect(await bob.locator('[data-testid="write-refused"]').count()).toBe(0);
  errors.assertNone();
  owner.destroy();
  await alice.context().close();
  await bob.context().close();
});

it('changes made offline under a write link that became a read link are refused, the holder is told they were not saved, and can discard them', async () => {
  const room = 'user/alice/workflow/downgraded';
  const owner = await alicesWorkflow('downgraded', 'Shared, then not', [{ id: 'n1', skillId: 'quantum-vqe', label: 'VQE', position: { x: 0, y: 0 }, inputs: {} }]);
  const bob = await openShareLink(await signedIn('bob'), await mintShareToken(SECRET, room, 'write'), 'user/alice/downgraded');
  collectErrors(bob, { ignore: OFFLINE_NOISE });
  await waitFor(async () => (await visibleNodes(bob).count()) === 1, 'the node through the write link');
  expect(await bob.locator('[data-testid="read-only-room"]').count()).toBe(0);
  await bob.evaluate(async () => navigator.serviceWorker.ready);

  // Offline, Bob adds a node; then (still offline) he is given a read link to the same room instead.
  await bob.context().setOffline(true);
  await bob.locator('[data-testid="sync-status"][data-state="offline"]').waitFor();
  await dropSkill(bob, 'export-results', { x: 300, y: 300 });
  await waitFor(async () => (await visibleNodes(bob).count()) === 2, 'Bob’s offline node on his canvas');
  // The link reloads the app (from the service worker), so the room reconnects with the new token.
  const reloaded = bob.waitForEvent('load');
  await bob.goto(`/#/share/${await mintShareToken(SECRET, room, 'read')}`);
  await reloaded;
  await bob.locator('[data-testid="read-only-room"]').waitFor();
  await waitFor(async () => (await visibleNodes(bob).count()) === 2, 'Bob’s offline node, kept in this browser');

  // Back online, his copy syncs under the read link: the server refuses the node and says so.
  await bob.context().setOffline(false);
  const notice = bob.locator('[data-testid="write-refused"]');
  await notice.waitFor();
  expect(await notice.getAttribute('role')).toBe('alert');
  expect(await notice.textContent()).toContain('This link is read-only: your changes to this workflow were not saved.');
  expect((await storedGraph(room)).nodes.map((n) => n.skillId)).toEqual(['quantum-vqe']);
  expect(readWorkflowGraph(owner.doc).nodes.map((n) => n.skillId)).toEqual(['quantum-vqe']);

  await bob.locator('[data-testid="write-refused-dismiss"]').click();
  await notice.waitFor({ state: 'detached' });

  // Each reconnect sends the node again and is refused again, until Bob discards his copy.
  await bob.context().setOffline(true);
  await bob.locator('[data-testid="sync-status"][data-state="offline"]').waitFor();
  await bob.context().setOffline(false);
  await notice.waitFor();
  const reloadedAgain = bob.waitForEvent('load');
  await bob.locator('[data-testid="write-refused-discard"]').click();
  await reloadedAgain;
  await bob.locator('[data-testid="sync-status"][data-state="synced"]').waitFor();
  await waitFor(async () => (await visibleNodes(bob).count()) === 1, 'Bob’s canvas as the server has it');
  expect(await bob.locator('[data-testid="skill-node"][data-skill="export-results"]').count()).toBe(0);
  expect(await notice.count()).toBe(0);
  owner.destroy();
  await bob.context().close();
});

it('a write share link lets its holder add a node, which the owner sees', async () => {
  const room = 'user/alice/workflow/together';
  const owner = await alicesWorkflow('together', 'Built together', [{ id: 'n1', skillId: 'quantum-hamiltonian', label: 'H2', position: { x: 0, y: 0 }, inputs: {} }]);
  const bob = await openShareLink(await signedIn('bob'), await mintShareToken(SECRET, room, 'write'), 'user/alice/together');
  const errors = collectErrors(bob);
  await waitFor(async () => (await visibleNodes(bob).count()) === 1, 'the node through the write link');
  expect(await bob.locator('[data-testid="read-only-room"]').count()).toBe(0);
  await dropSkill(bob, 'quantum-vqe', { x: 400, y: 200 });
  await waitFor(() => readWorkflowGraph(owner.doc).nodes.some((n) => n.skillId === 'quantum-vqe'), 'Bob’s node at Alice’s');
  await waitFor(async () => (await storedGraph(room)).nodes.length === 2, 'Bob’s node to be stored');
  expect(await bob.locator('[data-testid="write-refused"]').count()).toBe(0);
  errors.assertNone();
  owner.destroy();
  await bob.context().close();
});

it('a read link to a session shows its history, with the message box disabled and saying why', async () => {
  const room = 'user/alice/session/read-chat';
  const owner = connectClient(app.server.url, room, { params: { token: await aliceToken() } });
  await synced(owner);
  owner.doc.transact(() => {
    writeSessionMeta(owner.doc, { id: 'read-chat', name: 'Alice’s chat', volume: 'user', volume_id: 'alice', status: 'active', created_at: '2026-11-27T00:00:00Z', updated_at: '2026-11-27T00:00:00Z', metadata: {} });
    appendMessage(owner.doc, { role: 'user', content: 'What is the H2 ground state?', timestamp: '2026-11-27T00:00:01Z', traces: null, artifacts: null });
  });
  await waitFor(async () => (await stored(room)).getArray('messages').length === 1, 'the session to be stored');

  const { page } = await app.openPage(`/#/share/${await mintShareToken(SECRET, room, 'read')}`);
  await page.waitForURL(/#\/session\/user\/alice\/read-chat$/);
  await page.locator('[data-testid="session-message"]', { hasText: 'H2 ground state' }).waitFor();
  await page.locator('[data-testid="read-only-room"]', { hasText: 'not write' }).waitFor();
  expect(await page.locator('[data-testid="chat-input"]').isDisabled()).toBe(true);
  expect(await page.locator('[data-testid="chat-send"]').isDisabled()).toBe(true);
  owner.destroy();
  await page.context().close();
});
