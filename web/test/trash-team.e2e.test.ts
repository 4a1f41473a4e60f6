// A team's trash in Chromium against a server that requires tokens: a member sees it beside their
// own, restores a workflow and deletes another for good with their own token (REST), while a
// trashed skill waits for the team's admins, as the server's access rules say.
import { expect, it } from 'vitest';
import { trashEntryOf, trashSkill, trashWorkflow } from '../../shared/src/documents/trash';
import { getWorkflowListing, putSkillSource, putWorkflowListing } from '../../shared/src/documents/volume-index';
import { readWorkflowGraph, writeWorkflowGraph, writeWorkflowMeta } from '../../shared/src/documents/workflow';
import { mintUserToken } from '../../sync-server/src/access/tokens';
import { connectClient, describedText, synced, useApp, waitFor, type TestClient } from './harness';

const SECRET = 'e2e-trash-team-secret-0123456789-abcdefgh';
const app = useApp({ AUTH_SECRET: SECRET });
const LAB = { volume: 'team', volumeId: 'lab' } as const;

const SKILL = `---
name: Lab constant
skill_id: lab-constant
type: python
category: arithmetic
description: Gives the lab's constant.
outputs:
  - name: value
    type: number
---
# Skill: Lab constant

## Code

\`\`\`python
def execute(inputs):
    return {"value": 42}
\`\`\`
`;

async function open(room: string, token: string): Promise<TestClient> {
  const client = connectClient(app.server.url, room, { params: { token } });
  await synced(client);
  return client;
}

/** Whether the server's storage holds anything of a room (a snapshot or logged updates). */
async function isStored(room: string): Promise<boolean> {
  const { snapshot, updates } = await app.server.storage.load(room);
  return snapshot !== null || updates.length > 0;
}

it('a team member restores a team workflow and deletes another for good; a trashed skill is for the admins', async () => {
  const admin = await mintUserToken(SECRET, { sub: 'ada', team_admin: ['lab'] });
  const index = await open('team/lab', admin);
  const stamp = { by: 'ada', at: new Date().toISOString() };
  for (const [id, name] of [['kept', 'Kept'], ['dropped', 'Dropped']] as const) {
    const room = await open(`team/lab/workflow/${id}`, admin);
    const fields = { name, description: '', created_at: stamp.at, updated_at: stamp.at };
    room.doc.transact(() => {
      writeWorkflowMeta(room.doc, fields);
      writeWorkflowGraph(room.doc, { nodes: [{ id: 'n', skillId: 'quantum-vqe', label: 'VQE', position: { x: 0, y: 0 }, inputs: {} }], edges: [] });
    });
    index.doc.transact(() => putWorkflowListing(index.doc, id, fields));
    index.doc.transact(() => trashWorkflow(index.doc, LAB, id, stamp));
    await waitFor(() => isStored(`team/lab/workflow/${id}`), `"${name}" stored`);
    room.destroy();
  }
  index.doc.transact(() => putSkillSource(index.doc, 'lab-constant', SKILL));
  index.doc.transact(() => trashSkill(index.doc, LAB, 'lab-constant', stamp, 'Lab constant'));

  const { context, page, errors } = await app.newPage();
  const bob = { userId: 'bob', name: 'Bob', color: '#22c55e', token: await mintUserToken(SECRET, { sub: 'bob', teams: ['lab'] }) };
  await page.addInitScript((identity) => localStorage.setItem('llmunix.identity', JSON.stringify(identity)), bob);
  await page.goto('/#/trash');
  await page.locator('[data-testid="trash-volume"][data-volume="user/bob"] [data-testid="trash-empty"]').waitFor();
  const team = page.locator('[data-testid="trash-volume"][data-volume="team/lab"]');
  const item = (id: string) => team.locator(`[data-testid="trash-item"][data-id="${id}"]`);
  await item('team.lab.workflow.kept').waitFor();
  await page.locator('[data-testid="sync-status"][data-state="synced"]').waitFor();

  // The skill: listed, but only an admin may restore or delete it.
  const skill = item('team.lab.skill.lab-constant');
  expect(await skill.textContent()).toContain('Skill · deleted by ada');
  expect(await skill.locator('[data-testid="trash-restore"]').isDisabled()).toBe(true);
  // Why, as visible text the buttons point to (a tooltip reaches neither keyboard nor screen reader).
  expect(await describedText(skill.locator('[data-testid="trash-restore"]'))).toMatch(/Only the team’s admins/);
  expect(await describedText(skill.locator('[data-testid="trash-delete-forever"]'))).toMatch(/Only the team’s admins/);
  expect(await skill.locator('[data-testid="trash-item-why"]').isVisible()).toBe(true);
  expect(await skill.locator('[data-testid="trash-restore"]').getAttribute('aria-label')).toBe('Restore “Lab constant”');
  expect(await skill.locator('[data-testid="trash-delete-forever"]').isDisabled()).toBe(true);

  await item('team.lab.workflow.kept').locator('[data-testid="trash-restore"]').click();
  await item('team.lab.workflow.kept').waitFor({ state: 'detached' });
  await waitFor(() => getWorkflowListing(index.doc, 'kept')?.name === 'Kept', 'the restore on the server');

  await item('team.lab.workflow.dropped').locator('[data-testid="trash-delete-forever"]').click();
  await item('team.lab.workflow.dropped').locator('[data-testid="trash-delete-forever-confirm"]').click();
  await item('team.lab.workflow.dropped').waitFor({ state: 'detached' });
  await waitFor(() => trashEntryOf(index.doc, LAB, 'workflow', 'dropped') === undefined, 'the entry forgotten on the server');
  expect(await isStored('team/lab/workflow/dropped')).toBe(false);
  const kept = await open('team/lab/workflow/kept', admin);
  expect(readWorkflowGraph(kept.doc).nodes).toHaveLength(1);

  // What is left is the admins' to empty.
  expect(await describedText(team.locator('[data-testid="empty-trash"]'))).toMatch(/Only the team’s admins/);
  expect(trashEntryOf(index.doc, LAB, 'skill', 'lab-constant')?.markdown).toBe(SKILL);

  // The skill's own page: its banner's Restore is the admins' too, with the reason shown.
  await page.goto('/#/skill/team/lab/lab-constant');
  const banner = page.locator('[data-testid="trashed-banner"]');
  await banner.waitFor();
  expect(await banner.locator('[data-testid="trashed-restore"]').isDisabled()).toBe(true);
  expect(await describedText(banner.locator('[data-testid="trashed-restore"]'))).toMatch(/Only the team’s admins/);

  // A workflow in the trash: its History says why versions cannot be named or restored (not "read-only link").
  index.doc.transact(() => putWorkflowListing(index.doc, 'waiting', { name: 'Waiting', description: '', created_at: stamp.at, updated_at: stamp.at }));
  index.doc.transact(() => trashWorkflow(index.doc, LAB, 'waiting', stamp));
  await page.goto('/#/workflow/team/lab/waiting');
  await page.locator('[data-testid="trashed-banner"]').waitFor();
  expect(await page.locator('[data-testid="trashed-restore"]').isDisabled()).toBe(false);
  await page.locator('[data-testid="history-button"]').click();
  await page.locator('[data-testid="name-version-unavailable"]', { hasText: 'is in the trash' }).waitFor();
  expect(await page.locator('[data-testid="name-version-unavailable"]').textContent()).not.toMatch(/link/);
  errors.assertNone();
  kept.destroy();
  index.destroy();
  await context.close();
});
