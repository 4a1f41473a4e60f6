// The ports panel's edits of an open compound (web/src/compound/port-edits.ts): which inner ports
// can be exposed (an inner literal promoted as the new input's default), exposing with a unique
// name, moving within bounds, renaming and unexposing.
import { describe, expect, it } from 'vitest';
import type { WorkflowGraph } from '../../shared/src/documents/workflow';
import type { EditedPorts } from '../../shared/src/skill/compound-edit';
import { testSkill } from '../../shared/test/skill-fixture';
import { exposable, exposePort, movePort, renamePort, unexposePort } from '../src/compound/port-edits';

const SKILLS = new Map([['mul', testSkill('mul', [['a', 'number', 1], ['b', 'number']], [['p', 'number']])]]);
const lookup = (id: string) => SKILLS.get(id);
const GRAPH: WorkflowGraph = {
  nodes: [
    { id: 'm1', skillId: 'mul', label: 'First', position: { x: 0, y: 0 }, inputs: { b: 4 } },
    { id: 'm2', skillId: 'mul', label: '', position: { x: 300, y: 0 }, inputs: {} },
  ],
  edges: [{ id: 'e', source: 'm1', sourceHandle: 'p', target: 'm2', targetHandle: 'a' }],
};
const PORTS: EditedPorts = {
  inputs: [{ port: { name: 'a', type: 'number', default: 1 }, targets: [{ node: 'm1', port: 'a' }], origin: 'a' }],
  outputs: [{ port: { name: 'p', type: 'number' }, from: { node: 'm2', port: 'p' }, origin: 'p' }],
};

describe('the ports of an open compound', () => {
  it('offers inner inputs neither mapped nor wired inside, promoting a literal as the default, and outputs not mapped', () => {
    const inputs = exposable(GRAPH, PORTS, lookup, 'inputs');
    expect(inputs.map((c) => [c.title, c.port])).toEqual([
      ['First › b', { name: 'b', type: 'number', default: 4 }],
      ['MUL › b', { name: 'b', type: 'number' }],
    ]);
    expect(exposable(GRAPH, PORTS, lookup, 'outputs').map((c) => c.title)).toEqual(['First › p']);
  });

  it('exposes with a name of its own, moves within the list, renames and unexposes', () => {
    const [first, second] = exposable(GRAPH, PORTS, lookup, 'inputs');
    const two = exposePort(exposePort(PORTS, 'inputs', first!), 'inputs', second!);
    expect(two.inputs.map((i) => [i.port.name, i.targets, i.origin])).toEqual([
      ['a', [{ node: 'm1', port: 'a' }], 'a'],
      ['b', [{ node: 'm1', port: 'b' }], undefined],
      ['b_2', [{ node: 'm2', port: 'b' }], undefined],
    ]);
    expect(movePort(two, 'inputs', 0, -1)).toBe(two);
    expect(movePort(two, 'inputs', 2, -1).inputs.map((i) => i.port.name)).toEqual(['a', 'b_2', 'b']);
    const renamed = renamePort(two, 'outputs', 0, 'product');
    expect(renamed.outputs[0]).toEqual({ port: { name: 'product', type: 'number' }, from: { node: 'm2', port: 'p' }, origin: 'p' });
    expect(unexposePort(renamed, 'inputs', 0).inputs.map((i) => i.port.name)).toEqual(['b', 'b_2']);
  });
});
