// The CodeMirror skill editor in Chromium against the real server: two people co-editing one
// skill (each other's text and cursor, problems at their lines, undo of one's own edits only), a
// node's skill opened beside the canvas by a double-click, and CodeMirror kept out of the
// JavaScript loaded before the first render.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { getSkillSource, putSkillSource } from '../../shared/src/documents/volume-index';
import { putNode } from '../../shared/src/documents/workflow';
import { OFFLINE_NOISE, useApp, waitFor, WEB_DIST, type TestClient } from './harness';
import { cursorAtEndOf, editorReady, editorText } from './harness/skill-editor';

const app = useApp();
let index: TestClient;

beforeAll(async () => {
  index = await app.connect('user/default');
});

/** A Python skill: its input's `type` is on line 9, `def execute` on line 19. */
const skillText = (skillId: string, name: string) => `---
name: ${name}
skill_id: ${skillId}
type: python
category: arithmetic
description: Doubles a number.
inputs:
  - name: x
    type: number
outputs:
  - name: doubled
    type: number
---
# Skill: ${name}

## Code

\`\`\`python
def execute(inputs):
    return {"doubled": inputs["x"] * 2}
\`\`\`
`;

async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png` });
}

async function nameIdentity(page: Page, name: string): Promise<void> {
  await page.locator('[data-testid="identity-name"]').fill(name);
  await page.locator('[data-testid="identity-name"]').press('Enter');
}

/** Opens one of the default volume's skills in the full editor, as a person named `name`. */
async function openSkillAs(name: string, skillId: string, ignore?: readonly RegExp[]): Promise<Page> {
  const { page } = await app.openPage('/', ignore ? { ignore } : {});
  await nameIdentity(page, name);
  await page.goto(`/#/skill/user/default/${skillId}`);
  await page.locator('[data-testid="skill-editor"][data-mode="edit"]').waitFor();
  await editorReady(page);
  await page.locator('[data-testid="skill-valid"]').waitFor();
  return page;
}

const problemLines = (page: Page) => page.locator('[data-testid="skill-error"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-line')));
const bandLines = (page: Page) => page.locator('[data-testid="error-band"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-line')));

describe('co-editing a skill', () => {
  it('two people edit one skill live: each sees the other’s text and cursor, problems at their lines, and undo takes back only one’s own edit', async () => {
    putSkillSource(index.doc, 'co-edit', skillText('co-edit', 'Co-edited'));
    const alice = await openSkillAs('Alice', 'co-edit');
    const bob = await openSkillAs('Bob', 'co-edit');

    // Alice types on the name line, Bob on the description line: both see both.
    await cursorAtEndOf(alice, 2);
    await alice.keyboard.type(' by Alice');
    await cursorAtEndOf(bob, 6);
    await bob.keyboard.type(' Bob wrote this.');
    for (const page of [alice, bob]) {
      await waitFor(async () => {
        const text = await editorText(page);
        return text.includes('name: Co-edited by Alice') && text.includes('description: Doubles a number. Bob wrote this.');
      }, 'both edits on each page');
    }
    await waitFor(() => getSkillSource(index.doc, 'co-edit')?.includes('Bob wrote this.') ?? false, 'the edits on the server');
    // Each sees the other's cursor, labelled with their name.
    await bob.locator('.cm-ySelectionCaret').filter({ hasText: 'Alice' }).waitFor({ state: 'attached' });
    await alice.locator('.cm-ySelectionCaret').filter({ hasText: 'Bob' }).waitFor({ state: 'attached' });
    await screenshot(alice, 'skill-editor-co-editing');

    // Alice's undo takes back her edit only; Bob's stays, for both and on the server.
    await alice.locator('[data-testid="skill-source"]').focus();
    await alice.keyboard.press('Control+z');
    for (const page of [alice, bob]) {
      await waitFor(async () => {
        const text = await editorText(page);
        return !text.includes('by Alice') && text.includes('Bob wrote this.');
      }, 'Alice’s edit undone, Bob’s kept');
    }
    await waitFor(() => {
      const source = getSkillSource(index.doc, 'co-edit') ?? '';
      return source.includes('name: Co-edited\n') && source.includes('Bob wrote this.');
    }, 'the undo on the server');

    // A mistake in the frontmatter shows at its line, for both people.
    await cursorAtEndOf(alice, 9);
    await alice.keyboard.type('x');
    for (const page of [alice, bob]) {
      await waitFor(async () => (await problemLines(page)).join() === '9', 'the frontmatter error at line 9');
      expect(await bandLines(page)).toEqual(['9']);
      expect(await page.locator('[data-testid="skill-error"]').getAttribute('data-field')).toBe('inputs.0.type');
      expect(await page.locator('[data-testid="skill-valid"]').count()).toBe(0);
    }
    await screenshot(bob, 'skill-editor-frontmatter-error');
    await alice.keyboard.press('Backspace');
    await bob.locator('[data-testid="skill-valid"]').waitFor();

    // A Python syntax error shows at its line too: "Valid" means the code parses as well.
    await cursorAtEndOf(bob, 19);
    await bob.keyboard.press('Backspace');
    for (const page of [alice, bob]) {
      await waitFor(async () => (await problemLines(page)).join() === '19', 'the Python syntax error at line 19');
      expect(await bandLines(page)).toEqual(['19']);
      expect(await page.locator('[data-testid="skill-error"]').textContent()).toContain('Python syntax error');
      expect(await page.locator('[data-testid="skill-invalid"]').textContent()).toBe('1 error');
      await page.locator('.cm-lintRange-error').first().waitFor();
    }
    await screenshot(alice, 'skill-editor-python-error');
    await bob.keyboard.type(':');
    await alice.locator('[data-testid="skill-valid"]').waitFor();
    expect(getSkillSource(index.doc, 'co-edit')).toBe(skillText('co-edit', 'Co-edited').replace('Doubles a number.', 'Doubles a number. Bob wrote this.'));
    await alice.context().close();
    await bob.context().close();
  });

  it('counts an edit made offline as waiting, and sends it when the connection returns', async () => {
    putSkillSource(index.doc, 'offline-edit', skillText('offline-edit', 'Offline'));
    const page = await openSkillAs('Carol', 'offline-edit', OFFLINE_NOISE);
    await page.context().setOffline(true);
    await page.locator('[data-testid="sync-status"][data-state="offline"]').waitFor();
    await cursorAtEndOf(page, 6);
    await page.keyboard.type(' Written offline.');
    await page.locator('[data-testid="pending-count"]').waitFor();
    expect(getSkillSource(index.doc, 'offline-edit')).not.toContain('Written offline.');
    await page.context().setOffline(false);
    await waitFor(() => getSkillSource(index.doc, 'offline-edit')?.includes('description: Doubles a number. Written offline.') ?? false, 'the offline edit on the server');
    await page.context().close();
  });
});

describe('a skill beside the canvas', () => {
  const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
  const outputs = (page: Page, id: string) =>
    node(page, id).locator('.react-flow__handle.source').evaluateAll((els) => els.map((e) => e.getAttribute('data-handleid')));

  it('double-clicking a node opens its skill beside the canvas; an edit there reaches the node, and a system skill is copied to edit it', async () => {
    putSkillSource(index.doc, 'beside-double', skillText('beside-double', 'Beside double'));
    const flow = await app.connect('user/default/workflow/beside');
    flow.doc.transact(() => {
      putNode(flow.doc, { id: 'mine', skillId: 'beside-double', label: 'Mine', position: { x: 0, y: 0 }, inputs: {} });
      putNode(flow.doc, { id: 'ham', skillId: 'quantum-hamiltonian', label: 'H2', position: { x: 0, y: 300 }, inputs: {} });
    });
    const { page, errors } = await app.openWorkflow('beside');
    await waitFor(async () => (await outputs(page, 'mine')).join() === 'doubled', 'the node with its port');

    // Anywhere on the node but its title (a double-click there renames the node).
    await node(page, 'mine').locator('.run-bar').dblclick({ position: { x: 6, y: 6 } });
    const beside = page.locator('[data-testid="skill-beside"]');
    await beside.locator('[data-testid="skill-editor"][data-mode="edit"]').waitFor();
    await editorReady(page, '[data-testid="skill-beside"]');
    expect(await beside.getAttribute('data-skill-id')).toBe('beside-double');
    // Beside the canvas, not over it.
    const flowBox = await page.locator('.flow').boundingBox();
    const besideBox = await beside.boundingBox();
    expect(flowBox && besideBox && flowBox.width > 300 && flowBox.x + flowBox.width <= besideBox.x + 1).toBe(true);
    // The narrower flow still shows every node whole (the view is fitted again if one went under the panel).
    await waitFor(async () => {
      const rights = await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
      const edge = (await page.locator('.react-flow').boundingBox())!;
      return rights.length === 2 && rights.every((r) => r <= edge.x + edge.width + 1);
    }, 'every node in view beside the editor');

    // Renaming the output: the node keeps working while the text is half typed, then shows the new port.
    await cursorAtEndOf(page, 11, '[data-testid="skill-beside"]');
    for (let i = 0; i < 'doubled'.length; i++) await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('Backspace');
    await beside.locator('[data-testid="skill-invalid"]').waitFor();
    expect(await outputs(page, 'mine')).toEqual(['doubled']);
    expect(await node(page, 'mine').locator('.skill-node.missing').count()).toBe(0);
    await page.locator('[data-testid="tab-skills"]').click();
    await page.locator('[data-testid="skill-item"][data-skill-id="beside-double"] [data-testid="skill-item-kept"]').waitFor();
    await screenshot(page, 'skill-beside-invalid');
    await cursorAtEndOf(page, 11, '[data-testid="skill-beside"]');
    await page.keyboard.type('twice');
    await waitFor(async () => (await outputs(page, 'mine')).join() === 'twice', 'the node’s renamed port');
    expect(await page.locator('[data-testid="skill-item"][data-skill-id="beside-double"] [data-testid="skill-item-kept"]').count()).toBe(0);
    await waitFor(() => getSkillSource(index.doc, 'beside-double')?.includes('  - name: twice\n') ?? false, 'the edit on the server');
    await screenshot(page, 'skill-beside-edited');
    await beside.locator('[data-testid="close-skill-beside"]').click();
    await beside.waitFor({ state: 'detached' });

    // A system skill shows read-only; copied, it is the person's own and edited right there.
    await node(page, 'ham').locator('.run-bar').dblclick({ position: { x: 6, y: 6 } });
    await beside.locator('[data-testid="skill-editor"][data-mode="read-only"]').waitFor();
    await editorReady(page, '[data-testid="skill-beside"]');
    expect(await beside.locator('[data-testid="skill-source"]').getAttribute('contenteditable')).toBe('false');
    expect(await editorText(page, '[data-testid="skill-beside"]')).toContain('skill_id: quantum-hamiltonian');
    await beside.locator('[data-testid="copy-skill"]').click();
    await beside.locator('[data-testid="skill-editor"][data-mode="edit"]').waitFor();
    await waitFor(() => getSkillSource(index.doc, 'quantum-hamiltonian')?.includes('skill_id: quantum-hamiltonian') ?? false, 'the copy in the person’s volume');
    await editorReady(page, '[data-testid="skill-beside"]');
    expect(await beside.locator('[data-testid="skill-source"]').getAttribute('contenteditable')).toBe('true');
    await screenshot(page, 'skill-beside-copied');
    errors.assertNone();
    await page.context().close();
  });
});

describe('first render', () => {
  it('loads no CodeMirror before the first render: the eager chunks of index.html hold none of it, a lazy chunk does', () => {
    const html = fs.readFileSync(path.join(WEB_DIST, 'index.html'), 'utf8');
    const eager = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g)].map((m) => m[1] as string);
    expect(eager.length).toBeGreaterThan(0);
    // CodeMirror's DOM class names survive minification.
    const hasCodeMirror = (file: string) => fs.readFileSync(path.join(WEB_DIST, file), 'utf8').includes('cm-content');
    expect(eager.filter(hasCodeMirror)).toEqual([]);
    const assets = fs.readdirSync(path.join(WEB_DIST, 'assets')).filter((f) => f.endsWith('.js'));
    expect(assets.some((f) => hasCodeMirror(`assets/${f}`))).toBe(true);
  });
});
