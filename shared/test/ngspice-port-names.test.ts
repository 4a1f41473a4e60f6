/*
 * EXEC-8: an ngspice skill may name an output by its simulation vector (`v(2)`, `i(v1)`,
 * `v(out)`, `time`, `frequency`) as well as by the identifier form (`v_2`). Such a port is a
 * port like any other: workflows connect to it, workflow files carry it, SKILL.md round-trips
 * it. Ports of other skill types, and all inputs, stay identifiers.
 */
import { describe, expect, it } from 'vitest';
import { exportAgentSkill } from '../src/skill/agent-skill';
import { parseSkill, type Skill } from '../src/skill/parse';
import type { SkillFrontmatter } from '../src/skill/schema';
import { serializeSkill } from '../src/skill/serialize';
import { parseWorkflowFile, toWorkflowFile } from '../src/workflow/file';
import { validateWorkflow } from '../src/workflow/validate';
import { skillText } from './conformance/skill-text';

const NETLIST = '* divider\nV1 1 0 DC 5\nR1 1 2 1k\nR2 2 0 1k\n.op\n.end';
const VECTOR_OUTPUTS = [
  { name: 'v(2)', type: 'number' },
  { name: 'i(v1)', type: 'number' },
  { name: 'v(out)', type: 'array' },
  { name: 'V(x1.n1)', type: 'array' },
  { name: 'v(a,b)', type: 'array' },
  { name: 'time', type: 'array' },
  { name: 'frequency', type: 'array' },
  { name: 'v_2', type: 'number' },
];

function parsed(text: string): Skill {
  const r = parseSkill(text, 'user/divider.md');
  if (!r.ok) throw new Error(r.error.map((e) => e.message).join('\n'));
  return r.value;
}

const divider = parsed(skillText('ngspice', 'divider', VECTOR_OUTPUTS, NETLIST));

describe('EXEC-8: ngspice outputs named by their vectors', () => {
  it('are accepted as written, next to identifiers', () => {
    expect(divider.frontmatter.outputs.map((p) => p.name)).toEqual(VECTOR_OUTPUTS.map((p) => p.name));
  });

  it('are refused for other skill types, and for inputs, on the line of the name', () => {
    const text = skillText('python', 'py', [{ name: 'v(2)', type: 'number' }], 'def execute(inputs):\n    return {}');
    const r = parseSkill(text, 'user/py.md');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toEqual([
      {
        file: 'user/py.md',
        line: text.split('\n').findIndex((l) => l.startsWith('outputs:')) + 1,
        field: 'outputs.0.name',
        message: 'must be an identifier: letters, digits and "_", not starting with a digit (vector names such as v(out) name the outputs of ngspice skills only)',
      },
    ]);
    const input = parseSkill(skillText('ngspice', 'sp', [], NETLIST, [{ name: 'v(2)', type: 'number' }]), 'user/sp.md');
    expect(input.ok ? [] : input.error.map((e) => [e.field, e.message])).toEqual([['inputs.0.name', 'must be an identifier: letters, digits and "_", not starting with a digit']]);
    const junk = parseSkill(skillText('ngspice', 'sp', [{ name: 'v(2) x', type: 'number' }], NETLIST), 'user/sp.md');
    expect(junk.ok ? [] : junk.error.map((e) => e.field)).toEqual(['outputs.0.name']);
  });

  it('connect in a workflow like any port, and a handle naming no output is still refused', () => {
    const sink: SkillFrontmatter = { ...divider.frontmatter, skill_id: 'sink', type: 'javascript', inputs: [{ name: 'value', type: 'number' }], outputs: [] };
    const lookup = (id: string) => (id === 'divider' ? divider.frontmatter : id === 'sink' ? sink : undefined);
    const nodes = [
      { id: 'a', skillId: 'divider', label: '', position: { x: 0, y: 0 }, inputs: {} },
      { id: 'b', skillId: 'sink', label: '', position: { x: 0, y: 0 }, inputs: {} },
    ];
    const edge = { id: 'e', source: 'a', sourceHandle: 'v(2)', target: 'b', targetHandle: 'value' };
    expect(validateWorkflow({ nodes, edges: [edge] }, lookup)).toEqual([]);
    expect(validateWorkflow({ nodes, edges: [{ ...edge, sourceHandle: 'v(3)' }] }, lookup).map((i) => i.code)).toEqual(['unknown_port']);
  });

  it('travel in a workflow file and come back', () => {
    const graph = {
      nodes: [
        { id: 'a', skillId: 'divider', label: '', position: { x: 0, y: 0 }, inputs: {} },
        { id: 'b', skillId: 'sink', label: '', position: { x: 1, y: 1 }, inputs: {} },
      ],
      edges: [{ id: 'e', source: 'a', sourceHandle: 'i(v1)', target: 'b', targetHandle: 'value' }],
    };
    const back = parseWorkflowFile(JSON.stringify(toWorkflowFile({ name: 'w', description: '' }, graph)));
    expect(back.ok && back.value.edges).toEqual(graph.edges);
  });

  it('round-trip through the skill file and a SKILL.md export', () => {
    expect(parsed(serializeSkill(divider)).frontmatter).toEqual(divider.frontmatter);
    const exported = exportAgentSkill(divider);
    const imported = parseSkill(exported.content, 'SKILL.md');
    expect(imported.ok && imported.value.frontmatter).toEqual(divider.frontmatter);
  });
});
