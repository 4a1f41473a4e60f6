// The panels with no server at all: with the sync server stopped, workflows, sessions and skills
// are created, renamed, duplicated and saved in the browser; when the server is back, the same
// documents (listing and room meta alike) reach it.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readSessionMeta } from '../../shared/src/documents/session';
import { getSkillSource, listSessions, listWorkflows } from '../../shared/src/documents/volume-index';
import { readWorkflowGraph, readWorkflowMeta, writeWorkflowGraph } from '../../shared/src/documents/workflow';
import { OFFLINE_NOISE, startAppServer, useApp, waitFor } from './harness';
import { visibleNodes } from './harness/canvas';

let dataDir: string;

beforeAll(async () => {
  // Our own DATA_DIR, so stopping the server keeps its storage for the restart.
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-panels-offline-'));
});
afterAll(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

const app = useApp(() => ({ STORAGE: 'file', DATA_DIR: dataDir }));

const hashId = (page: Page) => page.evaluate(() => location.hash.split('/').pop() ?? '');

it('creates, renames and duplicates workflows, sessions and skills with the server stopped; they sync when it is back', async () => {
  const { context, page, errors } = await app.openPage('/', { ignore: [...OFFLINE_NOISE, /net::ERR_CONNECTION_REFUSED/] });
  await page.locator('[data-testid="workflows-empty"]').waitFor();
  // A workflow with nodes, made while online, to duplicate offline.
  await page.locator('[data-testid="new-workflow-name"]').fill('Online first');
  await page.locator('[data-testid="new-workflow"]').click();
  await page.locator('[data-testid="workflow-link"]:text-is("Online first")').waitFor();
  const firstId = await hashId(page);
  const first = await app.connect(`user/default/workflow/${firstId}`);
  first.doc.transact(() =>
    writeWorkflowGraph(first.doc, {
      nodes: [{ id: 'n1', skillId: 'quantum-vqe', label: 'VQE', position: { x: 0, y: 0 }, inputs: {} }],
      edges: [],
    }),
  );
  await waitFor(async () => (await visibleNodes(page).count()) === 1, 'the node online');
  first.destroy();

  const port = app.server.port;
  await app.server.close();
  await page.locator('[data-testid="sync-status"][data-state="offline"]').waitFor({ timeout: 15_000 });

  // Workflows: create, rename, duplicate.
  await page.locator('[data-testid="new-workflow-name"]').fill('Made offline');
  await page.locator('[data-testid="new-workflow"]').click();
  await page.locator('[data-testid="workflow-link"]:text-is("Made offline")').waitFor();
  const madeId = await hashId(page);
  const row = page.locator('[data-testid="workflow-item"]').filter({ has: page.locator('[data-testid="workflow-link"]:text-is("Made offline")') });
  await row.locator('[data-testid="rename-workflow"]').click();
  await page.locator('[data-testid="workflow-name-input"]').fill('Renamed offline');
  await page.locator('[data-testid="workflow-name-input"]').press('Enter');
  await page.locator('[data-testid="workflow-link"]:text-is("Renamed offline")').waitFor();
  const firstRow = page.locator('[data-testid="workflow-item"]').filter({ has: page.locator('[data-testid="workflow-link"]:text-is("Online first")') });
  await firstRow.locator('[data-testid="duplicate-workflow"]').click();
  await page.locator('[data-testid="workflow-link"]:text-is("Online first (copy)")').waitFor();
  await waitFor(async () => (await visibleNodes(page).count()) === 1, 'the duplicate’s node, offline');
  const copyId = await hashId(page);

  // Sessions: create and change status.
  await page.locator('[data-testid="tab-sessions"]').click();
  await page.locator('[data-testid="new-session-name"]').fill('Offline notes');
  await page.locator('[data-testid="new-session"]').click();
  await page.locator('[data-testid="session-view"]').waitFor();
  const sessionId = await hashId(page);
  await page.locator('[data-testid="session-status"]').selectOption('paused');
  await waitFor(async () => (await page.locator('[data-testid="session-status-label"]').textContent()) === 'paused', 'the status offline');

  // Skills: a new one from the template.
  await page.locator('[data-testid="tab-skills"]').click();
  await page.locator('[data-testid="new-skill"]').click();
  await page.locator('[data-testid="skill-valid"]').waitFor();
  await page.locator('[data-testid="save-skill"]').click();
  await waitFor(async () => (await page.evaluate(() => location.hash)) === '#/skill/user/default/my-skill', 'the skill saved offline');
  await page.locator('[data-testid="skill-item"][data-skill-id="my-skill"]').waitFor();
  await page.locator('[data-testid="pending-count"]').waitFor();

  // Rooms close 10 s after their last view lets go of them (web/src/documents/rooms.ts); the
  // ones edited offline must stay open until the server has their edits.
  await page.waitForTimeout(11_000);

  // The server comes back on the same port and storage: everything reaches it.
  app.server = await startAppServer({ STORAGE: 'file', DATA_DIR: dataDir, PORT: String(port) });
  const index = await app.connect('user/default');
  await waitFor(
    () => listWorkflows(index.doc).length === 3 && listSessions(index.doc).length === 1 && getSkillSource(index.doc, 'my-skill') !== undefined,
    'the offline work on the server',
    20_000,
  );
  expect(listWorkflows(index.doc).map((l) => l.name).sort()).toEqual(['Online first', 'Online first (copy)', 'Renamed offline']);
  expect(listSessions(index.doc)[0]).toMatchObject({ id: sessionId, name: 'Offline notes', status: 'paused' });
  // Each room syncs on its own reconnect; the rooms edited offline were kept open until they did.
  const made = await app.connect(`user/default/workflow/${madeId}`);
  await waitFor(() => readWorkflowMeta(made.doc).name === 'Renamed offline', 'the rename in the workflow’s room');
  const copy = await app.connect(`user/default/workflow/${copyId}`);
  await waitFor(() => readWorkflowGraph(copy.doc).nodes.length === 1, 'the duplicate’s node');
  expect(readWorkflowGraph(copy.doc).nodes[0]?.skillId).toBe('quantum-vqe');
  const session = await app.connect(`user/default/session/${sessionId}`);
  await waitFor(() => readSessionMeta(session.doc).status === 'paused', 'the status in the session’s room');
  expect(readSessionMeta(session.doc)).toMatchObject({ name: 'Offline notes', volume: 'user', volume_id: 'default' });
  await page.locator('[data-testid="sync-status"][data-state="synced"]').waitFor({ timeout: 20_000 });
  errors.assertNone();
  await context.close();
});
