/*
 * Input defaults (issue 14): a default satisfies an input whether or not it says `required: true`;
 * the original's writer says "no default" as `default: null` with `required: true`.
 */
import { describe, expect, it } from 'vitest';
import type { WorkflowGraph } from '../src/documents/workflow';
import { resolveInputs } from '../src/execution/inputs';
import { inputDefault, isRequiredInput } from '../src/skill/ports';
import type { InputPort } from '../src/skill/schema';
import { testSkill } from './skill-fixture';

describe('isRequiredInput and inputDefault', () => {
  it.each<[string, InputPort, boolean, unknown]>([
    ['no default', { name: 'a', type: 'number' }, true, undefined],
    ['no default, required: false', { name: 'a', type: 'number', required: false }, false, undefined],
    ['a default', { name: 'a', type: 'number', default: 2 }, false, 2],
    ['a default and required: true', { name: 'a', type: 'number', default: 2, required: true }, false, 2],
    ['a falsy default and required: true', { name: 'a', type: 'boolean', default: false, required: true }, false, false],
    ['default: null', { name: 'a', type: 'any', default: null }, false, null],
    ['default: null and required: true', { name: 'a', type: 'any', default: null, required: true }, true, undefined],
    ['default: null and required: false', { name: 'a', type: 'any', default: null, required: false }, false, null],
    ['a WebGPU length and no default (a zero-filled buffer)', { name: 'a', type: 'array', length: 'n * n' }, false, undefined],
  ])('an input with %s', (_label, port, required, value) => {
    expect(isRequiredInput(port)).toBe(required);
    expect(inputDefault(port)).toBe(value);
  });
});

describe('resolveInputs', () => {
  it('fills an unset input from its default even when it says required: true, and leaves out a "no default"', () => {
    const skill = testSkill('s', [], []);
    skill.inputs = [
      { name: 'size', type: 'number', default: 1, required: true },
      { name: 'label', type: 'string', default: null, required: true },
      { name: 'set', type: 'number', default: 1, required: true },
    ];
    const graph: WorkflowGraph = { nodes: [{ id: 'n', skillId: 's', label: '', position: { x: 0, y: 0 }, inputs: { set: 5 } }], edges: [] };
    expect(resolveInputs(graph.nodes[0]!, skill, graph, () => undefined)).toEqual({ size: 1, set: 5 });
  });
});
