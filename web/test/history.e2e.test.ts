// Versions in Chromium against the real server, which takes a checkpoint soon after each pause in
// editing (a short HISTORY_PAUSE_MS): two people of a team edit a workflow; the History lists the
// versions with both authors; one previews a version on the canvas and restores it; the other sees
// the restore live; the restorer's undo takes it back. Versions seen once stay browsable offline;
// a restored earlier name reaches the workflow list; a read link sees versions without restoring
// them; someone without access is told so.
// A skill's versions: compared with the text now, restored, and the restore undone in the editor.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { getSkillSource, getWorkflowListing, putWorkflowListing } from '../../shared/src/documents/volume-index';
import { putNode, writeWorkflowMeta } from '../../shared/src/documents/workflow';
import type { VersionMeta } from '../../shared/src/history/version';
import { mintShareToken, mintUserToken } from '../../sync-server/src/access/tokens';
import { hrefOf, parseRoute } from '../src/router';
import { collectErrors, connectClient, OFFLINE_NOISE, synced, useApp, waitFor } from './harness';
import { dropSkill, nodeIds } from './harness/canvas';
import { signedIn } from './harness/sign-in';
import { cursorAtEndOf, editorReady, editorText } from './harness/skill-editor';

const SECRET = 'e2e-history-secret-0123456789-abcdefghij';
const app = useApp({ AUTH_SECRET: SECRET, HISTORY_PAUSE_MS: '300', HISTORY_MAX_MS: '2000' });
const member = (sub: string) => mintUserToken(SECRET, { sub, teams: ['lab'] });

/** The server's versions of a subject, as a script reads them. */
async function serverVersions(room: string, token: string): Promise<VersionMeta[]> {
  const res = await fetch(`${app.server.url}/api/versions?room=${encodeURIComponent(room)}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET /api/versions answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { versions: VersionMeta[] }).versions;
}

/** Opens the History panel and asks the server until it lists `count` versions. */
async function historyShows(page: Page, count: number): Promise<void> {
  if ((await page.locator('[data-testid="history-panel"]').count()) === 0) await page.locator('[data-testid="history-button"]').click();
  await waitFor(async () => {
    if ((await page.locator('[data-testid="version"]').count()) >= count) return true;
    if ((await page.locator('[data-testid="version-list"][data-loading="false"]').count()) === 1) await page.locator('[data-testid="versions-refresh"]').click();
    return false;
  }, `${count} versions in the History panel`);
}

/** Opens a workflow room's canvas (`{volume}/{volumeId}/workflow/{id}`) on a signed-in page. */
async function openWorkflow(page: Page, room: string): Promise<void> {
  const [volume, volumeId, , id] = room.split('/') as [string, string, string, string];
  await page.goto(`/${hrefOf.workflow(volume, volumeId, id)}`);
  await page.locator('[data-testid="workflow-canvas"]').waitFor();
  await page.locator('.react-flow__pane').waitFor();
}

describe('workflow versions', () => {
  it('two people edit; the list names both; one restores a version, the other sees it live, and undo takes it back', async () => {
    const room = 'team/lab/workflow/history-two';
    const [aliceToken, bobToken] = await Promise.all([member('alice'), member('bob')]);
    const alice = await signedIn(app, aliceToken);
    const bob = await signedIn(app, bobToken);
    const errors = [collectErrors(alice), collectErrors(bob)];
    await openWorkflow(alice, room);
    await openWorkflow(bob, room);

    // Alice adds a node; after the pause the server keeps a version by her.
    await dropSkill(alice, 'quantum-hamiltonian', { x: 150, y: 150 });
    await waitFor(async () => (await nodeIds(bob)).length === 1, 'Bob to see Alice’s node');
    await waitFor(async () => (await serverVersions(room, aliceToken)).some((v) => v.authors.includes('alice')), 'a version by Alice');
    // Bob adds one; the next version is his.
    await dropSkill(bob, 'plot-convergence', { x: 550, y: 150 });
    await waitFor(async () => (await nodeIds(alice)).length === 2, 'Alice to see Bob’s node');
    await waitFor(async () => (await serverVersions(room, bobToken)).some((v) => v.authors.includes('bob')), 'a version by Bob');
    const versions = await serverVersions(room, aliceToken);
    const first = versions.at(-1) as VersionMeta;
    expect(first.authors).toEqual(['alice']);

    // The History lists them newest first, naming both authors and what each changed.
    await historyShows(alice, versions.length);
    const authors = await alice.locator('[data-testid="version-authors"]').allTextContents();
    expect(authors.join(' ')).toMatch(/alice \(you\)/);
    expect(authors.join(' ')).toMatch(/bob/);
    const oldest = alice.locator(`[data-testid="version"][data-id="${first.id}"]`);
    expect(await oldest.locator('[data-testid="version-changes"]').textContent()).toMatch(/added/);

    // Alice previews the first version: read-only, over the canvas, with its one node.
    await oldest.locator('[data-testid="preview-version"]').click();
    const preview = alice.locator('[data-testid="version-preview"][data-state="open"]');
    await preview.waitFor();
    await waitFor(async () => (await preview.locator('.react-flow__node').count()) === 1, 'the version’s one node in the preview');
    expect(await preview.locator('.react-flow__node').first().getAttribute('draggable')).not.toBe('true');

    // She restores it: Bob's node goes, for her and live for Bob; the server has it too.
    await preview.locator('[data-testid="restore-version"]').click();
    await alice.locator('[data-testid="restore-outcome"]', { hasText: 'Undo takes it back' }).waitFor();
    expect(await alice.locator('[data-testid="version-preview"]').count()).toBe(0);
    await waitFor(async () => (await nodeIds(alice)).length === 1, 'the restore on Alice’s canvas');
    await waitFor(async () => (await nodeIds(bob)).length === 1, 'Bob to see the restore live');
    const script = connectClient(app.server.url, room, { params: { token: aliceToken } });
    await synced(script);
    expect((await nodeIds(bob)).sort()).toEqual((await nodeIds(alice)).sort());

    // Her undo takes the restore back, for both.
    await alice.locator('[data-testid="undo"]').click();
    await waitFor(async () => (await nodeIds(alice)).length === 2 && (await nodeIds(bob)).length === 2, 'the undo of the restore on both canvases');
    script.destroy();
    for (const e of errors) e.assertNone();
    await alice.context().close();
    await bob.context().close();
  });

  it('names a version; offline, the versions seen stay listed and previewable, and naming says it needs the server', async () => {
    const room = 'team/lab/workflow/history-offline';
    const token = await member('alice');
    const page = await signedIn(app, token);
    collectErrors(page, { ignore: OFFLINE_NOISE });
    await openWorkflow(page, room);
    await dropSkill(page, 'quantum-hamiltonian', { x: 150, y: 150 });
    await historyShows(page, 1);

    await page.locator('[data-testid="version-name"]').fill('before the refactor');
    await page.locator('[data-testid="name-version"]').click();
    await page.locator('[data-testid="name-version-outcome"]', { hasText: 'Named "before the refactor"' }).waitFor();
    const named = page.locator('[data-testid="version"][data-named="true"]');
    await named.waitFor();
    expect(await named.locator('[data-testid="version-title"]').textContent()).toBe('before the refactor');
    expect((await serverVersions(room, token)).some((v) => v.name === 'before the refactor')).toBe(true);
    const listed = await page.locator('[data-testid="version"]').count();
    // Previewed once online, a version's content is kept in this browser.
    const checkpoint = page.locator('[data-testid="version"][data-named="false"]').first();
    const checkpointId = await checkpoint.getAttribute('data-id');
    await checkpoint.locator('[data-testid="preview-version"]').click();
    await page.locator('[data-testid="version-preview"][data-state="open"] .react-flow__node').first().waitFor();
    // From the keyboard: the preview is a named region with focus on "Back to now"; Escape
    // closes it and focus is back on the Preview button that opened it.
    expect(await page.locator('[data-testid="version-preview"]').getAttribute('role')).toBe('region');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
    expect(await focused()).toBe('close-preview');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="version-preview"]').waitFor({ state: 'detached' });
    await waitFor(async () => (await focused()) === 'preview-version', 'focus back on the Preview button');
    expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="version"]')?.getAttribute('data-id'))).toBe(checkpointId);

    // The service worker serves the app for the reload offline below.
    await page.evaluate(async () => navigator.serviceWorker.ready);
    await page.context().setOffline(true);
    await page.locator('[data-testid="sync-status"][data-state="offline"]').waitFor();
    await page.locator('[data-testid="versions-refresh"]').click();
    await page.locator('[data-testid="versions-failure"][data-kind="unreachable"]').waitFor();
    expect(await page.locator('[data-testid="version"]').count()).toBe(listed);
    await page.locator('[data-testid="name-version-unavailable"]', { hasText: 'needs the server' }).waitFor();
    expect(await page.locator('[data-testid="name-version"]').isDisabled()).toBe(true);

    // A reload offline: the list comes from this browser's copy.
    await page.reload();
    await page.locator('[data-testid="workflow-canvas"]').waitFor();
    await page.locator('[data-testid="history-button"]').click();
    await page.locator('[data-testid="versions-failure"][data-kind="unreachable"]', { hasText: 'as of' }).waitFor();
    expect(await page.locator('[data-testid="version"]').count()).toBe(listed);
    await page.locator(`[data-testid="version"][data-id="${checkpointId}"] [data-testid="preview-version"]`).click();
    await page.locator('[data-testid="version-preview"][data-state="open"] .react-flow__node').first().waitFor();
    await page.context().setOffline(false);
    await page.context().close();
  });

  it('a restore that brings back an earlier name shows it on the canvas and in the list, and undo takes the name back', async () => {
    const token = await member('alice');
    const page = await signedIn(app, token);
    const errors = collectErrors(page);
    await page.locator('[data-testid="new-workflow-name"]').fill('Study A');
    await page.locator('[data-testid="new-workflow"]').click();
    await page.locator('[data-testid="workflow-name"]', { hasText: 'Study A' }).waitFor();
    const route = parseRoute(new URL(page.url()).hash);
    if (route.view !== 'workflow') throw new Error(`New opened ${page.url()}, not a workflow`);
    const { room, id } = route;
    await waitFor(async () => (await serverVersions(room, token)).length === 1, 'the first version');

    // A script renames it, as the app does: its room and its listing.
    const [script, index] = [connectClient(app.server.url, room, { params: { token } }), connectClient(app.server.url, 'user/alice', { params: { token } })];
    await Promise.all([synced(script), synced(index)]);
    writeWorkflowMeta(script.doc, { name: 'Study B' });
    putWorkflowListing(index.doc, id, { name: 'Study B' });
    await page.locator('[data-testid="workflow-item"]', { hasText: 'Study B' }).waitFor();
    await waitFor(async () => (await serverVersions(room, token)).length === 2, 'the renamed version');

    await historyShows(page, 2);
    await page.locator('[data-testid="version"]').last().locator('[data-testid="restore-version"]').click();
    await page.locator('[data-testid="workflow-name"]', { hasText: 'Study A' }).waitFor();
    await page.locator(`[data-testid="workflow-item"][data-id="${id}"]`, { hasText: 'Study A' }).waitFor();
    await waitFor(() => getWorkflowListing(index.doc, id)?.name === 'Study A', 'the listing renamed on the server');

    // Her undo takes the whole restore back, the name with it: canvas, list and server.
    await page.locator('[data-testid="undo"]').click();
    await page.locator('[data-testid="workflow-name"]', { hasText: 'Study B' }).waitFor();
    await page.locator(`[data-testid="workflow-item"][data-id="${id}"]`, { hasText: 'Study B' }).waitFor();
    await waitFor(() => getWorkflowListing(index.doc, id)?.name === 'Study B', 'the listing renamed back on the server');

    // The copies of versions this browser keeps are in the Storage panel, with their own Clear.
    await page.locator('[data-testid="storage-open"]').click();
    const copies = page.locator('[data-testid="storage-versions"]');
    await waitFor(async () => Number(await copies.getAttribute('data-entries')) >= 1, 'the restored version’s copy counted');
    await copies.locator('[data-testid="storage-clear-versions"]').click();
    await copies.locator('[data-testid="storage-clear-versions-confirm"]').click();
    await waitFor(async () => (await copies.getAttribute('data-entries')) === '0', 'the version copies cleared');
    script.destroy();
    index.destroy();
    errors.assertNone();
    await page.context().close();
  });

  it('a read link lists and previews versions, and cannot restore or name one', async () => {
    const room = 'team/lab/workflow/history-read';
    const token = await member('alice');
    const script = connectClient(app.server.url, room, { params: { token } });
    await synced(script);
    putNode(script.doc, { id: 'h', skillId: 'quantum-hamiltonian', label: 'H2', position: { x: 0, y: 0 }, inputs: {} });
    await waitFor(async () => (await serverVersions(room, token)).length === 1, 'a version of the script’s node');

    const { page } = await app.openPage(`/#/share/${await mintShareToken(SECRET, room, 'read')}`);
    await page.locator('[data-testid="read-only-room"]').waitFor();
    await historyShows(page, 1);
    expect(await page.locator('[data-testid="restore-version"]').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="name-version"]').isDisabled()).toBe(true);
    await page.locator('[data-testid="name-version-unavailable"]', { hasText: 'read-only' }).waitFor();
    await page.locator('[data-testid="preview-version"]').click();
    await page.locator('[data-testid="version-preview"][data-state="open"] .react-flow__node').first().waitFor();
    expect(await page.locator('[data-testid="version-preview"] [data-testid="restore-version"]').isDisabled()).toBe(true);
    script.destroy();
    await page.context().close();
  });

  it('someone without access is told so, in words', async () => {
    const page = await signedIn(app, await mintUserToken(SECRET, { sub: 'mallory' }));
    collectErrors(page, { ignore: [/403|401|Permission denied|refused/i] });
    await page.goto('/#/workflow/team/lab/history-two');
    await page.locator('[data-testid="workflow-canvas"]').waitFor();
    await page.locator('[data-testid="history-button"]').click();
    await page.locator('[data-testid="versions-failure"][data-kind="no-access"]', { hasText: 'do not have access' }).waitFor();
    await page.context().close();
  });
});

/** A small JavaScript skill whose description line (line 5) the test edits. */
const skillText = (description: string) => `---
name: Halver
skill_id: halver
type: javascript
description: ${description}
inputs:
  - name: x
    type: number
outputs:
  - name: half
    type: number
---
# Skill: Halver

## Code

\`\`\`javascript
export function execute(inputs) {
  return { half: inputs.x / 2 };
}
\`\`\`
`;

describe('skill versions', () => {
  it('a skill’s earlier text is compared with now and restored; undo in the editor takes the restore back', async () => {
    const token = await member('alice');
    // A script makes the skill, by REST; she edits it in the app.
    const made = await fetch(`${app.server.url}/api/skills`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: skillText('Halves a number.') }),
    });
    expect(made.status).toBe(201);
    const index = connectClient(app.server.url, 'user/alice', { params: { token } });
    await synced(index);
    const original = getSkillSource(index.doc, 'halver') as string;
    expect(original).toContain('description: Halves a number.');
    await waitFor(async () => (await serverVersions('user/alice/skill/halver', token)).length >= 1, 'the skill’s first version');

    const page = await signedIn(app, token);
    const errors = collectErrors(page);
    await page.goto('/#/skill/user/alice/halver');
    await page.locator('[data-testid="skill-editor"][data-mode="edit"]').waitFor();
    await editorReady(page);
    await cursorAtEndOf(page, 5);
    await page.keyboard.type(' Rounds nothing.');
    await waitFor(() => getSkillSource(index.doc, 'halver')?.includes('Rounds nothing.') ?? false, 'the edit on the server');
    await waitFor(async () => (await serverVersions('user/alice/skill/halver', token)).length >= 2, 'a version with the edit');

    await page.locator('[data-testid="skill-versions"] summary').click();
    const first = (await serverVersions('user/alice/skill/halver', token)).at(-1) as VersionMeta;
    const version = page.locator(`[data-testid="version"][data-id="${first.id}"]`);
    await version.waitFor();
    await version.locator('[data-testid="compare-version"]').click();
    const compare = page.locator('[data-testid="skill-version-compare"][data-state="open"]');
    await compare.locator('.diff-removed', { hasText: 'description: Halves a number.' }).waitFor();
    await compare.locator('.diff-added', { hasText: 'Rounds nothing.' }).waitFor();

    await version.locator('[data-testid="restore-version"]').click();
    await page.locator('[data-testid="restore-outcome"]', { hasText: 'takes it back' }).waitFor();
    await waitFor(async () => !(await editorText(page)).includes('Rounds nothing.'), 'the earlier text in the editor');
    await waitFor(() => getSkillSource(index.doc, 'halver') === original, 'the earlier text on the server');

    await page.locator('[data-testid="skill-source"]').focus();
    await page.keyboard.press('Control+z');
    await waitFor(() => getSkillSource(index.doc, 'halver')?.includes('Rounds nothing.') ?? false, 'the undo of the restore on the server');
    index.destroy();
    errors.assertNone();
    await page.context().close();
  });
});
