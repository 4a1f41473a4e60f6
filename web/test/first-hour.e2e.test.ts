// The small things a new user met in the first hour: a default identity that stays the same on
// reload, two people who picked one colour told apart in a room, and a workflow opened by a
// URL that no list has, listed as soon as it holds something.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { listWorkflows } from '../../shared/src/documents/volume-index';
import { useApp, waitFor } from './harness';
import { dropSkill, visibleNodes } from './harness/canvas';

const app = useApp();
const shot = async (page: Page, name: string) => {
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png` });
};

describe('first hour', () => {
  it('the default name and colour stay the same across reloads', async () => {
    const { context, page, errors } = await app.openPage('/#/');
    const name = page.locator('[data-testid="identity-name"]');
    await name.waitFor();
    const before = { name: await name.inputValue(), color: await page.locator('.identity input[type="color"]').inputValue() };
    expect(before.name).toMatch(/^Guest \d+$/);
    await page.reload();
    await name.waitFor();
    expect({ name: await name.inputValue(), color: await page.locator('.identity input[type="color"]').inputValue() }).toEqual(before);
    errors.assertNone();
    await context.close();
  });

  it('two people who picked the same colour show different colours in one room', async () => {
    const same = (who: string) => ({ name: who, color: '#22c55e' });
    const opened = [];
    for (const who of ['Alice', 'Bob']) {
      const p = await app.newPage();
      await p.page.addInitScript((identity) => localStorage.setItem('llmunix.identity', JSON.stringify(identity)), same(who));
      await p.page.goto('/#/workflow/user/default/same-colour');
      await p.page.locator('[data-testid="workflow-canvas"]').waitFor();
      opened.push(p);
    }
    const [alice, bob] = opened.map((o) => o.page);
    const peerColour = async (page: Page | undefined) => {
      const peer = page!.locator('[data-testid="peers"] .peer');
      await peer.waitFor();
      return peer.evaluate((el) => getComputedStyle(el).backgroundColor);
    };
    // Each sees the other; the colours they see differ (both picked green, one now shows another).
    let seen: string[] = [];
    await waitFor(async () => {
      seen = [await peerColour(alice), await peerColour(bob)];
      return seen[0] !== seen[1];
    }, 'the two to show different colours');
    expect(seen).toContain('rgb(34, 197, 94)');
    await shot(bob!, 'first-hour-colours');
    for (const o of opened) await o.context.close();
  });

  it('a workflow opened by a URL in no list says so, and is listed once it holds something', async () => {
    const { context, page, errors } = await app.openWorkflow('typed-by-hand');
    await page.locator('[data-testid="unlisted-workflow"]').waitFor();
    await shot(page, 'first-hour-unlisted');
    await dropSkill(page, 'quantum-hamiltonian', { x: 200, y: 200 });
    await waitFor(async () => (await visibleNodes(page).count()) === 1, 'the node');
    await page.locator('[data-testid="workflow-item"][data-id="typed-by-hand"]').waitFor();
    expect(await page.locator('[data-testid="unlisted-workflow"]').count()).toBe(0);
    const index = await app.connect('user/default');
    await waitFor(() => listWorkflows(index.doc).some((w) => w.id === 'typed-by-hand' && w.name === 'Untitled workflow'), 'the listing on the server');
    index.destroy();
    errors.assertNone();
    await context.close();
  });
});
