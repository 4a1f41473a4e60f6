/*
 * validateWorkflow (DESIGN §5): every issue that keeps a workflow from running, naming its nodes by
 * label and id; findCycle gives one cycle in edge order.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from '../src/documents/workflow';
import { formatSkillError, readSkill } from '../src/skill/parse';
import { PORT_TYPES, type InputPort, type OutputPort, type PortType, type SkillFrontmatter } from '../src/skill/schema';
import {
  describeNode,
  findCycle,
  portTypesCompatible,
  validateWorkflow,
  type SkillLookup,
  type WorkflowIssue,
} from '../src/workflow/validate';

const skill = (skill_id: string, inputs: InputPort[], outputs: OutputPort[]): SkillFrontmatter => ({
  name: skill_id,
  skill_id,
  type: 'python',
  category: 'general',
  execution_mode: 'browser-wasm',
  description: '',
  tags: [],
  version: '1.0.0',
  inputs,
  outputs,
  deterministic: true,
});

// A small catalogue: a source of numbers, a transform, and a sink with every flavour of input.
const SKILLS: SkillFrontmatter[] = [
  skill('source', [], [
    { name: 'value', type: 'number' },
    { name: 'count', type: 'integer' },
    { name: 'text', type: 'string' },
    { name: 'anything', type: 'any' },
    { name: 'list', type: 'array' },
  ]),
  skill('double', [{ name: 'x', type: 'number' }], [{ name: 'y', type: 'number' }]),
  skill(
    'sink',
    [
      { name: 'needed', type: 'number' },
      { name: 'with_default', type: 'integer', default: 3 },
      { name: 'null_default', type: 'any', default: null },
      { name: 'optional', type: 'array', required: false },
      { name: 'forced', type: 'string', default: 'x', required: true },
    ],
    [{ name: 'done', type: 'boolean' }],
  ),
  skill('typed', [...PORT_TYPES.map((t) => ({ name: `in_${t}`, type: t, required: false }))], [
    ...PORT_TYPES.map((t) => ({ name: `out_${t}`, type: t })),
  ]),
  skill('proto', [{ name: 'constructor', type: 'number' }, { name: 'toString', type: 'string' }], []),
];
const catalogue = new Map(SKILLS.map((s) => [s.skill_id, s]));
const lookup: SkillLookup = (id) => catalogue.get(id);

const node = (id: string, skillId: string, inputs: WorkflowNode['inputs'] = {}, label = `Label ${id}`): WorkflowNode => ({
  id,
  skillId,
  label,
  position: { x: 0, y: 0 },
  inputs,
});
const edge = (id: string, source: string, sourceHandle: string, target: string, targetHandle: string): WorkflowEdge => ({
  id,
  source,
  sourceHandle,
  target,
  targetHandle,
});

const codes = (issues: WorkflowIssue[]) => issues.map((i) => i.code);

// source → double → sink, with sink's one required input wired and `forced` set literally.
const chain = (): WorkflowGraph => ({
  nodes: [node('a', 'source'), node('b', 'double'), node('c', 'sink', { forced: 'y' })],
  edges: [edge('e1', 'a', 'value', 'b', 'x'), edge('e2', 'b', 'y', 'c', 'needed')],
});

describe('validateWorkflow', () => {
  it('finds nothing wrong with a valid chain', () => {
    expect(validateWorkflow(chain(), lookup)).toEqual([]);
  });

  it('finds nothing wrong with an empty workflow', () => {
    expect(validateWorkflow({ nodes: [], edges: [] }, lookup)).toEqual([]);
  });

  it('reports an unknown skill, naming the node and the skill', () => {
    const g = chain();
    g.nodes.push(node('z', 'no-such-skill'));
    expect(validateWorkflow(g, lookup)).toEqual([
      {
        code: 'unknown_skill',
        nodes: ['z'],
        skillId: 'no-such-skill',
        message: expect.stringContaining('Node "Label z" (z) uses skill "no-such-skill"'),
      },
    ]);
  });

  it('checks nothing else about a node whose skill is unknown', () => {
    const g: WorkflowGraph = {
      nodes: [node('a', 'source'), node('z', 'gone', { whatever: 1 })],
      edges: [edge('e1', 'a', 'value', 'z', 'nope'), edge('e2', 'z', 'nope', 'a', 'nope')],
    };
    const issues = validateWorkflow(g, lookup);
    expect(codes(issues)).toEqual(['unknown_skill', 'unknown_port', 'cycle']);
    expect(issues[1]).toMatchObject({ nodes: ['a'], edge: 'e2', port: 'nope' });
  });

  it('reports an edge to a node that is not in the workflow, once per edge, naming the missing nodes', () => {
    const g = chain();
    g.edges.push(edge('e3', 'a', 'value', 'ghost', 'x'), edge('e4', 'phantom', 'y', 'spectre', 'x'));
    const issues = validateWorkflow(g, lookup);
    expect(issues).toEqual([
      { code: 'unknown_node', nodes: ['ghost'], edge: 'e3', message: expect.stringContaining('"ghost"') },
      { code: 'unknown_node', nodes: ['phantom', 'spectre'], edge: 'e4', message: expect.stringContaining('"phantom" and "spectre"') },
    ]);
    expect(issues[0]?.message).toContain('Edge e3');
  });

  it('reports an unknown output port at the source end', () => {
    const g = chain();
    g.edges[0] = edge('e1', 'a', 'nope', 'b', 'x');
    expect(validateWorkflow(g, lookup)).toEqual([
      {
        code: 'unknown_port',
        nodes: ['a'],
        edge: 'e1',
        port: 'nope',
        message: expect.stringContaining('output "nope" of node "Label a" (a)'),
      },
    ]);
  });

  it('reports an unknown input port at the target end (and the input it left unwired)', () => {
    const g = chain();
    g.edges[1] = edge('e2', 'b', 'y', 'c', 'nope');
    expect(validateWorkflow(g, lookup)).toEqual([
      {
        code: 'unknown_port',
        nodes: ['c'],
        edge: 'e2',
        port: 'nope',
        message: expect.stringContaining('input "nope" of node "Label c" (c)'),
      },
      { code: 'missing_input', nodes: ['c'], input: 'needed', message: expect.any(String) },
    ]);
  });

  it('reports both ends of an edge whose two ports are unknown', () => {
    const g = chain();
    g.edges[0] = edge('e1', 'a', 'out?', 'b', 'in?');
    expect(validateWorkflow(g, lookup).map((i) => [i.code, i.nodes, 'port' in i ? i.port : ''])).toEqual([
      ['unknown_port', ['a'], 'out?'],
      ['unknown_port', ['b'], 'in?'],
      ['missing_input', ['b'], ''],
    ]);
  });

  it('reports a literal input the skill does not have', () => {
    const g = chain();
    g.nodes[1] = node('b', 'double', { typo: 1 });
    expect(validateWorkflow(g, lookup)).toEqual([
      {
        code: 'unknown_input',
        nodes: ['b'],
        input: 'typo',
        message: expect.stringContaining('Node "Label b" (b) sets input "typo", which skill "double" does not have'),
      },
    ]);
  });

  it('reports an input fed by two edges, with both edges', () => {
    const g = chain();
    g.nodes.push(node('a2', 'source'));
    g.edges.push(edge('e3', 'a2', 'value', 'b', 'x'));
    expect(validateWorkflow(g, lookup)).toEqual([
      {
        code: 'duplicate_input',
        nodes: ['b'],
        input: 'x',
        edges: ['e1', 'e3'],
        message: expect.stringContaining('Input "x" of node "Label b" (b) has 2 incoming edges'),
      },
    ]);
  });

  it('reports a required input that is neither set nor wired, naming its type', () => {
    const g = chain();
    g.edges.pop();
    expect(validateWorkflow(g, lookup)).toEqual([
      {
        code: 'missing_input',
        nodes: ['c'],
        input: 'needed',
        message: expect.stringContaining('Node "Label c" (c) needs input "needed" (number)'),
      },
    ]);
  });

  // Issue 14 changed this: the original's files say `required: true` beside a default, and its
  // loader let the default satisfy the input (a node reported "forced" as missing before).
  it('lets a default satisfy required: true, but not the original writer\'s "default: null, required: true"', () => {
    const g = chain();
    g.nodes[2] = node('c', 'sink');
    expect(validateWorkflow(g, lookup)).toEqual([]);
    const legacy = skill('legacy', [{ name: 'label', type: 'string', default: null, required: true }], []);
    const issues = validateWorkflow({ nodes: [node('l', 'legacy')], edges: [] }, (id) => (id === 'legacy' ? legacy : undefined));
    expect(issues.map((i) => [i.code, 'input' in i ? i.input : ''])).toEqual([['missing_input', 'label']]);
  });

  it('refuses an instruction skill as a node, saying it has nothing to run', () => {
    const prose = { ...skill('prose', [], []), type: 'instruction' as const, name: 'Style Guide' };
    const issues = validateWorkflow({ nodes: [node('n', 'prose')], edges: [] }, (id) => (id === 'prose' ? prose : lookup(id)));
    expect(issues).toEqual([
      {
        code: 'not_runnable',
        nodes: ['n'],
        skillId: 'prose',
        message: 'Node "Label n" (n) uses "Style Guide" (prose), an instruction skill: it has nothing to run. Remove the node; the chat reads instruction skills when they help.',
      },
    ]);
  });

  it.each<[string, WorkflowNode['inputs'], boolean]>([
    ['set literally', { needed: 1, forced: 'y' }, false],
    ['set literally to null', { needed: null, forced: 'y' }, false],
    ['wired', { forced: 'y' }, true],
  ])('does not report a required input that is %s', (_label, inputs, wired) => {
    const g = chain();
    g.nodes[2] = node('c', 'sink', inputs);
    if (!wired) g.edges.pop();
    expect(validateWorkflow(g, lookup)).toEqual([]);
  });

  it('does not report inputs with a default (even null) or required: false', () => {
    const g: WorkflowGraph = { nodes: [node('c', 'sink', { needed: 1 })], edges: [] };
    expect(validateWorkflow(g, lookup)).toEqual([]);
  });

  it('reports required inputs named like Object.prototype members', () => {
    const issues = validateWorkflow({ nodes: [node('p', 'proto')], edges: [] }, lookup);
    expect(issues.map((i) => ('input' in i ? i.input : ''))).toEqual(['constructor', 'toString']);
    expect(validateWorkflow({ nodes: [node('p', 'proto', { constructor: 1, toString: 's' })], edges: [] }, lookup)).toEqual([]);
  });

  it('reports a type mismatch with both nodes, the types and the port names', () => {
    const g: WorkflowGraph = {
      nodes: [node('a', 'source'), node('b', 'double')],
      edges: [edge('e1', 'a', 'text', 'b', 'x')],
    };
    expect(validateWorkflow(g, lookup)).toEqual([
      {
        code: 'type_mismatch',
        nodes: ['a', 'b'],
        edge: 'e1',
        from: 'string',
        to: 'number',
        message:
          'Edge e1 carries string output "text" of node "Label a" (a) into number input "x" of node "Label b" (b).',
      },
    ]);
  });

  it('lets integer feed number and refuses number into integer', () => {
    const intoNumber: WorkflowGraph = { nodes: [node('a', 'source'), node('b', 'double')], edges: [edge('e1', 'a', 'count', 'b', 'x')] };
    expect(validateWorkflow(intoNumber, lookup)).toEqual([]);
    const intoInteger: WorkflowGraph = {
      nodes: [node('a', 'source'), node('c', 'sink', { needed: 1, forced: 'f' })],
      edges: [edge('e1', 'a', 'value', 'c', 'with_default')],
    };
    expect(validateWorkflow(intoInteger, lookup)).toEqual([
      expect.objectContaining({ code: 'type_mismatch', nodes: ['a', 'c'], from: 'number', to: 'integer' }),
    ]);
  });

  it('lets any connect to and from anything', () => {
    for (const t of PORT_TYPES) {
      const g: WorkflowGraph = {
        nodes: [node('a', 'typed'), node('b', 'typed'), node('c', 'typed')],
        edges: [edge('e1', 'a', 'out_any', 'b', `in_${t}`), edge('e2', 'a', `out_${t}`, 'c', 'in_any')],
      };
      expect(validateWorkflow(g, lookup), t).toEqual([]);
    }
  });

  it('checks every pair of port types against the compatibility rule', () => {
    for (const from of PORT_TYPES) {
      for (const to of PORT_TYPES) {
        const g: WorkflowGraph = { nodes: [node('a', 'typed'), node('b', 'typed')], edges: [edge('e', 'a', `out_${from}`, 'b', `in_${to}`)] };
        const expected = from === to || from === 'any' || to === 'any' || (from === 'integer' && to === 'number');
        expect(portTypesCompatible(from, to), `${from} → ${to}`).toBe(expected);
        expect(codes(validateWorkflow(g, lookup)), `${from} → ${to}`).toEqual(expected ? [] : ['type_mismatch']);
      }
    }
  });

  it('reports a cycle with its nodes in edge order and names them in the message', () => {
    const g: WorkflowGraph = {
      nodes: [node('a', 'double'), node('b', 'double'), node('c', 'double')],
      edges: [edge('e1', 'a', 'y', 'b', 'x'), edge('e2', 'b', 'y', 'c', 'x'), edge('e3', 'c', 'y', 'a', 'x')],
    };
    expect(validateWorkflow(g, lookup)).toEqual([{
      code: 'cycle',
      nodes: ['a', 'b', 'c'],
      message:
        'The workflow has a cycle: "Label a" (a) → "Label b" (b) → "Label c" (c) → "Label a" (a). Remove one of its edges.',
    }]);
  });

  it('reports a self-loop as a cycle of one node', () => {
    const g: WorkflowGraph = { nodes: [node('a', 'double')], edges: [edge('e1', 'a', 'y', 'a', 'x')] };
    expect(validateWorkflow(g, lookup)).toEqual([
      { code: 'cycle', nodes: ['a'], message: expect.stringContaining('"Label a" (a) → "Label a" (a)') },
    ]);
  });

  it('names an unlabelled node by its id alone', () => {
    const g: WorkflowGraph = { nodes: [node('n1', 'missing', {}, '')], edges: [] };
    const [issue] = validateWorkflow(g, lookup);
    expect(issue?.message).toContain('Node "n1" uses skill "missing"');
    expect(describeNode(undefined, 'x')).toBe('"x"');
    expect(describeNode(node('x', 's', {}, 'My node'), 'x')).toBe('"My node" (x)');
  });
});

describe('findCycle', () => {
  const graph = (ids: string[], pairs: [string, string][]): WorkflowGraph => ({
    nodes: ids.map((id) => node(id, 'double')),
    edges: pairs.map(([s, t], i) => edge(`e${i}`, s, 'y', t, 'x')),
  });

  /** Every consecutive pair of the cycle (and last → first) is an edge. */
  const isCycleInEdgeOrder = (g: WorkflowGraph, cycle: string[]) =>
    cycle.every((id, i) => g.edges.some((e) => e.source === id && e.target === cycle[(i + 1) % cycle.length]));

  it('returns undefined for acyclic graphs', () => {
    expect(findCycle(graph([], []))).toBeUndefined();
    expect(findCycle(graph(['a', 'b', 'c', 'd'], [['a', 'b'], ['a', 'c'], ['b', 'd'], ['c', 'd']]))).toBeUndefined();
  });

  it('returns only the nodes on the cycle, in edge order, not the path that leads to it', () => {
    const g = graph(['s', 'x', 'y', 'z', 't'], [['s', 'x'], ['x', 'y'], ['y', 'z'], ['z', 'x'], ['z', 't']]);
    const cycle = findCycle(g);
    expect(cycle).toEqual(['x', 'y', 'z']);
    expect(isCycleInEdgeOrder(g, cycle ?? [])).toBe(true);
  });

  it('finds a cycle declared against node order', () => {
    const g = graph(['c', 'b', 'a'], [['a', 'b'], ['b', 'c'], ['c', 'a']]);
    const cycle = findCycle(g) ?? [];
    expect(cycle).toHaveLength(3);
    expect(isCycleInEdgeOrder(g, cycle)).toBe(true);
    expect(cycle[0]).toBe('c');
  });

  it('finds a self-loop', () => {
    expect(findCycle(graph(['a', 'b'], [['a', 'b'], ['b', 'b']]))).toEqual(['b']);
  });

  it('finds a two-node cycle', () => {
    expect(findCycle(graph(['a', 'b'], [['a', 'b'], ['b', 'a']]))).toEqual(['a', 'b']);
  });
});

describe('the system skills Hamiltonian → VQE → Plot Convergence', () => {
  const dir = new URL('../../skills/', import.meta.url);
  const system = new Map<string, SkillFrontmatter>();
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.md'))) {
    const r = readSkill(readFileSync(new URL(f, dir), 'utf8'), { file: f });
    if (!r.ok) throw new Error(r.error.map(formatSkillError).join('\n'));
    if (r.value.kind === 'runnable') system.set(r.value.frontmatter.skill_id, r.value.frontmatter);
  }
  const systemLookup: SkillLookup = (id) => system.get(id);
  const g = (): WorkflowGraph => ({
    nodes: [
      node('ham', 'quantum-hamiltonian', {}, 'Hamiltonian Builder'),
      node('vqe', 'quantum-vqe', {}, 'VQE Optimizer'),
      node('plot', 'plot-convergence', {}, 'Plot Convergence'),
    ],
    edges: [
      edge('e1', 'ham', 'hamiltonian', 'vqe', 'hamiltonian'),
      edge('e2', 'vqe', 'convergence_trace', 'plot', 'convergence_trace'),
    ],
  });

  it('validates', () => {
    expect(validateWorkflow(g(), systemLookup)).toEqual([]);
  });

  it('stops validating when an edge carries the wrong type or loops back', () => {
    const wrong = g();
    wrong.edges[1] = edge('e2', 'vqe', 'iterations', 'plot', 'convergence_trace');
    const issues = validateWorkflow(wrong, systemLookup);
    expect(issues).toEqual([expect.objectContaining({ code: 'type_mismatch', nodes: ['vqe', 'plot'], from: 'integer' as PortType })]);
    expect(issues[0]?.message).toContain('"VQE Optimizer" (vqe)');

    const loop = g();
    loop.edges.push(edge('e3', 'plot', 'svg', 'ham', 'bond_length'));
    expect(codes(validateWorkflow(loop, systemLookup))).toContain('cycle');
  });
});
