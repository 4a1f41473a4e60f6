// Skills from elsewhere, brought into the app in Chromium against the real server: a folder of
// Agent Skills folders picked with the folder picker and a zip of the original's files dropped on
// the library, previewed (kind, files, warnings), saved, listed with their files, exported back
// byte for byte; an id already there is kept twice on request; an instruction skill is listed
// but offers no node.
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSkillFiles, getSkillOrigin } from '../../shared/src/documents/skill-files';
import { getSkillSource } from '../../shared/src/documents/volume-index';
import { zipSkillFiles } from '../../shared/src/skill/archive';
import { ROOT, useApp, waitFor, type TestClient } from './harness';
import { dropSkill } from './harness/canvas';

const app = useApp();
let index: TestClient;

beforeAll(async () => {
  index = await app.connect('user/default');
});

const FIXTURES = path.join(ROOT, 'shared/test/fixtures/skills');

/** Every file under a fixture folder, by its path relative to the fixture set. */
function fixtureFiles(folder: string): Map<string, Buffer> {
  const dir = path.join(FIXTURES, folder);
  const out = new Map<string, Buffer>();
  for (const d of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (d.isFile()) out.set(path.relative(FIXTURES, path.join(d.parentPath, d.name)).split(path.sep).join('/'), fs.readFileSync(path.join(d.parentPath, d.name)));
  }
  return out;
}

const card = (page: Page, id: string) => page.locator(`[data-testid="skill-item"][data-skill-id="${id}"]`);
const previewed = (page: Page) =>
  page.locator('[data-testid="import-skill"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-skill-id')}:${e.getAttribute('data-kind')}`));

async function openLibrary(page: Page): Promise<void> {
  await page.locator('[data-testid="tab-skills"]').click();
  await waitFor(async () => (await page.locator('[data-testid="skill-category"][data-category="quantum"]').count()) === 1, 'the parsed library');
}

/** Drops files on the library as a drag from the desktop does (a zip is one file). */
async function dropOnLibrary(page: Page, files: Array<{ name: string; bytes: Uint8Array }>): Promise<void> {
  const data = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
    return dt;
  }, files.map((f) => ({ name: f.name, bytes: [...f.bytes] })));
  const zone = page.locator('[data-testid="skill-drop-zone"]');
  await zone.dispatchEvent('dragover', { dataTransfer: data });
  await zone.dispatchEvent('drop', { dataTransfer: data });
}

/** Exports the open skill and returns the zip's files. */
async function exportOpenSkill(page: Page): Promise<Map<string, Buffer>> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-skill"]').click()]);
  const zipped = fs.readFileSync(await download.path());
  return new Map(Object.entries(unzipSync(new Uint8Array(zipped))).map(([p, b]) => [p, Buffer.from(b)]));
}

describe('importing skills in the app', () => {
  it('picks a folder of Agent Skills folders: previewed with kinds, files and warnings, saved, listed, viewed and exported byte for byte', async () => {
    const { context, page, errors } = await app.openPage('/');
    await openLibrary(page);
    await page.locator('[data-testid="import-folder-input"]').setInputFiles(path.join(FIXTURES, 'agent'));
    await page.locator('[data-testid="import-preview"]').waitFor();
    const listed = await previewed(page);
    expect(listed).toContain('chart-maker:runnable');
    expect(listed).toContain('brand-guidelines:instruction');
    expect(listed).toHaveLength(fs.readdirSync(path.join(FIXTURES, 'agent')).length);
    const chartRow = page.locator('[data-testid="import-skill"][data-skill-id="chart-maker"]');
    expect(await chartRow.locator('[data-testid="import-files"] code').allTextContents()).toEqual(['assets/logo.png', 'references/notes.md', 'scripts/summarise.py']);
    const crlf = page.locator('[data-testid="import-skill"][data-skill-id="crlf-lines"] [data-testid="import-warnings"]');
    expect(await crlf.textContent()).toContain('agent/crlf-lines/SKILL.md:');
    expect(await page.locator('[data-testid="import-refused"]').count()).toBe(0);
    // Nothing is saved before the person says so.
    expect(getSkillSource(index.doc, 'chart-maker')).toBeUndefined();

    await page.locator('[data-testid="import-save"]').click();
    await page.locator('[data-testid="import-message"]').waitFor();
    expect(await page.locator('[data-testid="import-message"]').textContent()).toBe(`${listed.length} skills saved to your skills.`);
    await waitFor(() => readSkillFiles(index.doc, 'chart-maker').length === 3, 'the files on the server');
    expect(getSkillOrigin(index.doc, 'chart-maker')).toBe('agent/chart-maker/SKILL.md');

    // Listed; the instruction skill is marked and cannot be dragged onto a workflow.
    const instruction = card(page, 'brand-guidelines');
    await instruction.waitFor();
    expect(await instruction.getAttribute('data-kind')).toBe('instruction');
    expect(await instruction.getAttribute('draggable')).toBe('false');
    expect(await instruction.locator('[data-testid="skill-kind"]').textContent()).toBe('instructions');
    expect(await card(page, 'chart-maker').getAttribute('draggable')).toBe('true');
    await page.locator('[data-testid="skill-search"]').fill('brand');
    await waitFor(async () => (await page.locator('[data-testid="skill-item"]').count()) === 1, 'a search finding the instruction skill');
    await page.locator('[data-testid="skill-search"]').fill('');

    // Opened, its files listed: text shown as text, binary as its size and a download.
    await card(page, 'chart-maker').locator('[data-testid="skill-link"]').click();
    await page.locator('[data-testid="skill-editor"][data-mode="edit"]').waitFor();
    await page.locator('[data-testid="skill-valid"]').waitFor();
    expect(await page.locator('[data-testid="skill-file"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')))).toEqual([
      'assets/logo.png',
      'references/notes.md',
      'scripts/summarise.py',
    ]);
    await page.locator('[data-testid="skill-file"][data-path="references/notes.md"] button').click();
    expect(await page.locator('[data-testid="skill-file-text"]').textContent()).toBe(fs.readFileSync(path.join(FIXTURES, 'agent/chart-maker/references/notes.md'), 'utf8'));
    await page.locator('[data-testid="skill-file"][data-path="assets/logo.png"] button').click();
    expect(await page.locator('[data-testid="skill-file-binary"]').textContent()).toContain('Binary file');
    const [logo] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="skill-file-download"]').click()]);
    expect(logo.suggestedFilename()).toBe('logo.png');
    expect(fs.readFileSync(await logo.path()).equals(fs.readFileSync(path.join(FIXTURES, 'agent/chart-maker/assets/logo.png')))).toBe(true);

    // Exported: the same folder, byte for byte.
    const exported = await exportOpenSkill(page);
    const fixture = fixtureFiles('agent/chart-maker');
    expect([...exported.keys()].sort()).toEqual([...fixture.keys()].sort());
    for (const [p, bytes] of fixture) expect(exported.get(p)?.equals(bytes), p).toBe(true);

    // An instruction skill opens and exports the same way.
    await page.goto('/#/skill/user/default/web-artifacts-builder');
    await page.locator('[data-testid="skill-editor"] [data-testid="skill-kind"]').waitFor();
    const artifacts = await exportOpenSkill(page);
    const artifactsFixture = fixtureFiles('agent/web-artifacts-builder');
    expect([...artifacts.keys()].sort()).toEqual([...artifactsFixture.keys()].sort());
    for (const [p, bytes] of artifactsFixture) expect(artifacts.get(p)?.equals(bytes), p).toBe(true);
    errors.assertNone();
    await context.close();
  });

  it('drops a zip of the original’s files, saves them, then, for ids already there, keeps one twice under a new id and replaces another', async () => {
    const { context, page, errors } = await app.openPage('/');
    await openLibrary(page);
    const original = fixtureFiles('original');
    const zip = zipSkillFiles([...original].map(([p, bytes]) => ({ path: p, bytes: new Uint8Array(bytes) })));
    await dropOnLibrary(page, [{ name: 'original.zip', bytes: zip }]);
    await page.locator('[data-testid="import-preview"]').waitFor();
    const listed = await previewed(page);
    expect(listed).toContain('python-coding:instruction');
    expect(listed).toContain('voltage-divider:runnable');
    expect(listed).toContain('threejs-cube-node:runnable');
    expect(await page.locator('[data-testid="import-skipped"]').textContent()).toContain('original/LICENSE');
    await page.locator('[data-testid="import-save"]').click();
    await page.locator('[data-testid="import-message"]').waitFor();
    await card(page, 'python-coding').waitFor();
    expect(await card(page, 'python-coding').getAttribute('data-kind')).toBe('instruction');

    await page.goto('/#/skill/user/default/voltage-divider');
    await page.locator('[data-testid="skill-valid"]').waitFor();
    const exported = await exportOpenSkill(page);
    expect([...exported.keys()]).toEqual(['original/voltage-divider.md']);
    expect(exported.get('original/voltage-divider.md')?.equals(original.get('original/voltage-divider.md')!)).toBe(true);

    // The same skills again: the library asks; keeping both gives the copy a new id, replacing
    // writes the new text over the old.
    await page.locator('[data-testid="tab-skills"]').click();
    const newer = original.get('original/python-coding.md')!.toString('utf8').replace('Best practices for writing', 'Newer practices for writing');
    const again = zipSkillFiles([
      { path: 'voltage-divider.md', bytes: new Uint8Array(original.get('original/voltage-divider.md')!) },
      { path: 'python-coding.md', bytes: new TextEncoder().encode(newer) },
    ]);
    await dropOnLibrary(page, [{ name: 'again.skill', bytes: again }]);
    await page.locator('[data-testid="import-conflict"]').first().waitFor();
    expect(await page.locator('[data-testid="import-save"]').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="import-undecided"]').textContent()).toContain('2 of these are already there');
    await page.locator('[data-testid="import-skill"][data-skill-id="voltage-divider"] [data-testid="import-keep-both"]').check();
    expect(await page.locator('[data-testid="import-save"]').isDisabled()).toBe(true);
    await page.locator('[data-testid="import-skill"][data-skill-id="python-coding"] [data-testid="import-replace"]').check();
    await page.locator('[data-testid="import-save"]').click();
    await card(page, 'voltage-divider-2').waitFor();
    expect(getSkillSource(index.doc, 'voltage-divider')).toBe(original.get('original/voltage-divider.md')!.toString('utf8'));
    await waitFor(() => getSkillSource(index.doc, 'voltage-divider-2')?.includes('skill_id: voltage-divider-2') === true, 'the copy on the server');
    await waitFor(() => getSkillSource(index.doc, 'python-coding') === newer, 'the replaced skill on the server');
    errors.assertNone();
    await context.close();
  });

  it('says plainly that an instruction skill placed on a workflow has nothing to run', async () => {
    const { context, page, errors } = await app.openWorkflow('import-instruction');
    await dropSkill(page, 'python-coding', { x: 200, y: 150 });
    await expect(page.locator('[data-testid="canvas-notice"]').textContent()).resolves.toContain('"python-coding" is an instruction skill: it has nothing to run');
    expect(await page.locator('.react-flow__node').count()).toBe(0);
    errors.assertNone();
    await context.close();
  });
});
