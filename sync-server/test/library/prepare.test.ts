// Prepared runs: a caller's inputs written into the graph as node literals, each checked and
// refused with a message naming the node and input; workflows the caller may not read refused
// as REST refuses them; and a prepared run that the real executor runs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trashWorkflow } from '../../../shared/src/documents/trash';
import { runWorkflow } from '../../../shared/src/execution/executor';
import type { Json } from '../../../shared/src/json';
import { volumeRoom } from '../../../shared/src/rooms';
import { nodeRuntimes } from '../../src/headless/runtimes';
import { HttpError } from '../../src/http/errors';
import type { ServerLibrary } from '../../src/library/library';
import { RunInputError, SKILL_NODE, type LibraryTool } from '../../src/library/types';
import type { Rooms } from '../../src/rooms/rooms';
import { ADD, DOUBLE, libraryRooms, putSkill, putWorkflow, share, THREE_NODES, user } from './library-rooms';

let rooms: Rooms;
let library: ServerLibrary;
let close: () => Promise<void>;
const alice = user('alice');
const W1 = { volume: 'user', volumeId: 'alice' } as const;

beforeEach(async () => {
  ({ rooms, library, close } = await libraryRooms());
  await putSkill(rooms, 'user', 'alice', 'double', DOUBLE);
  await putSkill(rooms, 'user', 'alice', 'add', ADD);
  await putWorkflow(rooms, 'user', 'alice', 'w1', 'Double then add', THREE_NODES);
});
afterEach(() => close());

async function toolNamed(name: string): Promise<LibraryTool> {
  const found = (await library.view(alice)).tools.find((t) => t.name === name);
  if (!found) throw new Error(`no tool ${name}`);
  return found;
}

/** The RunInputError a prepare throws. */
async function inputError(run: Promise<unknown>): Promise<RunInputError> {
  const e = await run.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(RunInputError);
  return e as RunInputError;
}

describe('prepareWorkflow', () => {
  it('writes the inputs as node literals and resolves skills as the caller sees them', async () => {
    const run = await library.prepareWorkflow(alice, W1, 'w1', { 'n3.x': 5, 'n2.b': 3, 'First.x': 4 });
    expect(run).toMatchObject({ name: 'Double then add', kind: 'workflow', workflowRoom: 'user/alice/workflow/w1', total: 3 });
    expect(Object.fromEntries(run.graph.nodes.map((n) => [n.id, n.inputs]))).toEqual({ n1: { x: 4 }, n2: { b: 3 }, n3: { x: 5 } });
    expect(run.outputs.map((o) => o.key)).toEqual(['sum', 'y']);
    // Tracebacks name the stored file.
    expect(run.resolve('double')?.skill.file).toBe('volumes/user/alice/skills/double.md');
    expect(run.resolve('plot-bars')?.skill.file).toBe('volumes/system/system/skills/plot-bars.md');
    expect(run.library('double')?.name).toBe('Double');
    expect(run.compounds('weather-summary-csv')?.kind).toBe('compound');
  });

  it('refuses bad inputs with a RunInputError naming the node and input', async () => {
    const prepare = (inputs: Record<string, Json>) => inputError(library.prepareWorkflow(alice, W1, 'w1', inputs));

    const notKey = await prepare({ x: 1 });
    expect(notKey.message).toBe('input key "x" is not of the form "<node id>.<input>"; the workflow\'s nodes are "n1" ("First"), "n2", "n3"');

    const unknownNode = await prepare({ 'zz.x': 1, 'n3.x': 1 });
    expect(unknownNode.message).toBe('the workflow has no node "zz"; its nodes are "n1" ("First"), "n2", "n3"');
    expect(unknownNode).toMatchObject({ node: 'zz', input: 'x' });

    const unknownInput = await prepare({ 'n2.q': 1 });
    expect(unknownInput.message).toBe('node "n2" has no input "q"; its inputs are "a" (number), "b" (integer)');
    expect(unknownInput).toMatchObject({ node: 'n2', input: 'q' });

    const wired = await prepare({ 'n2.a': 1 });
    expect(wired.message).toBe('input "a" of node "n2" is fed by output "y" of node "n1", so it takes no value; leave it out (or set an input of "n1")');

    const wrongType = await prepare({ 'n2.b': 'abc' });
    expect(wrongType.message).toBe('input "b" of node "n2" must be an integer, got "abc"');
    expect((await prepare({ 'n2.b': 1.5 })).message).toBe('input "b" of node "n2" must be an integer, got 1.5');
    expect((await prepare({ 'n3.x': [1] })).message).toBe('input "x" of node "n3" must be a number, got [1]');

    const missing = await prepare({});
    expect(missing.message).toBe('input "x" of node "n3" is required (number) and has no value: pass it as "n3.x"');
    expect(missing).toMatchObject({ node: 'n3', input: 'x' });
  });

  it('refuses a workflow the caller may not read (403), one that does not exist or is in the trash (404), one that cannot run (422)', async () => {
    const refused = async (identity: Parameters<ServerLibrary['prepareWorkflow']>[0], ref: typeof W1 | { volume: 'user'; volumeId: string }, id: string) => {
      const e = await library.prepareWorkflow(identity, ref, id, {}).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(e).toBeInstanceOf(HttpError);
      return e as HttpError;
    };
    expect((await refused(user('bob'), W1, 'w1')).code).toBe('forbidden');
    expect((await refused(share('user/alice/workflow/other', 'read'), W1, 'w1')).code).toBe('forbidden');
    expect(await refused(alice, W1, 'nope')).toMatchObject({ code: 'not_found', message: 'No workflow "nope" in user/alice.' });
    expect((await refused(alice, W1, '../x')).code).toBe('not_found');
    expect((await refused(alice, { volume: 'system', volumeId: 'other' } as unknown as typeof W1, 'w1')).code).toBe('not_found');
    await rooms.use(volumeRoom('user', 'alice'), (r) => trashWorkflow(r.doc, W1, 'w1', { by: 'alice', at: '2026-01-02T00:00:00.000Z' }));
    const trashed = await refused(alice, W1, 'w1');
    expect(trashed.code).toBe('not_found');
    expect(trashed.message).toBe('No workflow "w1" in user/alice (it is in the trash; restore it first: POST /api/trash/user.alice.workflow.w1/restore).');
    await putWorkflow(rooms, 'user', 'alice', 'broken', 'Broken', { nodes: [{ id: 'a', skillId: 'gone', label: '', position: { x: 0, y: 0 }, inputs: {} }], edges: [] });
    const broken = await refused(alice, W1, 'broken');
    expect(broken.code).toBe('unprocessable');
    expect(broken.message).toContain('uses skill "gone", which is in none of your volumes');
  });

  it('a read share link may run its workflow (with the skills it can read)', async () => {
    await putWorkflow(rooms, 'user', 'alice', 'w2', 'Chart', { nodes: [{ id: 'bars', skillId: 'plot-bars', label: '', position: { x: 0, y: 0 }, inputs: {} }], edges: [] });
    const run = await library.prepareWorkflow(share('user/alice/workflow/w2', 'read'), W1, 'w2', { 'bars.data': { a: 1 } });
    expect(run.graph.nodes[0]?.inputs).toEqual({ data: { a: 1 } });
    // Its three-node sibling uses alice's own skills, which the link cannot read.
    const e = await library.prepareWorkflow(share('user/alice/workflow/w1', 'read'), W1, 'w1', { 'n3.x': 1 }).catch((error: unknown) => error);
    expect(e).toMatchObject({ code: 'unprocessable' });
  });
});

describe('prepareTool', () => {
  it('takes a workflow tool’s keys, and refuses an unknown argument or a missing required one', async () => {
    const tool = await toolNamed('double-then-add');
    const run = await library.prepareTool(alice, tool, { 'n3.x': 5, b: 2 });
    expect(Object.fromEntries(run.graph.nodes.map((n) => [n.id, n.inputs]))).toEqual({ n1: { x: 2 }, n2: { b: 2 }, n3: { x: 5 } });
    const unknown = await inputError(library.prepareTool(alice, tool, { x: 1 }));
    expect(unknown.message).toBe('tool "double-then-add" has no argument "x"; its arguments are "n1.x", "b", "n3.x"');
    const missing = await inputError(library.prepareTool(alice, tool, { b: 2 }));
    expect(missing.message).toBe('input "x" of node "n3" is required (number) and has no value: pass it as "n3.x"');
  });

  it('runs a skill as its one node; a compound skill counts its inner nodes', async () => {
    const bars = await toolNamed('plot-bars');
    const missing = await inputError(library.prepareTool(alice, bars, {}));
    expect(missing.message).toBe(`input "data" of node "${SKILL_NODE}" is required (object) and has no value: pass it as "data"`);
    const wrong = await inputError(library.prepareTool(alice, bars, { data: 'x' }));
    expect(wrong.message).toBe(`input "data" of node "${SKILL_NODE}" must be an object, got "x"`);
    const compound = await library.prepareTool(alice, await toolNamed('weather-summary-csv'), {});
    expect(compound).toMatchObject({ kind: 'skill', name: 'weather-summary-csv', total: 3 });
    expect(compound.workflowRoom).toBeUndefined();
  });

  it('a prepared skill really runs in the executor with the server’s runtimes', async () => {
    const run = await library.prepareTool(alice, await toolNamed('plot-bars'), { data: { a: 1, b: 3 }, title: 'Two' });
    const runtimes = nodeRuntimes();
    try {
      const report = await runWorkflow({ graph: run.graph, resolve: run.resolve, library: run.library, compounds: run.compounds, runtimes });
      expect(report.issues).toEqual([]);
      const outputs = report.nodes[SKILL_NODE]?.outputs ?? {};
      const result = Object.fromEntries(run.outputs.map((o) => [o.key, outputs[o.port]]));
      expect(result).toMatchObject({ top_label: 'b', labels: ['a', 'b'], values: [1, 3] });
      expect(result.svg).toContain('Two');
    } finally {
      await runtimes.close();
    }
  });
});
