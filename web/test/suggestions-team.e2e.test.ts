// A team admin mines the team's shared runs (the traces in the team volume's sessions) and puts
// the accepted compound skill in the team's volume; a member who is not an admin is not offered
// the team's runs.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { appendMessage, writeSessionMeta } from '../../shared/src/documents/session';
import { listSkillSources, putSessionListing, putSkillSource, putWorkflowListing } from '../../shared/src/documents/volume-index';
import type { RunTrace } from '../../shared/src/execution/types';
import type { Json } from '../../shared/src/json';
import { mintUserToken } from '../../sync-server/src/access/tokens';
import { chainRun } from './evolution-runs';
import { connectClient, ROOT, synced, useApp, waitFor, type TestClient } from './harness';

const SECRET = 'e2e-suggest-secret-0123456789-abcdefghijk';
const app = useApp({ AUTH_SECRET: SECRET });
const CHAIN = ['py-square', 'js-offset', 'py-half'];
const SKILLS_DIR = path.join(ROOT, 'sync-server/test/headless/fixtures/evolve-skills');

const admin = () => mintUserToken(SECRET, { sub: 'carol', teams: ['lab'], team_admin: ['lab'] });

async function asAdmin(room: string): Promise<TestClient> {
  const client = connectClient(app.server.url, room, { params: { token: await admin() } });
  await synced(client);
  return client;
}

/** A run of the chain in a team workflow, as a canvas run leaves it on a session. */
const trace = (n: number, workflow: string): RunTrace =>
  chainRun(`team-run-${n}`, `team/lab/workflow/${workflow}`, new Date(Date.now() - n * 3_600_000).toISOString(), CHAIN, [['y', 'y'], ['z', 'z']]);

async function signedIn(claims: { sub: string; teams: string[]; team_admin: string[] }): Promise<Page> {
  const { page } = await app.openPage('/');
  await page.locator('[data-testid="sign-in-token"]').fill(await mintUserToken(SECRET, claims));
  await page.locator('[data-testid="sign-in"] button').click();
  await page.locator('[data-testid="sign-in"]').waitFor({ state: 'detached' });
  await page.locator('[data-testid="sync-status"][data-state="synced"]').waitFor();
  return page;
}

it('a team admin mines the team’s shared runs and saves the compound skill to the team', async () => {
  const now = new Date().toISOString();
  const index = await asAdmin('team/lab');
  for (const id of CHAIN) putSkillSource(index.doc, id, fs.readFileSync(path.join(SKILLS_DIR, `${id}.md`), 'utf8'));
  putWorkflowListing(index.doc, 'tw-1', { name: 'Lab chain', description: '', created_at: now, updated_at: now });
  putWorkflowListing(index.doc, 'tw-2', { name: 'Lab chain again', description: '', created_at: now, updated_at: now });
  putSessionListing(index.doc, 'ts-1', { name: 'Lab runs', status: 'active', created_at: now, updated_at: now });
  const session = await asAdmin('team/lab/session/ts-1');
  writeSessionMeta(session.doc, { id: 'ts-1', name: 'Lab runs', volume: 'team', volume_id: 'lab', status: 'active', created_at: now, updated_at: now, metadata: {} });
  for (const [n, workflow] of [[1, 'tw-1'], [2, 'tw-1'], [3, 'tw-2']] as const) {
    appendMessage(session.doc, { role: 'assistant', content: 'Ran a workflow.', timestamp: now, traces: [trace(n, workflow) as unknown as Json], artifacts: null });
  }
  await new Promise((r) => setTimeout(r, 300));
  session.destroy();

  const page = await signedIn({ sub: 'carol', teams: ['lab'], team_admin: ['lab'] });
  await page.locator('[data-testid="tab-skills"]').click();
  // Carol ran nothing herself.
  await page.locator('[data-testid="suggestions-none"]').waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="suggestion-source"]').selectOption('team/lab');
  const suggestion = page.locator('[data-testid="suggestion"]');
  await suggestion.waitFor({ timeout: 30_000 });
  expect(await suggestion.locator('[data-testid="suggestion-title"]').textContent()).toBe('Square → Offset → Half');
  expect(await suggestion.locator('[data-testid="suggestion-support"]').textContent()).toBe('3');
  expect(await suggestion.locator('[data-testid="suggestion-workflow"]').allTextContents()).toEqual(['Lab chain', 'Lab chain again']);

  await suggestion.locator('[data-testid="suggestion-accept-open"]').click();
  // Mined from the team's runs, it goes to the team's volume unless she chooses her own.
  expect(await suggestion.locator('[data-testid="suggestion-target"]').inputValue()).toBe('team/lab');
  const id = await suggestion.getAttribute('data-skill-id');
  await suggestion.locator('[data-testid="suggestion-save"]').click();
  await page.locator('[data-testid="suggestion-notice"]', { hasText: 'to team lab' }).waitFor();
  await waitFor(() => listSkillSources(index.doc).get(id!)?.includes('type: compound') === true, 'the compound skill in the team volume');
  expect(listSkillSources(index.doc).get(id!)).toMatch(/derived_from:\n\s+skills:\n\s+- py-square\n\s+- js-offset\n\s+- py-half\n\s+support: 3\n\s+window_days: 7/);
  const item = page.locator(`[data-testid="skill-item"][data-skill-id="${id}"]`);
  await item.waitFor();
  expect(await item.getAttribute('data-volume')).toBe('team');
  index.destroy();
  await page.context().close();

  // A member who is not an admin mines only their own runs.
  const member = await signedIn({ sub: 'dave', teams: ['lab'], team_admin: [] });
  await member.locator('[data-testid="tab-skills"]').click();
  await member.locator('[data-testid="suggestions-none"]').waitFor({ timeout: 30_000 });
  expect(await member.locator('[data-testid="suggestion-source"]').count()).toBe(0);
  await member.context().close();
});
