// Runs the server made (a script's REST workflow runs; MCP tool calls go the same way) feed the
// app's evolution engine: three runs of the Square → Offset → Half chain, none of them in a
// browser, are suggested as a compound skill in the skill library with their evidence. (RUNS-6)
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { CHAIN, chain, SKILLS_DIR, storeWorkflow } from './evolution-chain';
import { useApp } from './harness';
import { addUserSkill } from './run-e2e-helpers';

// File storage: the server keeps its runs' traces beside the rooms.
const app = useApp({ STORAGE: 'file' });

beforeAll(async () => {
  for (const id of CHAIN) await addUserSkill(app.server.url, id, fs.readFileSync(path.join(SKILLS_DIR, `${id}.md`), 'utf8'));
  await storeWorkflow(app, 'sr-chain', 'Squares on the server', chain(3));
});

it('three REST runs of a chain, none in a browser, are suggested in the library', async () => {
  for (const x of [2, 3, 4]) {
    const answer = await fetch(`${app.server.url}/api/workflows/sr-chain/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: { 'sq.x': x }, wait: true }),
    });
    const run = (await answer.json()) as { state: string; outputs?: Record<string, unknown> };
    expect(answer.status).toBe(200);
    expect(run.state).toBe('done');
  }
  const served = (await (await fetch(`${app.server.url}/api/traces?volume=user&volume_id=default`)).json()) as { traces: unknown[] };
  expect(served.traces).toHaveLength(3);

  const { page } = await app.openPage('/#/workflow/user/default/sr-chain');
  await page.locator('[data-testid="tab-skills"]').click();
  const suggestion = page.locator('[data-testid="suggestion"]', { has: page.locator('[data-testid="suggestion-graph-node"][data-skill-id="py-square"]') });
  await suggestion.waitFor({ timeout: 60_000 });
  expect(await suggestion.locator('[data-testid="suggestion-support"]').textContent()).toBe('3');
  expect(await suggestion.locator('[data-testid="suggestion-workflow"]').allTextContents()).toEqual(['Squares on the server']);
  expect(await suggestion.locator('[data-testid="suggestion-graph-node"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-skill-id')))).toEqual(CHAIN);
});
