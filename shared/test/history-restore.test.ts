/*
 * The restore reconciler (shared/src/history/restore.ts): a restore is a minimal edit of the
 * live document, so what it leaves alone stays the same Yjs items (collaborators' concurrent
 * edits to them survive the merge) and undo of the restore brings back exactly what was there.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendMessage, messageRefs, readMessages, updateMessage, writeSessionMeta, type SessionMessage } from '../src/documents/session';
import { readSkillFiles, writeSkillFiles } from '../src/documents/skill-files';
import { getSkillSource, putSkillSource, skillsOf } from '../src/documents/volume-index';
import {
  edgesOf,
  moveNode,
  noteText,
  nodesOf,
  notesOf,
  putEdge,
  putNode,
  putNote,
  removeNode,
  setNodeInput,
  writeWorkflowMeta,
  type WorkflowNode,
} from '../src/documents/workflow';
import { skillContentOf } from '../src/history/content';
import { restoreRoom, restoreSkill } from '../src/history/restore';
import { ROOM_ROOTS, roomRoots, type RoomKind } from '../src/history/room-roots';
import { peerOf, sync, updatesDuring } from './y-peers';

const node = (id: string, label: string, inputs: WorkflowNode['inputs'] = {}): WorkflowNode => ({ id, skillId: `skill-${id}`, label, position: { x: 10, y: 20 }, inputs });
const edge = (id: string, source: string, target: string) => ({ id, source, sourceHandle: 'out', target, targetHandle: 'in' });

/** A workflow as a version holds it: three nodes in a chain and a note. */
function workflowVersion(): Y.Doc {
  const doc = new Y.Doc();
  writeWorkflowMeta(doc, { name: 'Pipeline', description: 'squares then offsets', created_at: '2026-12-01T00:00:00.000Z', updated_at: '2026-12-01T00:00:00.000Z' });
  putNode(doc, node('n1', 'Square', { x: 2, mode: 'fast' }));
  putNode(doc, node('n2', 'Offset', { by: 1 }));
  putNode(doc, node('n3', 'Print'));
  putEdge(doc, edge('e1', 'n1', 'n2'));
  putEdge(doc, edge('e2', 'n2', 'n3'));
  putNote(doc, { id: 't1', text: 'Line one\nLine two\nLine three\n', position: { x: 0, y: 0 }, size: { width: 200, height: 100 }, color: 'yellow' });
  return doc;
}

/** Every root the app reads, as JSON, to compare documents by. */
const contentOf = (doc: Y.Doc, kind: RoomKind) => Object.fromEntries(roomRoots(doc, kind).map(([name, root]) => [name, root.toJSON()]));

/** Where each change `fn` makes to `doc` lands: "root/path/key" for every key or index touched. */
function touchedDuring(doc: Y.Doc, kind: RoomKind, fn: () => void): string[] {
  const touched: string[] = [];
  const observers = roomRoots(doc, kind).map(([name, root]) => {
    const observer = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => {
      for (const event of events) {
        const at = [name, ...event.path].join('/');
        if (event.target instanceof Y.Map) for (const key of event.keys.keys()) touched.push(`${at}/${key}`);
        else touched.push(`${at}:${JSON.stringify(event.delta)}`);
      }
    };
    root.observeDeep(observer);
    return () => root.unobserveDeep(observer);
  });
  try {
    fn();
  } finally {
    for (const stop of observers) stop();
  }
  return touched.sort();
}

describe('restoring a workflow room', () => {
  it('makes every root the app reads equal the version, whatever changed since', () => {
    const version = workflowVersion();
    const live = peerOf(version);
    writeWorkflowMeta(live, { name: 'Renamed', updated_at: '2026-12-02T00:00:00.000Z' });
    setNodeInput(live, 'n1', 'x', 5);
    setNodeInput(live, 'n1', 'mode', undefined);
    setNodeInput(live, 'n1', 'extra', { deep: [1, 2] });
    moveNode(live, 'n2', { x: 99, y: 99 });
    removeNode(live, 'n3');
    putNode(live, node('n4', 'Added'));
    putEdge(live, edge('e3', 'n2', 'n4'));
    noteText(live, 't1')!.insert(9, 'and a half ');
    putNote(live, { id: 't2', text: 'new note', position: { x: 5, y: 5 }, size: { width: 100, height: 100 }, color: 'blue' });
    live.getMap('compound').set('skillId', 'drafted');
    expect(contentOf(live, 'workflow')).not.toEqual(contentOf(version, 'workflow'));

    restoreRoom(live, version, 'workflow');
    expect(contentOf(live, 'workflow')).toEqual(contentOf(version, 'workflow'));
    // And a peer that receives the restore converges on the same.
    const other = peerOf(live);
    expect(contentOf(other, 'workflow')).toEqual(contentOf(version, 'workflow'));
  });

  it('touches only what differs: equal nodes, fields and inputs stay the same Yjs items', () => {
    const version = workflowVersion();
    const live = peerOf(version);
    const n1 = nodesOf(live).get('n1')!;
    const n2 = nodesOf(live).get('n2')!;
    const inputs = n1.get('inputs');
    const note = noteText(live, 't1')!;
    nodesOf(live).get('n1')!.set('label', 'Square it');
    setNodeInput(live, 'n1', 'x', 3);
    moveNode(live, 'n2', { x: 1, y: 1 });
    edgesOf(live).delete('e1');
    note.insert(note.length, 'Line four\n');

    const touched = touchedDuring(live, 'workflow', () => restoreRoom(live, version, 'workflow'));
    expect(touched).toEqual([
      'edges/e1',
      'nodes/n1/inputs/x',
      'nodes/n1/label',
      'nodes/n2/position',
      `notes/t1/text:${JSON.stringify([{ retain: 'Line one\nLine two\nLine three\n'.length }, { delete: 'Line four\n'.length }])}`,
    ]);
    expect(nodesOf(live).get('n1')).toBe(n1);
    expect(nodesOf(live).get('n2')).toBe(n2);
    expect(n1.get('inputs')).toBe(inputs);
    expect(noteText(live, 't1')).toBe(note);
    expect(contentOf(live, 'workflow')).toEqual(contentOf(version, 'workflow'));
  });

  it('changes nothing, not even with an empty update, when the room already equals the version', () => {
    const version = workflowVersion();
    const live = peerOf(version);
    expect(updatesDuring(live, () => restoreRoom(live, version, 'workflow'))).toBe(0);
    // Equal content reached by other edits (a node removed and put back) is equal too.
    removeNode(live, 'n3');
    putNode(live, node('n3', 'Print'));
    putEdge(live, edge('e2', 'n2', 'n3'));
    expect(updatesDuring(live, () => restoreRoom(live, version, 'workflow'))).toBe(0);
  });

  it('restores in one transaction with the caller\'s origin', () => {
    const version = workflowVersion();
    const live = peerOf(version);
    removeNode(live, 'n1');
    moveNode(live, 'n2', { x: 0, y: 0 });
    const origins: unknown[] = [];
    live.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    live.transact(() => restoreRoom(live, version, 'workflow'), 'local');
    expect(origins).toEqual(['local']);
  });

  it('splices a note\'s text line by line: a change far from another\'s edit keeps both', () => {
    const version = workflowVersion();
    const text = noteText(version, 't1')!;
    text.delete(0, text.length);
    text.insert(0, Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n'));
    const live = peerOf(version);
    const t = noteText(live, 't1')!;
    // Since the version: line 5 and line 30 were edited here.
    t.insert(t.toString().indexOf('line 5') + 6, 'X');
    t.insert(t.toString().indexOf('line 30') + 7, 'Y');
    const other = peerOf(live);
    // Meanwhile another person edits line 20, which the version and the live text share.
    const o = noteText(other, 't1')!;
    o.insert(o.toString().indexOf('line 20') + 7, ' (theirs)');

    const deltas: unknown[] = [];
    t.observe((e) => deltas.push(e.delta));
    restoreRoom(live, version, 'workflow');
    // Two small deletions, the text between them left as it was.
    expect(deltas).toEqual([[{ retain: t.toString().indexOf('line 5') + 6 }, { delete: 1 }, { retain: expect.any(Number) }, { delete: 1 }]]);
    sync(live, other);
    const expected = text.toString().replace('line 20', 'line 20 (theirs)');
    expect(noteText(live, 't1')!.toString()).toBe(expected);
    expect(noteText(other, 't1')!.toString()).toBe(expected);
  });

  it('replaces a value whose shape differs from the version\'s (a plain object where a Y.Map belongs)', () => {
    const version = workflowVersion();
    const live = peerOf(version);
    nodesOf(live).get('n1')!.set('inputs', { x: 2, mode: 'fast' });
    notesOf(live).get('t1')!.set('text', 'plain string');
    restoreRoom(live, version, 'workflow');
    expect(nodesOf(live).get('n1')!.get('inputs')).toBeInstanceOf(Y.Map);
    expect(noteText(live, 't1')?.toString()).toBe('Line one\nLine two\nLine three\n');
    expect(contentOf(live, 'workflow')).toEqual(contentOf(version, 'workflow'));
  });

  it('empties roots the version never had and fills roots the live room lost', () => {
    const version = workflowVersion();
    const live = new Y.Doc();
    putNote(live, { id: 'only-live', text: 'x', position: { x: 0, y: 0 }, size: { width: 1, height: 1 }, color: 'grey' });
    live.getMap('compound').set('base', 'x');
    restoreRoom(live, version, 'workflow');
    expect(contentOf(live, 'workflow')).toEqual(contentOf(version, 'workflow'));
    expect(live.getMap('compound').size).toBe(0);
    // The copies belong to the live document: editing them leaves the version alone.
    setNodeInput(live, 'n1', 'x', 100);
    expect(nodesOf(version).get('n1')!.get('inputs')).toBeInstanceOf(Y.Map);
    expect((nodesOf(version).get('n1')!.get('inputs') as Y.Map<unknown>).get('x')).toBe(2);
  });
});

describe('a restore merged with a collaborator\'s concurrent edits', () => {
  it('keeps their edits to what the restore left alone, and both peers converge on it', () => {
    const version = workflowVersion();
    const alice = peerOf(version);
    const bob = peerOf(version);
    // Since the version, together: n1 renamed, n2 moved, a node added.
    nodesOf(alice).get('n1')!.set('label', 'Square²');
    moveNode(alice, 'n2', { x: 500, y: 500 });
    putNode(alice, node('n5', 'Later'));
    sync(alice, bob);

    // Offline from each other: Alice restores; Bob edits n3 (untouched by the restore), an input of n1 the restore keeps, the note, and n5 (which the restore removes).
    alice.transact(() => restoreRoom(alice, version, 'workflow'), 'local');
    nodesOf(bob).get('n3')!.set('label', 'Print nicely');
    setNodeInput(bob, 'n1', 'extra', true);
    noteText(bob, 't1')!.insert(0, 'Title\n');
    nodesOf(bob).get('n5')!.set('label', 'Later still');
    sync(alice, bob);

    expect(contentOf(alice, 'workflow')).toEqual(contentOf(bob, 'workflow'));
    expect(nodesOf(alice).get('n3')!.get('label')).toBe('Print nicely');
    expect((nodesOf(alice).get('n1')!.get('inputs') as Y.Map<unknown>).toJSON()).toEqual({ x: 2, mode: 'fast', extra: true });
    expect(nodesOf(alice).get('n1')!.get('label')).toBe('Square');
    expect(nodesOf(alice).get('n2')!.get('position')).toEqual({ x: 10, y: 20 });
    expect(noteText(alice, 't1')!.toString()).toBe('Title\nLine one\nLine two\nLine three\n');
    expect(nodesOf(alice).has('n5')).toBe(false);
  });
});

describe('undo of a restore', () => {
  it('brings back exactly the state before it, for the person and for the peer who saw it live', () => {
    const version = workflowVersion();
    const alice = peerOf(version);
    const bob = peerOf(version);
    writeWorkflowMeta(alice, { name: 'Renamed' });
    setNodeInput(alice, 'n1', 'x', 7);
    removeNode(alice, 'n3');
    putNode(alice, node('n4', 'Added', { a: 'b' }));
    putEdge(alice, edge('e3', 'n2', 'n4'));
    noteText(alice, 't1')!.insert(4, ' upon a time');
    sync(alice, bob);
    const before = contentOf(alice, 'workflow');

    const undo = new Y.UndoManager(roomRoots(alice, 'workflow').map(([, root]) => root), { trackedOrigins: new Set(['local']) });
    alice.transact(() => restoreRoom(alice, version, 'workflow'), 'local');
    sync(alice, bob);
    expect(contentOf(bob, 'workflow')).toEqual(contentOf(version, 'workflow'));
    expect(undo.undoStack).toHaveLength(1);

    undo.undo();
    expect(contentOf(alice, 'workflow')).toEqual(before);
    sync(alice, bob);
    expect(contentOf(bob, 'workflow')).toEqual(before);
    undo.redo();
    expect(contentOf(alice, 'workflow')).toEqual(contentOf(version, 'workflow'));
  });
});

const message = (content: string, over: Partial<SessionMessage> = {}): SessionMessage => ({
  role: 'user',
  content,
  timestamp: '2026-12-01T00:00:00.000Z',
  traces: null,
  artifacts: null,
  ...over,
});

function sessionVersion(): Y.Doc {
  const doc = new Y.Doc();
  writeSessionMeta(doc, { id: 's1', name: 'Chat', volume: 'user', volume_id: 'alice', status: 'active', created_at: 'c', updated_at: 'u', metadata: { model: 'm', tags: ['a'] } });
  appendMessage(doc, message('one'));
  appendMessage(doc, message('two', { role: 'assistant', traces: [{ step: 1 }] }));
  appendMessage(doc, message('three'));
  return doc;
}

describe('restoring a session room', () => {
  it('makes meta and messages equal the version, editing changed messages in place and keeping the rest', () => {
    const version = sessionVersion();
    const live = peerOf(version);
    const [one, two, three] = messageRefs(live);
    writeSessionMeta(live, { name: 'Renamed', metadata: { model: 'other' } });
    updateMessage(live, two!, { content: 'two, edited', skills_used: ['s'] });
    appendMessage(live, message('four'));
    appendMessage(live, message('five'));

    const touched = touchedDuring(live, 'session', () => restoreRoom(live, version, 'session'));
    expect(readMessages(live)).toEqual(readMessages(version));
    expect(contentOf(live, 'session')).toEqual(contentOf(version, 'session'));
    // The chat holds messages by reference: every message the version has is the same Y.Map.
    expect(messageRefs(live)).toEqual([one, two, three]);
    expect(messageRefs(live)[1]).toBe(two);
    expect(touched).toEqual([
      'messages/1/content',
      'messages/1/skills_used',
      `messages:${JSON.stringify([{ retain: 3 }, { delete: 2 }])}`,
      'meta/metadata',
      'meta/name',
    ]);
  });

  it('puts back messages deleted since the version, in their places', () => {
    const version = sessionVersion();
    const live = peerOf(version);
    const third = messageRefs(live)[2];
    live.getArray('messages').delete(0, 2);
    appendMessage(live, message('new'));
    restoreRoom(live, version, 'session');
    expect(readMessages(live)).toEqual(readMessages(version));
    expect(messageRefs(live)[2]).toBe(third);
  });

  it('keeps a message a collaborator appends while the restore is on its way', () => {
    const version = sessionVersion();
    const alice = peerOf(version);
    appendMessage(alice, message('regretted'));
    const bob = peerOf(alice);
    alice.transact(() => restoreRoom(alice, version, 'session'), 'local');
    appendMessage(bob, message('from bob'));
    sync(alice, bob);
    expect(readMessages(alice).map((m) => m.content)).toEqual(['one', 'two', 'three', 'from bob']);
    expect(readMessages(bob)).toEqual(readMessages(alice));
  });
});

describe('restoring a skill', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  const files = (doc: Y.Doc, id: string) => readSkillFiles(doc, id).map((f) => [f.path, new TextDecoder().decode(f.bytes)]);

  function indexWithSkill(): Y.Doc {
    const doc = new Y.Doc();
    putSkillSource(doc, 'sq', '---\nname: Square\n---\n# Square\n\nSquares x.\n\nMore text.\n');
    writeSkillFiles(doc, 'sq', [
      { path: 'scripts/run.py', bytes: bytes('print(1)\n') },
      { path: 'references/a.md', bytes: bytes('ref') },
    ]);
    putSkillSource(doc, 'other', 'untouched');
    return doc;
  }

  it('splices the Markdown, sets the files to the version\'s, and leaves other skills alone', () => {
    const old = indexWithSkill();
    const content = skillContentOf(old, 'sq')!;
    const live = peerOf(old);
    const text = skillsOf(live).get('sq')!;
    text.insert(text.toString().indexOf('Squares'), 'Quickly ');
    writeSkillFiles(live, 'sq', [
      { path: 'scripts/run.py', bytes: bytes('print(2)\n') },
      { path: 'assets/new.bin', bytes: new Uint8Array([0, 255]) },
    ]);
    const otherText = skillsOf(live).get('other');
    const deltas: unknown[] = [];
    text.observe((e) => deltas.push(e.delta));

    restoreSkill(live, 'sq', content);
    expect(skillContentOf(live, 'sq')).toEqual(content);
    expect(skillsOf(live).get('sq')).toBe(text);
    expect(deltas).toEqual([[{ retain: text.toString().indexOf('Squares') }, { delete: 'Quickly '.length }]]);
    expect(files(live, 'sq')).toEqual([
      ['references/a.md', 'ref'],
      ['scripts/run.py', 'print(1)\n'],
    ]);
    expect(skillsOf(live).get('other')).toBe(otherText);
    expect(getSkillSource(live, 'other')).toBe('untouched');
  });

  it('brings back a skill removed from the index, and a concurrent edit to its text survives', () => {
    const old = indexWithSkill();
    const content = skillContentOf(old, 'sq')!;
    const gone = new Y.Doc();
    restoreSkill(gone, 'sq', content);
    expect(skillContentOf(gone, 'sq')).toEqual(content);

    const alice = peerOf(old);
    skillsOf(alice).get('sq')!.insert(0, 'junk ');
    const bob = peerOf(alice);
    restoreSkill(alice, 'sq', content);
    const b = skillsOf(bob).get('sq')!;
    b.insert(b.length, 'Appendix.\n');
    sync(alice, bob);
    expect(getSkillSource(alice, 'sq')).toBe(`${content.markdown}Appendix.\n`);
    expect(getSkillSource(bob, 'sq')).toBe(getSkillSource(alice, 'sq'));
  });

  it('refuses content whose files are not base64 or not allowed, changing nothing', () => {
    const live = indexWithSkill();
    const before = skillContentOf(live, 'sq');
    expect(() => restoreSkill(live, 'sq', { markdown: 'x', files: { 'a.txt': 'not base64!' } })).toThrow(/"a.txt" is not base64/);
    expect(skillContentOf(live, 'sq')).toEqual(before);
    // Nor a file the index would refuse (a path leaving the skill's folder), not even the Markdown.
    expect(() => restoreSkill(live, 'sq', { markdown: 'x', files: { '../escape.txt': 'eA==' } })).toThrow(/cannot be restored: .*must stay inside the skill's folder/);
    expect(skillContentOf(live, 'sq')).toEqual(before);
  });
});

it('ROOM_ROOTS covers every root the document accessors write', () => {
  // A root added to a room's accessors without being listed would be left out of restores.
  const workflow = workflowVersion();
  expect([...workflow.share.keys()].filter((name) => !(name in ROOM_ROOTS.workflow))).toEqual([]);
  const session = sessionVersion();
  expect([...session.share.keys()].filter((name) => !(name in ROOM_ROOTS.session))).toEqual([]);
});
