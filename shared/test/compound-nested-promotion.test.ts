/*
 * EXEC-13, promotion through nesting (the bug of ComfyUI's frontend issue 9973): compound A promotes
 * an inner literal to its input `factor`; compound B holds an A node and exposes A's `factor` again
 * as its own input. A value given to B reaches A's inner node, by literal and along an edge; when B
 * does not expose it, A's default applies. Run through the executor with the Node JavaScript runtime.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { javascriptRuntime } from '../../sync-server/src/headless/javascript-runtime';
import type { WorkflowGraph, WorkflowNode } from '../src/documents/workflow';
import { runWorkflow } from '../src/execution/executor';
import type { ResolvedSkill } from '../src/execution/types';
import { buildCompoundMarkdown, type CompoundSkillParts } from '../src/skill/compound';
import { formatSkillError, parseSkill, readSkill, type CompoundSkill } from '../src/skill/parse';

const js = javascriptRuntime(2);
afterAll(() => js.close());

function jsSkill(id: string, inputs: object[], outputs: object[], code: string): ResolvedSkill {
  const source = ['---', `name: ${id}`, `skill_id: ${id}`, 'type: javascript', `inputs: ${JSON.stringify(inputs)}`, `outputs: ${JSON.stringify(outputs)}`, '---', '', '## Code', '', '```javascript', code, '```', ''].join('\n');
  const parsed = parseSkill(source, `${id}.md`);
  if (!parsed.ok) throw new Error(parsed.error.map(formatSkillError).join('\n'));
  return { skill: parsed.value, source };
}

function compound(parts: CompoundSkillParts): CompoundSkill {
  const read = readSkill(buildCompoundMarkdown(parts), { file: `${parts.skillId}.md` });
  if (!read.ok) throw new Error(read.error.map(formatSkillError).join('\n'));
  if (read.value.kind !== 'compound') throw new Error(`read as ${read.value.kind}`);
  return read.value;
}

const node = (id: string, skillId: string, inputs: WorkflowNode['inputs'] = {}): WorkflowNode => ({ id, skillId, label: '', position: { x: 0, y: 0 }, inputs });
const num = (name: string, extra: object = {}) => ({ name, type: 'number', ...extra });

const SKILLS = new Map<string, ResolvedSkill>([
  ['scale', jsSkill('scale', [num('x', { default: 1 }), num('factor', { default: 1 })], [num('y')], 'function execute({ x, factor }) { return { y: x * factor }; }')],
  ['emit', jsSkill('emit', [num('v')], [num('v')], 'function execute({ v }) { return { v }; }')],
]);

// A: scale with its `factor` literal promoted to A's input (default 3, the literal it had).
const A = compound({
  name: 'A',
  skillId: 'a',
  inputs: [num('x', { default: 2 }), num('factor', { default: 3 })] as CompoundSkillParts['inputs'],
  outputs: [num('y')] as CompoundSkillParts['outputs'],
  inside: {
    nodes: [node('s', 'scale', { factor: 3 })],
    edges: [],
    inputs: [
      { name: 'x', targets: [{ node: 's', port: 'x' }] },
      { name: 'factor', targets: [{ node: 's', port: 'factor' }] },
    ],
    outputs: [{ name: 'y', node: 's', port: 'y' }],
  },
});

/** B holds an A node; `exposeFactor` says whether B exposes A's promoted `factor` as its own input. */
const B = (exposeFactor: boolean) =>
  compound({
    name: 'B',
    skillId: 'b',
    inputs: [num('x', { default: 5 }), ...(exposeFactor ? [num('k', { default: 7 })] : [])] as CompoundSkillParts['inputs'],
    outputs: [num('out')] as CompoundSkillParts['outputs'],
    inside: {
      nodes: [node('inner', 'a')],
      edges: [],
      inputs: [{ name: 'x', targets: [{ node: 'inner', port: 'x' }] }, ...(exposeFactor ? [{ name: 'k', targets: [{ node: 'inner', port: 'factor' }] }] : [])],
      outputs: [{ name: 'out', node: 'inner', port: 'y' }],
    },
  });

const run = (graph: WorkflowGraph, b: CompoundSkill) =>
  runWorkflow({ graph, resolve: (id) => SKILLS.get(id), compounds: (id) => (id === 'a' ? A : id === 'b' ? b : undefined), runtimes: { javascript: js } });

describe('an input promoted in a compound stays promoted when that compound is nested', () => {
  it('the value given to the outer compound’s input reaches the inner node, as a literal and along an edge', async () => {
    const literal = await run({ nodes: [node('b', 'b', { x: 2, k: 10 })], edges: [] }, B(true));
    expect(literal.ok).toBe(true);
    expect(literal.nodes['b/inner/s']?.outputs).toEqual({ y: 20 });
    expect(literal.nodes.b?.outputs).toEqual({ out: 20 });

    const wired = await run(
      {
        nodes: [node('src', 'emit', { v: 11 }), node('b', 'b', { x: 2 })],
        edges: [{ id: 'e', source: 'src', sourceHandle: 'v', target: 'b', targetHandle: 'k' }],
      },
      B(true),
    );
    expect(wired.ok).toBe(true);
    expect(wired.nodes.b?.outputs).toEqual({ out: 22 });
  });

  it('the outer compound’s default for the re-exposed input applies when nothing is given', async () => {
    const report = await run({ nodes: [node('b', 'b', { x: 2 })], edges: [] }, B(true));
    expect(report.nodes.b?.outputs).toEqual({ out: 14 });
  });

  it('the inner compound’s default applies when the outer one does not expose the input', async () => {
    const report = await run({ nodes: [node('b', 'b', { x: 2 })], edges: [] }, B(false));
    expect(report.ok).toBe(true);
    expect(report.nodes['b/inner/s']?.outputs).toEqual({ y: 6 });
    expect(report.nodes.b?.outputs).toEqual({ out: 6 });
  });
});
