// The library as other assistants see it: tools from skills and workflows with JSON Schemas from
// the typed ports, names stable and collisions settled, instruction skills as prompts and their
// files as resources, all following what each identity may read.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Rooms } from '../../src/rooms/rooms';
import { createLibrary, type ServerLibrary } from '../../src/library/library';
import { TOOL_NAME } from '../../src/library/tool-names';
import { SKILL_NODE, type LibraryTool } from '../../src/library/types';
import { ADD, DOUBLE, edge, libraryRooms, node, putSkill, putWorkflow, share, skillMarkdown, THREE_NODES, user } from './library-rooms';

let rooms: Rooms;
let library: ServerLibrary;
let close: () => Promise<void>;
beforeEach(async () => {
  ({ rooms, library, close } = await libraryRooms());
});
afterEach(() => close());

const tool = (tools: LibraryTool[], name: string): LibraryTool => {
  const found = tools.find((t) => t.name === name);
  if (!found) throw new Error(`no tool "${name}" among ${tools.map((t) => t.name).join(', ')}`);
  return found;
};

const alice = user('alice');
const bob = user('bob');

describe('tools from skills', () => {
  it('lists the system skills that run headless, with schemas from their ports', async () => {
    const { tools } = await library.view(alice);
    const names = tools.map((t) => t.name);
    // JavaScript, Python, ngspice, WebGPU (its fallback) and compound skills run on the server.
    for (const name of ['plot-bars', 'quantum-hamiltonian', 'spice-resistor', 'gpu-matmul', 'weather-summary-csv']) expect(names).toContain(name);
    expect(names.every((n) => TOOL_NAME.test(n))).toBe(true);

    const bars = tool(tools, 'plot-bars');
    expect(bars).toMatchObject({ kind: 'skill', title: 'Bar Chart', id: 'plot-bars', volume: { volume: 'system', volumeId: 'system' } });
    expect(bars.description).toMatch(/^Draws a bar chart/);
    expect(bars.inputSchema).toEqual({
      type: 'object',
      properties: {
        data: { type: 'object', description: 'Label → value, e.g. {"00": 0.5, "11": 0.5}; 1 to 64 finite numbers, none negative.' },
        title: { type: 'string', default: 'Bar chart', description: 'Chart title.' },
        y_label: { type: 'string', default: 'Value', description: 'Label of the vertical axis, e.g. "Probability".' },
        sort: { type: 'string', default: 'label', description: '"label" (labels in order: 00, 01, 10, 11), "value" (largest first) or "none" (as given).' },
      },
      required: ['data'],
      additionalProperties: false,
    });
    expect(bars.outputSchema.required).toEqual(['svg', 'labels', 'values', 'top_label']);
    expect(bars.outputSchema.properties.labels).toEqual({ type: 'array', description: 'The labels in the order drawn.' });
    expect(bars.inputs).toEqual([
      { key: 'data', node: SKILL_NODE, port: 'data', type: 'object', required: true },
      { key: 'title', node: SKILL_NODE, port: 'title', type: 'string', required: false },
      { key: 'y_label', node: SKILL_NODE, port: 'y_label', type: 'string', required: false },
      { key: 'sort', node: SKILL_NODE, port: 'sort', type: 'string', required: false },
    ]);
    // An integer port with a default, and a port that says required: false (no default, not required).
    const vqe = tool(tools, 'quantum-vqe');
    expect(vqe.inputSchema.properties.max_iterations).toMatchObject({ type: 'integer', default: 300 });
    expect(vqe.inputSchema.required).toEqual(['hamiltonian']);
  });

  it('lists a user skill for its owner only, and not a qiskit skill (no runtime here) nor an instruction skill', async () => {
    await putSkill(rooms, 'user', 'alice', 'double', DOUBLE);
    await putSkill(rooms, 'user', 'alice', 'qk', skillMarkdown('name: Q\nskill_id: qk\ntype: qiskit', { lang: 'python', text: 'def execute(inputs):\n    return {}' }));
    const aliceTools = (await library.view(alice)).tools.map((t) => t.name);
    expect(aliceTools).toContain('double');
    expect(aliceTools).not.toContain('qk');
    expect((await library.view(bob)).tools.map((t) => t.name)).not.toContain('double');
    const double = tool((await library.view(alice)).tools, 'double');
    expect(double.inputSchema).toEqual({ type: 'object', properties: { x: { type: 'number', description: 'The number to double.' } }, required: ['x'], additionalProperties: false });
    expect(double.volume).toEqual({ volume: 'user', volumeId: 'alice' });
  });

  it('a user skill shadows the system skill of the same id; a team member sees the team skill before the system one', async () => {
    const mine = skillMarkdown('name: My Bars\nskill_id: plot-bars\ntype: javascript\ndescription: Mine.', { lang: 'javascript', text: 'function execute() { return {}; }' });
    await putSkill(rooms, 'user', 'alice', 'plot-bars', mine);
    await putSkill(rooms, 'team', 'lab', 'plot-bars', mine.replace('My Bars', 'Lab Bars').replace('Mine.', 'The lab’s.'));
    const forAlice = (await library.view(alice)).tools.filter((t) => t.id === 'plot-bars');
    expect(forAlice).toHaveLength(1);
    expect(forAlice[0]).toMatchObject({ title: 'My Bars', name: 'plot-bars', volume: { volume: 'user', volumeId: 'alice' } });
    const carol = (await library.view(user('carol', ['lab']))).tools.filter((t) => t.id === 'plot-bars');
    expect(carol.map((t) => t.title)).toEqual(['Lab Bars']);
    expect((await library.view(bob)).tools.find((t) => t.id === 'plot-bars')?.title).toBe('Bar Chart');
  });
});

describe('tools from workflows', () => {
  it('a three-node workflow (Python and JavaScript, wired): its open inputs with keys and defaults, its sink outputs', async () => {
    await putSkill(rooms, 'user', 'alice', 'double', DOUBLE);
    await putSkill(rooms, 'user', 'alice', 'add', ADD);
    await putWorkflow(rooms, 'user', 'alice', 'w1', 'Double then add!', THREE_NODES);
    const wf = tool((await library.view(alice)).tools, 'double-then-add');
    expect(wf).toMatchObject({ kind: 'workflow', title: 'Double then add!', id: 'w1', volume: { volume: 'user', volumeId: 'alice' } });
    // No description of its own: one made from its nodes, in the order they run.
    expect(wf.description).toBe('Runs 3 nodes: First → Double → Add');
    // n1.x and n3.x share a name, so both are keyed by node; n1's literal is its default.
    expect(wf.inputs).toEqual([
      { key: 'n1.x', node: 'n1', port: 'x', type: 'number', required: false },
      { key: 'b', node: 'n2', port: 'b', type: 'integer', required: false },
      { key: 'n3.x', node: 'n3', port: 'x', type: 'number', required: true },
    ]);
    expect(wf.inputSchema).toEqual({
      type: 'object',
      properties: {
        'n1.x': { type: 'number', default: 2, description: 'Input "x" of node "First" (n1): The number to double.' },
        b: { type: 'integer', default: 1, description: 'Input "b" of node "Add" (n2): What is added.' },
        'n3.x': { type: 'number', description: 'Input "x" of node "Double" (n3): The number to double.' },
      },
      required: ['n3.x'],
      additionalProperties: false,
    });
    // n1 feeds n2, so the sinks are n2 and n3.
    expect(wf.outputs).toEqual([
      { key: 'sum', node: 'n2', port: 'sum', type: 'number' },
      { key: 'y', node: 'n3', port: 'y', type: 'number' },
    ]);
    expect(wf.outputSchema).toMatchObject({ required: ['sum', 'y'], properties: { sum: { type: 'number', description: 'Output "sum" of node "Add" (n2)' } } });
  });

  it('skips a workflow that is empty or does not validate against the caller’s skills', async () => {
    await putSkill(rooms, 'user', 'alice', 'double', DOUBLE);
    await putSkill(rooms, 'user', 'alice', 'add', ADD);
    await putWorkflow(rooms, 'user', 'alice', 'empty', 'Empty', { nodes: [], edges: [] });
    await putWorkflow(rooms, 'user', 'alice', 'unknown', 'Unknown skill', { nodes: [node('a', 'no-such-skill')], edges: [] });
    await putWorkflow(rooms, 'user', 'alice', 'cycle', 'Cycle', { nodes: [node('a', 'double'), node('b', 'double')], edges: [edge('a', 'y', 'b', 'x'), edge('b', 'y', 'a', 'x')] });
    await putWorkflow(rooms, 'user', 'alice', 'mismatch', 'Mismatch', { nodes: [node('a', 'plot-bars', { data: { x: 1 } }), node('b', 'double')], edges: [edge('a', 'svg', 'b', 'x')] });
    await putWorkflow(rooms, 'user', 'alice', 'fine', 'Fine', { nodes: [node('a', 'double')], edges: [] }, 'Doubles once.');
    const workflows = (await library.view(alice)).tools.filter((t) => t.kind === 'workflow');
    expect(workflows.map((t) => [t.name, t.description])).toEqual([['fine', 'Doubles once.']]);
  });

  it('settles collisions the same way every time: skills first, then volume order; later ones get a hash of where they live', async () => {
    await putSkill(rooms, 'user', 'alice', 'double', DOUBLE);
    const one = { nodes: [node('a', 'double')], edges: [] };
    // "Plot Bars" slugs to a system skill's name; "Double" to the user's skill; two "Same" in two volumes.
    await putWorkflow(rooms, 'user', 'alice', 'wa', 'Plot Bars', one);
    await putWorkflow(rooms, 'user', 'alice', 'wb', 'Double', one);
    await putWorkflow(rooms, 'user', 'alice', 'wc', 'Same', one);
    await putWorkflow(rooms, 'team', 'lab', 'wd', 'Same', { nodes: [node('a', 'plot-bars', { data: { a: 1 } })], edges: [] });
    await putWorkflow(rooms, 'user', 'alice', 'we', '!!!', one);
    const alice2 = user('alice', ['lab']);
    const first = await library.view(alice2);
    const names = (f: (t: LibraryTool) => boolean) => first.tools.filter(f).map((t) => t.name);
    expect(names((t) => t.kind === 'skill' && t.id === 'plot-bars')).toEqual(['plot-bars']);
    expect(names((t) => t.kind === 'skill' && t.id === 'double')).toEqual(['double']);
    const wf = (id: string) => names((t) => t.kind === 'workflow' && t.id === id)[0] as string;
    expect(wf('wa')).toMatch(/^plot-bars-[0-9a-f]{6}$/);
    expect(wf('wb')).toMatch(/^double-[0-9a-f]{6}$/);
    expect(wf('wc')).toBe('same');
    expect(wf('wd')).toMatch(/^same-[0-9a-f]{6}$/);
    expect(wf('we')).toBe('workflow-we');
    expect(new Set(first.tools.map((t) => t.name)).size).toBe(first.tools.length);
    const second = await library.view(alice2);
    expect(second.tools.map((t) => t.name)).toEqual(first.tools.map((t) => t.name));
    // And from another library with nothing cached: the names come from the library, not from history.
    expect((await createLibrary(rooms).view(alice2)).tools.map((t) => t.name)).toEqual(first.tools.map((t) => t.name));
  });

  it('a share link to a workflow sees that workflow (and the system skills), never the rest of the volume', async () => {
    await putWorkflow(rooms, 'user', 'alice', 'w2', 'Shared chart', { nodes: [node('bars', 'plot-bars')], edges: [] });
    await putWorkflow(rooms, 'user', 'alice', 'w3', 'Private chart', { nodes: [node('bars', 'plot-bars')], edges: [] });
    await putSkill(rooms, 'user', 'alice', 'double', DOUBLE);
    for (const mode of ['read', 'write'] as const) {
      const { tools } = await library.view(share('user/alice/workflow/w2', mode));
      expect(tools.filter((t) => t.kind === 'workflow').map((t) => t.name)).toEqual(['shared-chart']);
      expect(tools.map((t) => t.name)).toContain('plot-bars');
      expect(tools.map((t) => t.name)).not.toContain('double');
    }
    expect((await library.view(bob)).tools.filter((t) => t.kind === 'workflow')).toEqual([]);
  });
});

describe('prompts and resources', () => {
  it('an instruction skill is a prompt, its files resources; readResource gives the bytes to its owner only', async () => {
    const pdf = skillMarkdown('name: PDF forms\nskill_id: pdf\ndescription: Fill PDF forms.', undefined, '# PDF\n\nRun `scripts/fill.py`.\n');
    await putSkill(rooms, 'user', 'alice', 'pdf', pdf, { 'scripts/fill.py': 'print("fill")\n', 'reference notes.md': '# Notes\n', 'data/form.bin': 'x' });
    const { prompts, resources, tools } = await library.view(alice);
    expect(tools.map((t) => t.name)).not.toContain('pdf');
    const prompt = prompts.find((p) => p.skillId === 'pdf');
    expect(prompt).toMatchObject({ name: 'pdf', title: 'PDF forms', description: 'Fill PDF forms.', body: '# PDF\n\nRun `scripts/fill.py`.\n', volume: { volume: 'user', volumeId: 'alice' } });
    const mine = resources.filter((r) => r.skillId === 'pdf');
    expect(mine.map((r) => [r.uri, r.mimeType, r.size])).toEqual([
      ['llmunix://user/alice/skills/pdf/data/form.bin', 'application/octet-stream', 1],
      ['llmunix://user/alice/skills/pdf/reference%20notes.md', 'text/markdown', 8],
      ['llmunix://user/alice/skills/pdf/scripts/fill.py', 'text/x-python', 14],
    ]);
    expect(prompt?.files).toEqual(mine.map((r) => r.uri));

    const read = await library.readResource(alice, 'llmunix://user/alice/skills/pdf/reference%20notes.md');
    expect(new TextDecoder().decode(read?.bytes)).toBe('# Notes\n');
    expect(read?.resource).toMatchObject({ path: 'reference notes.md', mimeType: 'text/markdown', skillId: 'pdf' });
    expect(await library.readResource(bob, 'llmunix://user/alice/skills/pdf/scripts/fill.py')).toBeUndefined();
    expect(await library.readResource(alice, 'llmunix://user/alice/skills/pdf/nope.txt')).toBeUndefined();
    expect(await library.readResource(alice, 'llmunix://user/../skills/pdf/x')).toBeUndefined();
    expect(await library.readResource(alice, 'llmunix://system/other/skills/pdf/x')).toBeUndefined();
    expect((await library.view(bob)).prompts.map((p) => p.skillId)).not.toContain('pdf');
  });
});
