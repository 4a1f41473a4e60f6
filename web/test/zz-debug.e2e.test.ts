import { it } from 'vitest';
import { putNote } from '../../shared/src/documents/workflow';
import { useApp } from './harness';

const app = useApp();

it('debug', async () => {
  const script = await app.connect('user/default/workflow/dbg2');
  putNote(script.doc, { id: 'plan', text: 'Shared plan', position: { x: 100, y: 100 }, size: { width: 320, height: 180 }, color: 'blue' });
  const { page } = await app.openWorkflow('dbg2');
  await page.locator('[data-testid="note"] .markdown').waitFor();
  const vp = () => page.locator('.react-flow__viewport').evaluate((e) => (e as HTMLElement).style.transform);
  console.log('start', await vp());
  await page.locator('[data-testid="note"]').dblclick();
  await new Promise((r) => setTimeout(r, 500));
  console.log('after dblclick', await vp());
});
