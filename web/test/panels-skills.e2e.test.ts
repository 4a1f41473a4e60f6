// The skill library and editor in Chromium against the real server: search and categories,
// read-only system skills, and a new skill written with a mistake shown inline (file, line,
// field), fixed, saved into the person's volume and listed in the library.
import type { Page } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { trashEntryOf } from '../../shared/src/documents/trash';
import { getSkillSource, putSkillSource } from '../../shared/src/documents/volume-index';
import { ROOT, useApp, waitFor, type TestClient } from './harness';
import { editorReady, editorText } from './harness/skill-editor';

const app = useApp();
/** How many system skills there are (skills/*.md). */
const SYSTEM_SKILLS = fs.readdirSync(path.join(ROOT, 'skills')).filter((f) => f.endsWith('.md')).length;
let index: TestClient;

beforeAll(async () => {
  index = await app.connect('user/default');
});

const categories = (page: Page) => page.locator('[data-testid="skill-category"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-category')));
const skillIds = (page: Page) => page.locator('[data-testid="skill-item"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-skill-id')));
const card = (page: Page, id: string) => page.locator(`[data-testid="skill-item"][data-skill-id="${id}"]`);

/** A skill whose first input's type is misspelt on line 10. */
const WITH_TYPO = `---
name: Triple
skill_id: triple-it
type: python
category: arithmetic
description: Triples a number.
tags: [math, example]
inputs:
  - name: x
    type: numbr
outputs:
  - name: tripled
    type: number
---
# Skill: Triple

## Code

\`\`\`python
def execute(inputs):
    return {"tripled": inputs["x"] * 3}
\`\`\`
`;

async function openLibrary(page: Page): Promise<void> {
  await page.locator('[data-testid="tab-skills"]').click();
  // Parsed entries have a category; the system volume's skills are all valid.
  await waitFor(async () => (await categories(page)).includes('quantum'), 'the parsed library');
}

describe('skill library', () => {
  it('groups every readable skill by category, with ports and volume, and searches name, id, description and tags', async () => {
    putSkillSource(index.doc, 'half-written', '---\nname: Half written\nskill_id: half-written\ntype: pascal\n---\n');
    const { context, page, errors } = await app.openPage('/');
    await openLibrary(page);
    await waitFor(async () => (await categories(page))[0] === 'Broken skills', 'the broken skill');
    expect(await categories(page)).toEqual(['Broken skills', '3d', 'code', 'compute', 'data', 'electronics', 'quantum']);
    const quantum = page.locator('[data-testid="skill-category"][data-category="quantum"] [data-testid="skill-item"]');
    expect((await quantum.evaluateAll((els) => els.map((e) => e.getAttribute('data-skill-id')))).sort()).toEqual(['quantum-circuit', 'quantum-hamiltonian', 'quantum-vqe']);

    const vqe = card(page, 'quantum-vqe');
    expect(await vqe.locator('[data-testid="skill-volume"]').textContent()).toBe('system');
    expect(await vqe.locator('.port-chip').allTextContents()).toContain('hamiltonian: object');
    expect(await vqe.locator('.skill-description').textContent()).toBeTruthy();
    expect(await vqe.getAttribute('draggable')).toBe('true');

    // The broken one shows where its file is wrong, and cannot be dragged onto a workflow.
    const broken = card(page, 'half-written');
    expect(await broken.locator('[data-testid="skill-item-errors"]').textContent()).toContain('volumes/user/default/skills/half-written.md:4: type:');
    expect(await broken.getAttribute('draggable')).toBe('false');

    const search = page.locator('[data-testid="skill-search"]');
    await search.fill('resistor');
    await waitFor(async () => (await skillIds(page)).join() === 'spice-resistor', 'a search by name');
    expect(await categories(page)).toEqual(['electronics']);
    await search.fill('threejs-cube');
    await waitFor(async () => (await skillIds(page)).join() === 'threejs-cube', 'a search by id');
    await search.fill('CSV');
    await waitFor(async () => (await skillIds(page)).includes('export-results'), 'a search by tag');
    await search.fill('quantum zzz');
    await page.locator('[data-testid="skills-no-match"]').waitFor();
    await search.fill('');
    // Every system skill, and the broken one.
    await waitFor(async () => (await skillIds(page)).length === SYSTEM_SKILLS + 1, 'everything again');
    errors.assertNone();
    await context.close();
  });

  it('shows a system skill read-only, with the reason', async () => {
    const { context, page, errors } = await app.openPage('/');
    await openLibrary(page);
    await card(page, 'quantum-vqe').locator('[data-testid="skill-link"]').click();
    await page.locator('[data-testid="skill-editor"][data-mode="read-only"]').waitFor();
    expect(await page.evaluate(() => location.hash)).toBe('#/skill/system/system/quantum-vqe');
    expect(await page.locator('[data-testid="read-only-note"]').textContent()).toContain('System skills ship with LLMunix');
    await editorReady(page);
    const source = page.locator('[data-testid="skill-source"]');
    expect(await editorText(page)).toContain('skill_id: quantum-vqe');
    expect(await source.getAttribute('contenteditable')).toBe('false');
    expect(await source.getAttribute('aria-readonly')).toBe('true');
    expect(await page.locator('[data-testid="save-skill"]').count()).toBe(0);
    errors.assertNone();
    await context.close();
  });

  it('writes a new skill: a mistake is shown inline with file, line and field; fixed, it saves and joins the library', async () => {
    const { context, page, errors } = await app.openPage('/');
    await openLibrary(page);
    await page.locator('[data-testid="new-skill"]').click();
    await page.locator('[data-testid="skill-editor"][data-mode="new"]').waitFor();
    await editorReady(page);
    const source = page.locator('[data-testid="skill-source"]');
    // The template is a valid skill with a free id.
    expect(await editorText(page)).toContain('skill_id: my-skill');
    await page.locator('[data-testid="skill-valid"]').waitFor();

    await source.fill(WITH_TYPO);
    const error = page.locator('[data-testid="skill-error"]');
    await error.waitFor();
    expect(await error.count()).toBe(1);
    expect(await error.getAttribute('data-line')).toBe('10');
    expect(await error.getAttribute('data-field')).toBe('inputs.0.type');
    expect(await error.textContent()).toContain('volumes/user/default/skills/new-skill.md:10');
    expect(await page.locator('[data-testid="error-band"]').getAttribute('data-line')).toBe('10');
    expect(await page.locator('[data-testid="save-skill"]').isDisabled()).toBe(true);
    // The editor marks the line too, as a diagnostic.
    await page.locator('.cm-lintRange-error').first().waitFor();
    // Clicking the error selects its line.
    await error.locator('button').click();
    expect(await page.evaluate(() => getSelection()?.toString())).toBe('    type: numbr');

    // Fixed as one types: the error goes, and saving writes it to the person's volume.
    await source.fill(WITH_TYPO.replace('type: numbr', 'type: number'));
    await page.locator('[data-testid="skill-valid"]').waitFor();
    expect(await error.count()).toBe(0);
    await page.locator('[data-testid="save-skill"]').click();
    await waitFor(async () => (await page.evaluate(() => location.hash)) === '#/skill/user/default/triple-it', 'the saved skill to open');
    await page.locator('[data-testid="skill-editor"][data-mode="edit"]').waitFor();
    await waitFor(() => getSkillSource(index.doc, 'triple-it') === WITH_TYPO.replace('type: numbr', 'type: number'), 'the skill on the server');

    const mine = card(page, 'triple-it');
    await mine.waitFor();
    expect(await mine.locator('[data-testid="skill-volume"]').textContent()).toBe('mine');
    expect(await mine.locator('xpath=ancestor::section').getAttribute('data-category')).toBe('arithmetic');
    expect(await mine.locator('.port-chip').allTextContents()).toEqual(['x: number', 'tripled: number']);

    // Another new skill with the same skill_id asks before replacing it.
    await page.locator('[data-testid="new-skill"]').click();
    await page.locator('[data-testid="skill-editor"][data-mode="new"]').waitFor();
    await editorReady(page);
    await source.fill(WITH_TYPO.replace('type: numbr', 'type: integer').replace('Triples a number.', 'Triples a whole number.'));
    await page.locator('[data-testid="skill-valid"]').waitFor();
    await page.locator('[data-testid="save-skill"]').click();
    await page.locator('[data-testid="confirm-overwrite"]').waitFor();
    expect(getSkillSource(index.doc, 'triple-it')).toContain('type: number\n');
    await page.locator('[data-testid="confirm-overwrite-yes"]').click();
    await waitFor(() => getSkillSource(index.doc, 'triple-it')?.includes('Triples a whole number.') ?? false, 'the replacement on the server');
    await waitFor(async () => (await page.evaluate(() => location.hash)) === '#/skill/user/default/triple-it', 'the replaced skill to open');

    // Deleting it removes it from the volume and the library, into the trash with its text.
    await page.locator('[data-testid="skill-editor"][data-mode="edit"]').waitFor();
    await page.locator('[data-testid="delete-skill"]').click();
    await page.locator('[data-testid="delete-skill-confirm"]').click();
    await mine.waitFor({ state: 'detached' });
    await waitFor(() => getSkillSource(index.doc, 'triple-it') === undefined && trashEntryOf(index.doc, { volume: 'user', volumeId: 'default' }, 'skill', 'triple-it') !== undefined, 'the move to the trash on the server');
    expect(trashEntryOf(index.doc, { volume: 'user', volumeId: 'default' }, 'skill', 'triple-it')?.markdown).toContain('Triples a whole number.');
    errors.assertNone();
    await context.close();
  });
});
