/*
 * What changed between versions (shared/src/history/changes.ts): the graph changes a version
 * list names, a skill's line counts, a session's message counts, content equality regardless
 * of Yjs history, and the line diff the UI shows.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendMessage, messageRefs, updateMessage, writeSessionMeta, type SessionMessage } from '../src/documents/session';
import { moveNode, nodesOf, putEdge, putNode, putNote, removeEdge, removeNode, setNodeInput, writeWorkflowMeta, type WorkflowNode } from '../src/documents/workflow';
import { lineDiff, roomChanges, sameContent, sameSkillContent, skillChanges } from '../src/history/changes';
import { peerOf } from './y-peers';

const node = (id: string, label: string, skillId = `skill-${id}`): WorkflowNode => ({ id, skillId, label, position: { x: 0, y: 0 }, inputs: { n: 1 } });
const edge = (id: string, source: string, target: string) => ({ id, source, sourceHandle: 'out', target, targetHandle: 'in' });
const note = (id: string, text: string) => ({ id, text, position: { x: 0, y: 0 }, size: { width: 100, height: 100 }, color: 'yellow' as const });

function workflow(): Y.Doc {
  const doc = new Y.Doc();
  writeWorkflowMeta(doc, { name: 'W', description: 'd' });
  putNode(doc, node('a', 'Load'));
  putNode(doc, node('b', 'Square'));
  putNode(doc, node('c', 'Print'));
  putEdge(doc, edge('ab', 'a', 'b'));
  putEdge(doc, edge('bc', 'b', 'c'));
  putNote(doc, note('t', 'hello'));
  return doc;
}

describe('roomChanges for a workflow', () => {
  it('names the nodes added, removed and changed, counts edges and notes, and flags the name', () => {
    const before = workflow();
    const after = peerOf(before);
    putNode(after, node('d', 'Offset'));
    putNode(after, node('e', '', 'unlabelled-skill'));
    removeNode(after, 'c');
    moveNode(after, 'a', { x: 5, y: 5 });
    setNodeInput(after, 'b', 'n', 2);
    putEdge(after, edge('bd', 'b', 'd'));
    putEdge(after, edge('ab', 'a', 'd'));
    putNote(after, note('t2', 'another'));
    writeWorkflowMeta(after, { name: 'W2' });

    expect(roomChanges('workflow', before, after)).toEqual({
      kind: 'graph',
      nodes: {
        added: [
          { id: 'd', label: 'Offset' },
          { id: 'e', label: 'unlabelled-skill' },
        ],
        removed: [{ id: 'c', label: 'Print' }],
        changed: [
          { id: 'a', label: 'Load' },
          { id: 'b', label: 'Square' },
        ],
      },
      edges: { added: 1, removed: 1, changed: 1 },
      meta: true,
      notes: { added: 1, removed: 0, changed: 0 },
    });
  });

  it('calls everything added for a first version, and nothing changed between equal documents', () => {
    const doc = workflow();
    const first = roomChanges('workflow', null, doc);
    expect(first).toMatchObject({ kind: 'graph', edges: { added: 2, removed: 0, changed: 0 }, meta: true, notes: { added: 1, removed: 0, changed: 0 } });
    expect(first.kind === 'graph' && first.nodes.added.map((n) => n.label)).toEqual(['Load', 'Square', 'Print']);
    expect(roomChanges('workflow', doc, peerOf(doc))).toEqual({
      kind: 'graph',
      nodes: { added: [], removed: [], changed: [] },
      edges: { added: 0, removed: 0, changed: 0 },
      meta: false,
      notes: { added: 0, removed: 0, changed: 0 },
    });
  });
});

const message = (content: string, over: Partial<SessionMessage> = {}): SessionMessage => ({ role: 'user', content, timestamp: 't', traces: null, artifacts: null, ...over });

describe('roomChanges for a session', () => {
  it('counts messages added, removed and changed', () => {
    const before = new Y.Doc();
    writeSessionMeta(before, { id: 's', name: 'S' });
    for (const text of ['one', 'two', 'three', 'four']) appendMessage(before, message(text));
    const after = peerOf(before);
    const refs = messageRefs(after);
    updateMessage(after, refs[1]!, { content: 'two, streamed on' });
    after.getArray('messages').delete(3, 1);
    appendMessage(after, message('five'));
    appendMessage(after, message('six'));
    // "four" → "five" face each other at the end: one changed, "six" added; "two" changed.
    expect(roomChanges('session', before, after)).toEqual({ kind: 'messages', added: 1, removed: 0, changed: 2 });
    after.getArray('messages').delete(0, 3);
    expect(roomChanges('session', before, after)).toEqual({ kind: 'messages', added: 0, removed: 2, changed: 2 });
    expect(roomChanges('session', null, before)).toEqual({ kind: 'messages', added: 4, removed: 0, changed: 0 });
  });
});

describe('sameContent', () => {
  it('compares content, not Yjs history or key order', () => {
    const a = workflow();
    const b = new Y.Doc();
    // The same workflow written in another order, with edits undone along the way.
    putNote(b, note('t', 'hello'));
    putNode(b, node('c', 'Print'));
    putNode(b, node('b', 'Square'));
    putNode(b, node('a', 'Load'));
    putNode(b, node('x', 'Gone'));
    removeNode(b, 'x');
    putEdge(b, edge('bc', 'b', 'c'));
    putEdge(b, edge('ab', 'a', 'b'));
    writeWorkflowMeta(b, { description: 'd', name: 'W' });
    expect(sameContent('workflow', a, b)).toBe(true);
    expect(sameContent('workflow', b, a)).toBe(true);
    removeEdge(b, 'ab');
    expect(sameContent('workflow', a, b)).toBe(false);
  });

  it('tells apart a node\'s inputs as a Y.Map from the same inputs as a plain object', () => {
    const a = workflow();
    const b = peerOf(a);
    expect(sameContent('workflow', a, b)).toBe(true);
    nodesOf(b).get('a')!.set('inputs', { n: 1 });
    expect(sameContent('workflow', a, b)).toBe(false);
  });

  it('sees a change to a root only the draft of a compound uses, and to a session\'s metadata', () => {
    const a = workflow();
    const b = peerOf(a);
    b.getMap('compound').set('skillId', 's');
    expect(sameContent('workflow', a, b)).toBe(false);
    const s = new Y.Doc();
    writeSessionMeta(s, { id: 's', metadata: { k: [1, { x: 2 }] } });
    const t = peerOf(s);
    expect(sameContent('session', s, t)).toBe(true);
    writeSessionMeta(t, { metadata: { k: [1, { x: 3 }] } });
    expect(sameContent('session', s, t)).toBe(false);
  });
});

describe('skillChanges', () => {
  const b64 = (s: string) => btoa(s);

  it('counts the Markdown\'s lines added and removed, and the files added, removed and changed', () => {
    const before = { markdown: '# Skill\n\nOne.\nTwo.\nThree.\n', files: { 'a.py': b64('a'), 'b.py': b64('b'), 'c.py': b64('c') } };
    const after = { markdown: '# Skill\n\nOne!\nTwo.\nThree.\nFour.\nFive.\n', files: { 'a.py': b64('a'), 'b.py': b64('B'), 'd.py': b64('d') } };
    expect(skillChanges(before, after)).toEqual({ kind: 'text', added: 3, removed: 1, files: { added: 1, removed: 1, changed: 1 } });
  });

  it('counts every line as added for a first version, and nothing for equal content', () => {
    const content = { markdown: 'a\nb\nc', files: { 'x.txt': b64('x') } };
    expect(skillChanges(null, content)).toEqual({ kind: 'text', added: 3, removed: 0, files: { added: 1, removed: 0, changed: 0 } });
    expect(skillChanges(content, { ...content })).toEqual({ kind: 'text', added: 0, removed: 0, files: { added: 0, removed: 0, changed: 0 } });
  });

  it('tells equal skill contents from different ones, whatever the files\' order', () => {
    const a = { markdown: 'm', files: { 'x.txt': b64('x'), 'y.txt': b64('y') } };
    expect(sameSkillContent(a, { markdown: 'm', files: { 'y.txt': b64('y'), 'x.txt': b64('x') } })).toBe(true);
    expect(sameSkillContent(a, { markdown: 'm', files: { 'x.txt': b64('x') } })).toBe(false);
    expect(sameSkillContent(a, { ...a, markdown: 'n' })).toBe(false);
    expect(sameSkillContent(null, a)).toBe(false);
    expect(sameSkillContent(null, null)).toBe(true);
  });

  it('reads file names like "constructor" as files, not object properties', () => {
    expect(skillChanges({ markdown: '', files: {} }, { markdown: '', files: { constructor: b64('x'), __proto__x: b64('y') } })).toMatchObject({ files: { added: 2, removed: 0, changed: 0 } });
  });
});

describe('lineDiff', () => {
  it('gives hunks with context and line numbers in each text', () => {
    const a = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const b = a.replace('line 3\n', 'line three\n').replace('line 18\n', '');
    const hunks = lineDiff(a, b, 1);
    expect(hunks).toEqual([
      {
        oldStart: 2,
        oldLines: 3,
        newStart: 2,
        newLines: 3,
        lines: [
          { op: 'same', text: 'line 2' },
          { op: 'removed', text: 'line 3' },
          { op: 'added', text: 'line three' },
          { op: 'same', text: 'line 4' },
        ],
      },
      {
        oldStart: 17,
        oldLines: 3,
        newStart: 17,
        newLines: 2,
        lines: [
          { op: 'same', text: 'line 17' },
          { op: 'removed', text: 'line 18' },
          { op: 'same', text: 'line 19' },
        ],
      },
    ]);
    expect(lineDiff(a, a)).toEqual([]);
  });

  it('marks a last line without a newline instead of listing patch syntax as a line', () => {
    expect(lineDiff('a\nb\n', 'a\nb')).toEqual([
      {
        oldStart: 1,
        oldLines: 2,
        newStart: 1,
        newLines: 2,
        lines: [
          { op: 'same', text: 'a' },
          { op: 'removed', text: 'b' },
          { op: 'added', text: 'b', noNewline: true },
        ],
      },
    ]);
  });
});

