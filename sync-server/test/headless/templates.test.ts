/*
 * Every workflow template in skills/templates runs headless, as `npm run workflow` runs it (the
 * shared executor and the Node runtimes), and gives its expected result (`<id>.expected.json`,
 * see template-expectations.ts), so a template can never rot. Templates are found in the folder:
 * a new one is tested without editing this file. EXEC-12: the Three.js template passes its cube's
 * scene to the animation node.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Json } from '../../../shared/src/json';
import { parseWorkflowFile, type WorkflowFile } from '../../../shared/src/workflow/file';
import { EXIT, runWorkflowFile } from '../../src/headless/run-file';
import { nodeRuntimes } from '../../src/headless/runtimes';
import { TEMPLATES_DIR } from '../../src/headless/skills';
import { ExpectedSchema, problemsOf, type Expected } from './template-expectations';

const TEMPLATE = '.workflow.json';
const EXPECTED = '.expected.json';
const files = fs.readdirSync(TEMPLATES_DIR).sort();
const ids = files.filter((f) => f.endsWith(TEMPLATE)).map((f) => f.slice(0, -TEMPLATE.length));

const runtimes = nodeRuntimes({ javascriptWorkers: 2 });
afterAll(() => runtimes.close());

function readTemplate(id: string): WorkflowFile {
  const parsed = parseWorkflowFile(fs.readFileSync(path.join(TEMPLATES_DIR, `${id}${TEMPLATE}`), 'utf8'));
  if (!parsed.ok) throw new Error(`${id}${TEMPLATE} is not a valid workflow file:\n${parsed.error.join('\n')}`);
  return parsed.value;
}

function readExpected(id: string): Expected {
  const parsed = ExpectedSchema.safeParse(JSON.parse(fs.readFileSync(path.join(TEMPLATES_DIR, `${id}${EXPECTED}`), 'utf8')));
  if (!parsed.success) throw new Error(`${id}${EXPECTED}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

describe('workflow templates', () => {
  it('are there, one per runtime at least, each with its expected result and nothing else in the folder', () => {
    expect(ids.length).toBeGreaterThanOrEqual(5);
    const paired = ids.flatMap((id) => [`${id}${TEMPLATE}`, `${id}${EXPECTED}`]).sort();
    expect(files).toEqual(paired);
  });

  it('check what they say: a result off by more than its tolerance, of another shape or missing fails', () => {
    expect(problemsOf(-1.13725, { near: -1.137306, within: 1e-4 }, 'e')).toEqual([]);
    expect(problemsOf(-1.1, { near: -1.137306, within: 1e-4 }, 'e')).toEqual(['e should be -1.137306 ± 0.0001, got -1.1']);
    expect(problemsOf([1, 3, 2], { monotonic: 'increasing' }, 'v')).toEqual(['v should never go down, but [2] does, got [1,3,2]']);
    expect(problemsOf({ a: 1 }, { keys: ['a', 'b'] }, 'o')).toEqual(['o should have exactly the keys ["a","b"], got {"a":1}']);
    expect(problemsOf([{ n: 2 }], { items: { fields: { n: { equals: 1 } } } }, 't')).toEqual(['t[0].n should equal 1, got 2']);
    expect(problemsOf(undefined, { type: 'array' }, 'x')).toEqual(['x is missing']);
    expect(problemsOf('<svg/>', { startsWith: '<svg', contains: 'Bell' }, 's')).toEqual(['s should contain "Bell", got "<svg/>"']);
    expect(ExpectedSchema.safeParse({ nodes: { a: { x: {} } } }).success).toBe(false);
    expect(ExpectedSchema.safeParse({ nodes: { a: { x: { within: 1 } } } }).success).toBe(false);
  });

  describe.each(ids)('%s', (id) => {
    it('has a name, a one-line description and expectations for nodes it has, its last nodes included', () => {
      const template = readTemplate(id);
      const expected = readExpected(id);
      expect(template.name.trim()).not.toBe('');
      expect(template.description.trim()).not.toBe('');
      expect(template.description).not.toContain('\n');
      const nodes = new Set(template.nodes.map((n) => n.id));
      expect(Object.keys(expected.nodes).filter((n) => !nodes.has(n)), 'expected results for nodes the template does not have').toEqual([]);
      const last = template.nodes.filter((n) => !template.edges.some((e) => e.source === n.id)).map((n) => n.id);
      expect(last.filter((n) => !expected.nodes[n]), 'nodes at the end of the workflow without an expected result').toEqual([]);
    });

    it('runs headless with every node done and its expected result', { timeout: 120_000 }, async () => {
      const expected = readExpected(id);
      const log: string[] = [];
      const result = await runWorkflowFile({ file: path.join(TEMPLATES_DIR, `${id}${TEMPLATE}`), runtimes, log: (line) => log.push(line) });
      const notDone = Object.entries(result.nodes).filter(([, s]) => s.status !== 'done');
      expect(notDone.map(([node, s]) => `${node}: ${s.status} ${s.error ?? ''}`), log.join('\n')).toEqual([]);
      expect(result.exitCode).toBe(EXIT.done);
      expect(Object.keys(result.nodes).sort()).toEqual(readTemplate(id).nodes.map((n) => n.id).sort());
      const problems = Object.entries(expected.nodes).flatMap(([node, outputs]) =>
        Object.entries(outputs).flatMap(([output, check]) => problemsOf(result.nodes[node]?.outputs?.[output] as Json | undefined, check, `${node}.${output}`)),
      );
      expect(problems).toEqual([]);
    });
  });
});
