// The trash in Chromium against the real server: a workflow deleted by one person while another
// has it open is read-only for the other, who is told who deleted it and restores it; it comes
// back in both lists with its nodes. The Trash view lists what was deleted and restores it too,
// and a trashed workflow's link opens read-only with the same banner. Offline, delete, undo and
// restore work (they are edits of the volume index); deleting for good waits for the server.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connectClient } from '../../sync-server/test/harness/clients';
import { CLOSE } from '../../shared/src/codes';
import { trashEntryOf, trashSkill } from '../../shared/src/documents/trash';
import { getSessionListing, getSkillSource, getWorkflowListing, putSkillSource, putWorkflowListing } from '../../shared/src/documents/volume-index';
import { readWorkflowGraph, writeWorkflowGraph, writeWorkflowMeta, type WorkflowGraph } from '../../shared/src/documents/workflow';
import { runsRoomOf } from '../../shared/src/rooms';
import { describedText, OFFLINE_NOISE, useApp, waitFor, type TestClient } from './harness';
import { dropSkill, visibleNodes } from './harness/canvas';

const app = useApp();

const GRAPH: WorkflowGraph = {
  nodes: [
    { id: 'ham', skillId: 'quantum-hamiltonian', label: 'Hamiltonian', position: { x: 0, y: 0 }, inputs: { bond_length: 0.74 } },
    { id: 'vqe', skillId: 'quantum-vqe', label: 'VQE', position: { x: 320, y: 0 }, inputs: {} },
  ],
  edges: [{ id: 'ham-vqe', source: 'ham', sourceHandle: 'hamiltonian', target: 'vqe', targetHandle: 'hamiltonian' }],
};

/** A listed two-node workflow, written as a script or another device would. */
async function makeWorkflow(id: string, name: string): Promise<{ index: TestClient; room: TestClient }> {
  const [index, room] = await Promise.all([app.connect('user/default'), app.connect(`user/default/workflow/${id}`)]);
  const fields = { name, description: '', created_at: '2026-12-01T00:00:00Z', updated_at: '2026-12-01T00:00:00Z' };
  room.doc.transact(() => {
    writeWorkflowMeta(room.doc, fields);
    writeWorkflowGraph(room.doc, GRAPH);
  });
  index.doc.transact(() => putWorkflowListing(index.doc, id, fields));
  return { index, room };
}

async function nameMyself(page: Page, name: string): Promise<void> {
  await page.locator('[data-testid="identity-name"]').fill(name);
  await page.locator('[data-testid="identity-name"]').press('Enter');
}

const QUADRUPLE = `---
name: Quadruple
skill_id: quadruple-it
type: python
category: arithmetic
description: Multiplies a number by four.
inputs:
  - name: x
    type: number
outputs:
  - name: result
    type: number
---
# Skill: Quadruple

## Code

\`\`\`python
def execute(inputs):
    return {"result": inputs["x"] * 4}
\`\`\`
`;

/** The names of a room's versions, newest first, as `GET /api/versions` lists them. */
async function versionNames(room: string): Promise<Array<string | null>> {
  const res = await fetch(`${app.server.url}/api/versions?room=${encodeURIComponent(room)}`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { versions: Array<{ name: string | null }> };
  return body.versions.map((v) => v.name);
}

/** Names a version of a room (`POST /api/versions`). */
async function nameVersion(room: string, name: string): Promise<void> {
  const res = await fetch(`${app.server.url}/api/versions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ room, name }) });
  expect(res.status).toBe(201);
}

const listItem = (page: Page, id: string) => page.locator(`[data-testid="workflow-item"][data-id="${id}"]`);

/** Whether a stock client of a room deleted for good is refused with 4410 (its tombstone), storing nothing. */
async function refusedAsDeleted(room: string): Promise<boolean> {
  const client = connectClient(app.server.url, room);
  try {
    await waitFor(() => client.closeCodes.length > 0, `the server to answer a connection to ${room}`);
    return client.closeCodes[0] === CLOSE.roomDeleted.code && readWorkflowGraph(client.doc).nodes.length === 0;
  } finally {
    client.destroy();
  }
}

describe('trash', () => {
  it('one person deletes a workflow the other has open; the other sees who, restores it, and it is back in both lists with its nodes and versions', async () => {
    const { index, room } = await makeWorkflow('shared-study', 'Shared study');
    await nameVersion('user/default/workflow/shared-study', 'before the delete');
    const ada = await app.openPage('/');
    const bob = await app.openWorkflow('shared-study');
    await nameMyself(ada.page, 'Ada');
    await nameMyself(bob.page, 'Bob');
    await listItem(ada.page, 'shared-study').waitFor();
    await waitFor(async () => (await visibleNodes(bob.page).count()) === 2, 'Bob to see the two nodes');

    // Ada deletes it from her list.
    await listItem(ada.page, 'shared-study').locator('[data-testid="delete-workflow"]').click();
    await listItem(ada.page, 'shared-study').locator('[data-testid="delete-workflow-confirm"]').click();
    await listItem(ada.page, 'shared-study').waitFor({ state: 'detached' });

    // Bob is told who deleted it, it leaves his list too, and his canvas keeps the nodes but is read-only.
    const banner = bob.page.locator('[data-testid="trashed-banner"]');
    await banner.waitFor();
    expect(await banner.locator('[data-testid="trashed-by"]').textContent()).toMatch(/^Deleted by Ada, just now$/);
    await listItem(bob.page, 'shared-study').waitFor({ state: 'detached' });
    expect(await visibleNodes(bob.page).count()).toBe(2);
    expect(await bob.page.locator('[data-testid="workflow-name"]').textContent()).toBe('Shared study');
    expect(await bob.page.locator('[data-testid="add-note"]').isDisabled()).toBe(true);
    await dropSkill(bob.page, 'plot-convergence', { x: 300, y: 300 });
    await waitFor(async () => ((await bob.page.locator('[data-testid="canvas-notice"]').textContent()) ?? '').includes('in the trash'), 'the read-only notice');
    await waitFor(() => getWorkflowListing(index.doc, 'shared-study') === undefined && trashEntryOf(index.doc, { volume: 'user', volumeId: 'default' }, 'workflow', 'shared-study')?.deleted_by === 'Ada', 'the trash entry on the server');
    expect(readWorkflowGraph(room.doc).nodes.map((n) => n.id).sort()).toEqual(['ham', 'vqe']);

    // Bob restores it: it is back in both lists, with its nodes and edge, editable again.
    await banner.locator('[data-testid="trashed-restore"]').click();
    await banner.waitFor({ state: 'detached' });
    await listItem(bob.page, 'shared-study').waitFor();
    await listItem(ada.page, 'shared-study').waitFor();
    await waitFor(() => getWorkflowListing(index.doc, 'shared-study')?.name === 'Shared study' && trashEntryOf(index.doc, { volume: 'user', volumeId: 'default' }, 'workflow', 'shared-study') === undefined, 'the restore on the server');
    expect(readWorkflowGraph(room.doc)).toEqual(GRAPH);
    expect(await versionNames('user/default/workflow/shared-study')).toContain('before the delete');
    expect(await bob.page.locator('[data-testid="add-note"]').isDisabled()).toBe(false);
    await ada.page.locator('[data-testid="workflow-link"]:text-is("Shared study")').click();
    await waitFor(async () => (await visibleNodes(ada.page).count()) === 2, 'Ada to open it with its nodes');

    ada.errors.assertNone();
    bob.errors.assertNone();
    await ada.context.close();
    await bob.context.close();
  });

  it('the Trash view lists a deleted workflow with who deleted it; its link opens read-only; Restore there brings it back, and a deleted skill too', async () => {
    const { index, room } = await makeWorkflow('from-the-trash', 'Kept for later');
    const { context, page, errors } = await app.openPage('/');
    await nameMyself(page, 'Ada');
    await listItem(page, 'from-the-trash').locator('[data-testid="delete-workflow"]').click();
    await listItem(page, 'from-the-trash').locator('[data-testid="delete-workflow-confirm"]').click();
    await waitFor(() => trashEntryOf(index.doc, { volume: 'user', volumeId: 'default' }, 'workflow', 'from-the-trash') !== undefined, 'the trash entry on the server');

    await page.locator('[data-testid="open-trash"]').click();
    const entry = page.locator('[data-testid="trash-item"][data-id="user.default.workflow.from-the-trash"]');
    await entry.waitFor();
    expect(await entry.textContent()).toContain('Kept for later');
    expect(await entry.textContent()).toContain('deleted by Ada, just now');

    // Its link shows the workflow read-only, with the banner.
    await entry.locator('[data-testid="trash-item-name"]').click();
    await page.locator('[data-testid="trashed-banner"]').waitFor();
    await waitFor(async () => (await visibleNodes(page).count()) === 2, 'the trashed workflow’s nodes');
    expect(await page.locator('[data-testid="unlisted-workflow"]').count()).toBe(0);

    await page.goBack();
    await entry.locator('[data-testid="trash-restore"]').click();
    await entry.waitFor({ state: 'detached' });
    await listItem(page, 'from-the-trash').waitFor();
    await waitFor(() => getWorkflowListing(index.doc, 'from-the-trash') !== undefined, 'the restore on the server');
    // Its link, opened read-only while it was in the trash, is writable again: the server closed
    // that connection as restored (4205) and the reconnect may write.
    await page.goForward();
    await waitFor(async () => (await visibleNodes(page).count()) === 2, 'the restored workflow’s nodes');
    await waitFor(async () => (await page.locator('[data-testid="trashed-banner"]').count()) === 0, 'the banner gone');
    await dropSkill(page, 'quantum-circuit', { x: 420, y: 300 });
    await waitFor(() => readWorkflowGraph(room.doc).nodes.length === 3, 'an edit after the restore to reach the server');
    await page.goBack();

    // A skill deleted elsewhere (a script, as the REST API does) shows up live and comes back with its text.
    index.doc.transact(() => putSkillSource(index.doc, 'quadruple-it', QUADRUPLE));
    index.doc.transact(() => trashSkill(index.doc, { volume: 'user', volumeId: 'default' }, 'quadruple-it', { by: 'a script', at: new Date().toISOString() }));
    const skill = page.locator('[data-testid="trash-item"][data-id="user.default.skill.quadruple-it"]');
    await skill.waitFor();
    expect(await skill.textContent()).toContain('Skill · deleted by a script, just now');
    await skill.locator('[data-testid="trash-restore"]').click();
    await page.locator('[data-testid="trash-empty"]').waitFor();
    await waitFor(() => getSkillSource(index.doc, 'quadruple-it') === QUADRUPLE, 'the skill restored on the server');
    errors.assertNone();
    await context.close();
  });

  it('offline: a session goes to the trash and Undo brings it back; in the Trash view Delete forever is disabled with the reason, its link is read-only, and Restore works', async () => {
    const index = await app.connect('user/default');
    const { context, page, errors } = await app.openPage('/', { ignore: OFFLINE_NOISE });
    await page.locator('[data-testid="tab-sessions"]').click();
    await page.locator('[data-testid="new-session-name"]').fill('Offline notes');
    await page.locator('[data-testid="new-session"]').click();
    const row = page.locator('[data-testid="session-item"]').filter({ has: page.locator('[data-testid="session-link"]:text-is("Offline notes")') });
    await row.waitFor();
    const id = await page.evaluate(() => location.hash.split('/').pop() ?? '');
    await waitFor(() => getSessionListing(index.doc, id) !== undefined, 'the session on the server');

    await context.setOffline(true);
    await page.locator('[data-testid="sync-status"][data-state="offline"]').waitFor();
    await row.locator('[data-testid="delete-session"]').click();
    await row.locator('[data-testid="delete-session-confirm"]').click();
    await row.waitFor({ state: 'detached' });
    await page.locator('[data-testid="moved-to-trash"]').waitFor();
    await page.locator('[data-testid="undo-delete"]').click();
    await row.waitFor();
    await row.locator('[data-testid="delete-session"]').click();
    await row.locator('[data-testid="delete-session-confirm"]').click();
    await row.waitFor({ state: 'detached' });

    await page.locator('[data-testid="open-trash"]').click();
    const entry = page.locator(`[data-testid="trash-item"][data-id="user.default.session.${id}"]`);
    await entry.waitFor();
    const forever = entry.locator('[data-testid="trash-delete-forever"]');
    expect(await forever.isDisabled()).toBe(true);
    // The reason is visible text the button points to, not a tooltip.
    expect(await describedText(forever)).toMatch(/offline: deleting for good needs the server/);
    expect(await forever.getAttribute('aria-label')).toBe('Delete “Offline notes” forever');
    expect(await page.locator('[data-testid="empty-trash"]').isDisabled()).toBe(true);
    await page.locator('[data-testid="trash-offline"]').waitFor();
    expect(await describedText(page.locator('[data-testid="empty-trash"]'))).toMatch(/deleting for good needs the server/);
    // Nothing of this reached the server yet: it still lists the session.
    expect(getSessionListing(index.doc, id)?.name).toBe('Offline notes');

    // Its link opens the session read-only, with the banner.
    await entry.locator('[data-testid="trash-item-name"]').click();
    await page.locator('[data-testid="session-view"] [data-testid="trashed-banner"]').waitFor();
    expect(await page.locator('[data-testid="chat-input"]').isDisabled()).toBe(true);
    await page.goBack();

    await entry.locator('[data-testid="trash-restore"]').click();
    await entry.waitFor({ state: 'detached' });
    await context.setOffline(false);
    await page.locator('[data-testid="sync-status"][data-state="synced"]').waitFor();
    await waitFor(() => getSessionListing(index.doc, id)?.name === 'Offline notes' && trashEntryOf(index.doc, { volume: 'user', volumeId: 'default' }, 'session', id) === undefined, 'the server to hold the restored session');
    errors.assertNone();
    await context.close();
  });

  it('Delete forever removes the room and its versions on the server; whoever has it open is told and does not bring it back; Empty trash deletes the rest', async () => {
    const { index } = await makeWorkflow('gone-for-good', 'Scratch');
    await makeWorkflow('also-gone', 'Scratch too');
    await nameVersion('user/default/workflow/gone-for-good', 'a named version');
    const ada = await app.openPage('/');
    const bob = await app.openWorkflow('gone-for-good');
    await waitFor(async () => (await visibleNodes(bob.page).count()) === 2, 'Bob to see the nodes');
    for (const id of ['gone-for-good', 'also-gone']) {
      await listItem(ada.page, id).locator('[data-testid="delete-workflow"]').click();
      await listItem(ada.page, id).locator('[data-testid="delete-workflow-confirm"]').click();
      await listItem(ada.page, id).waitFor({ state: 'detached' });
    }
    await bob.page.locator('[data-testid="trashed-banner"]').waitFor();

    // Ada's browser holds the workflow's run history (as after a run there), which pins outputs in the cache.
    const runs = runsRoomOf('user/default/workflow/gone-for-good') as string;
    await ada.page.evaluate(async (room) => {
      localStorage.setItem('llmunix.runsRooms', JSON.stringify([room]));
      await new Promise((resolve, reject) => {
        const opening = indexedDB.open(`llmunix:${room}`);
        opening.onupgradeneeded = () => opening.result.createObjectStore('updates', { autoIncrement: true });
        opening.onsuccess = () => (opening.result.close(), resolve(null));
        opening.onerror = () => reject(opening.error);
      });
    }, runs);
    const heldHere = (room: string) =>
      ada.page.evaluate(async (r) => (await indexedDB.databases()).some((d) => d.name === `llmunix:${r}`) || (localStorage.getItem('llmunix.runsRooms') ?? '').includes(r), room);
    expect(await heldHere(runs)).toBe(true);

    await ada.page.locator('[data-testid="open-trash"]').click();
    const entry = ada.page.locator('[data-testid="trash-item"][data-id="user.default.workflow.gone-for-good"]');
    await entry.locator('[data-testid="trash-delete-forever"]').click();
    await entry.locator('[data-testid="trash-delete-forever-confirm"]').click();
    await entry.waitFor({ state: 'detached' });
    // Its run history goes from Ada's browser with it.
    await waitFor(async () => !(await heldHere(runs)), 'the run history forgotten in Ada’s browser');

    // Bob's canvas says it is gone for good, and his copy sends nothing back, even after a reload:
    // the server's tombstone refuses the room (4410) and the page says so again.
    await bob.page.locator('[data-testid="room-deleted"]').waitFor();
    await waitFor(() => trashEntryOf(index.doc, { volume: 'user', volumeId: 'default' }, 'workflow', 'gone-for-good') === undefined, 'the entry forgotten on the server');
    expect(await versionNames('user/default/workflow/gone-for-good')).toEqual([]);
    await bob.page.reload();
    await bob.page.locator('[data-testid="room-deleted"]').waitFor();
    expect(await refusedAsDeleted('user/default/workflow/gone-for-good')).toBe(true);
    expect(getWorkflowListing(index.doc, 'gone-for-good')).toBeUndefined();

    // Empty trash takes what is left.
    await ada.page.locator('[data-testid="empty-trash"]').click();
    await ada.page.locator('[data-testid="empty-trash-confirm"]').click();
    await ada.page.locator('[data-testid="trash-empty"]').waitFor();
    await waitFor(() => trashEntryOf(index.doc, { volume: 'user', volumeId: 'default' }, 'workflow', 'also-gone') === undefined, 'the trash emptied on the server');
    expect(await refusedAsDeleted('user/default/workflow/also-gone')).toBe(true);

    ada.errors.assertNone();
    bob.errors.assertNone();
    await ada.context.close();
    await bob.context.close();
  });
});
