// EXEC-8, done when: an ngspice skill whose outputs are named by their vectors, `v(2)` and
// `i(v1)`, runs from the canvas of the real app (its `v(2)` port wired to another node by a drag)
// and from `npm run workflow` with the workflow file made from that canvas, with the same JSON.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { readWorkflowGraph } from '../../shared/src/documents/workflow';
import type { Json } from '../../shared/src/json';
import { toWorkflowFile } from '../../shared/src/workflow/file';
import { skillText } from '../../shared/test/conformance/skill-text';
import { ROOT, useApp, waitFor } from './harness';
import { connectPorts, dropSkill } from './harness/canvas';
import { addUserSkill, waitForNodes, waitForStatus } from './run-e2e-helpers';

const app = useApp();
const ROOM = 'user/default/workflow/vector-ports';

const DIVIDER = skillText('ngspice', 'vector-divider', [{ name: 'v(2)', type: 'number' }, { name: 'i(v1)', type: 'number' }], '* divider\nV1 1 0 DC {{vin}}\nR1 1 2 1k\nR2 2 0 3k\n.op\n.end', [
  { name: 'vin', type: 'number', default: 8 },
]);
const HALVE = skillText('javascript', 'halve', [{ name: 'half', type: 'number' }], 'function execute({ value }) {\n  return { half: value / 2 };\n}', [{ name: 'value', type: 'number' }]);

/** A node's last outputs, as the page keeps them (IndexedDB `llmunix-runs`). */
const savedOutputs = (page: Page, id: string) =>
  page.evaluate(
    ({ key }) =>
      new Promise<Record<string, Json>>((resolve, reject) => {
        const open = indexedDB.open('llmunix-runs');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('nodes').objectStore('nodes').get(key);
          get.onsuccess = () => resolve(get.result.state.outputs as Record<string, Json>);
        };
      }),
    { key: `${ROOM}\u0000${id}` },
  );

function cli(file: string, skills: string): Promise<Record<string, { status: string; outputs?: Record<string, Json>; error?: string }>> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', 'sync-server/bin/workflow.ts', file, '--skills', skills], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`npm run workflow failed: ${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout) as Awaited<ReturnType<typeof cli>>);
    });
  });
}

it('EXEC-8: outputs v(2) and i(v1) run from the canvas and from npm run workflow with the same JSON', async () => {
  await addUserSkill(app.server.url, 'vector-divider', DIVIDER);
  await addUserSkill(app.server.url, 'halve', HALVE);
  const { context, page, errors } = await app.openWorkflow('vector-ports');
  await dropSkill(page, 'vector-divider', { x: 60, y: 60 });
  await dropSkill(page, 'halve', { x: 460, y: 60 });
  const ids = await waitForNodes(page, 2);
  const [divider, halve] = [ids['vector-divider']!, ids.halve!];
  await connectPorts(page, { node: divider, output: 'v(2)' }, { node: halve, input: 'value' });
  await page.locator('.react-flow__edge').waitFor();

  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, divider, 'done', 60_000);
  await waitForStatus(page, halve, 'done', 30_000);
  const canvas = { divider: await savedOutputs(page, divider), halve: await savedOutputs(page, halve) };
  expect(canvas.divider).toEqual({ 'v(2)': expect.closeTo(6, 9), 'i(v1)': expect.closeTo(-0.002, 12) });
  expect(canvas.halve).toEqual({ half: expect.closeTo(3, 9) });

  // The workflow file of this canvas, as the app exports it: the edge leaves from "v(2)".
  const room = await app.connect(ROOM);
  await waitFor(() => readWorkflowGraph(room.doc).edges.length === 1, 'the edge in the room');
  const graph = readWorkflowGraph(room.doc);
  expect(graph.edges.map((e) => [e.source, e.sourceHandle, e.target, e.targetHandle])).toEqual([[divider, 'v(2)', halve, 'value']]);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-vector-ports-'));
  try {
    await fs.mkdir(path.join(dir, 'skills'));
    await fs.writeFile(path.join(dir, 'skills', 'vector-divider.md'), DIVIDER);
    await fs.writeFile(path.join(dir, 'skills', 'halve.md'), HALVE);
    await fs.writeFile(path.join(dir, 'workflow.json'), JSON.stringify(toWorkflowFile({ name: 'vector ports', description: '' }, graph)));
    const headless = await cli(path.join(dir, 'workflow.json'), path.join(dir, 'skills'));
    expect(headless[divider]).toEqual({ status: 'done', outputs: canvas.divider });
    expect(headless[halve]).toEqual({ status: 'done', outputs: canvas.halve });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  errors.assertNone();
  await context.close();
});
