// A compound skill through the library in Chromium against the real server: its card says it is
// compound (inner node count, skills used); exported, its zip carries the skills it needs with
// their list; dropped back on the library, the preview lists the compound and the skills it
// carries, leaves out those the library already has (reported), and a second import of the same
// compound is reported as already there, not saved over.
import fs from 'node:fs';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { getSkillSource } from '../../shared/src/documents/volume-index';
import { readSkill } from '../../shared/src/skill/parse';
import { useApp, waitFor, type TestClient } from './harness';

const app = useApp();
let index: TestClient;

beforeAll(async () => {
  index = await app.connect('user/default');
});

const card = (page: Page, id: string) => page.locator(`[data-testid="skill-item"][data-skill-id="${id}"]`);
const row = (page: Page, id: string) => page.locator(`[data-testid="import-skill"][data-skill-id="${id}"]`);

async function dropOnLibrary(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  const data = await page.evaluateHandle(
    ({ name, bytes }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], name));
      return dt;
    },
    { name, bytes: [...bytes] },
  );
  const zone = page.locator('[data-testid="skill-drop-zone"]');
  await zone.dispatchEvent('dragover', { dataTransfer: data });
  await zone.dispatchEvent('drop', { dataTransfer: data });
}

it('exports a compound skill with the skills it needs and imports it back, reporting what the library already has', async () => {
  const { context, page, errors } = await app.openPage('/');
  await page.locator('[data-testid="tab-skills"]').click();
  const compound = card(page, 'weather-summary-csv');
  await compound.locator('[data-testid="skill-kind"]').waitFor();
  expect(await compound.getAttribute('data-kind')).toBe('compound');
  expect(await compound.getAttribute('draggable')).toBe('true');
  expect(await compound.locator('[data-testid="skill-kind"]').textContent()).toBe('compound · 3 nodes');
  expect(await compound.locator('[data-testid="skill-compound-uses"] code').allTextContents()).toEqual(['sample-weather-data', 'table-group-summary', 'export-results']);
  if (process.env.E2E_SCREENSHOTS) await compound.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/compound-skill-card.png` });

  await compound.locator('[data-testid="skill-link"]').click();
  await page.locator('[data-testid="skill-valid"]').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-skill"]').click()]);
  expect(download.suggestedFilename()).toBe('weather-summary-csv.zip');
  const zip = new Uint8Array(fs.readFileSync(await download.path()));
  const files = unzipSync(zip);
  expect(Object.keys(files).sort()).toEqual(
    ['SKILL.md', 'skills/README.md', 'skills/export-results/SKILL.md', 'skills/sample-weather-data/SKILL.md', 'skills/table-group-summary/SKILL.md'].map((p) => `weather-summary-csv/${p}`),
  );
  const list = new TextDecoder().decode(files['weather-summary-csv/skills/README.md']);
  expect(list).toContain('| table-group-summary | Group and Summarize | javascript | skills/table-group-summary/SKILL.md |');
  const main = readSkill(new TextDecoder().decode(files['weather-summary-csv/SKILL.md']), { file: 'weather-summary-csv/SKILL.md' });
  expect(main.ok && main.value.kind).toBe('compound');

  // Back in the library: the compound and what it carries; the system's own copies are used.
  await page.locator('[data-testid="tab-skills"]').click();
  await dropOnLibrary(page, 'weather-summary-csv.zip', zip);
  await page.locator('[data-testid="import-preview"]').waitFor();
  expect(await page.locator('[data-testid="import-skill"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-skill-id')}:${e.getAttribute('data-kind')}`))).toEqual([
    'weather-summary-csv:compound',
    'sample-weather-data:runnable',
    'table-group-summary:runnable',
    'export-results:runnable',
  ]);
  expect(await row(page, 'weather-summary-csv').locator('[data-testid="skill-compound-uses"] code').allTextContents()).toEqual(['sample-weather-data', 'table-group-summary', 'export-results']);
  expect(await row(page, 'export-results').locator('[data-testid="import-carried"]').textContent()).toBe(' · carried by weather-summary-csv, which uses it');
  await waitFor(async () => (await page.locator('[data-testid="import-present"]').count()) === 3, 'the carried skills the library has, reported');
  expect(await row(page, 'export-results').locator('[data-testid="import-present"]').getAttribute('data-same')).toBe('true');
  expect(await page.locator('[data-testid="import-save"]').textContent()).toBe('Save 1');
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/compound-import-preview.png` });
  await page.locator('[data-testid="import-save"]').click();
  await page.locator('[data-testid="import-message"]').waitFor();
  expect(await page.locator('[data-testid="import-message"]').textContent()).toBe('1 skill saved to your skills.');
  await waitFor(() => getSkillSource(index.doc, 'weather-summary-csv') !== undefined, 'the compound in the user volume');
  expect(getSkillSource(index.doc, 'export-results')).toBeUndefined();

  // Again: the compound is now there, so it is reported and waits for a choice.
  await dropOnLibrary(page, 'weather-summary-csv.zip', zip);
  await row(page, 'weather-summary-csv').locator('[data-testid="import-conflict"]').waitFor();
  expect(await page.locator('[data-testid="import-save"]').isDisabled()).toBe(true);
  expect(await page.locator('[data-testid="import-undecided"]').textContent()).toContain('1 of these is already there');
  await page.locator('[data-testid="import-cancel"]').click();
  errors.assertNone();
  await context.close();
});
