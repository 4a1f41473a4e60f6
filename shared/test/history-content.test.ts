/*
 * A version's content (shared/src/history/content.ts), its REST shape (rest-shape.ts) and the
 * base64 its skill files are held in.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendMessage, readMessages, writeSessionMeta } from '../src/documents/session';
import { writeSkillFiles } from '../src/documents/skill-files';
import { putSkillSource } from '../src/documents/volume-index';
import { putEdge, putNode, putNote, readWorkflowGraph, writeWorkflowMeta } from '../src/documents/workflow';
import { base64ToBytes, bytesToBase64 } from '../src/history/base64';
import { decodeSkillContent, encodeSkillContent, roomContentOf, roomDocOf, skillContentOf } from '../src/history/content';
import { restShapeOf } from '../src/history/rest-shape';
import { parseSubject, type HistorySubject } from '../src/history/version';
import { parseWorkflowFile, WORKFLOW_FORMAT, WORKFLOW_FORMAT_VERSION } from '../src/workflow/file';

const subject = (name: string): HistorySubject => {
  const parsed = parseSubject(name);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
};
const bytes = (s: string) => new TextEncoder().encode(s);

describe('base64', () => {
  it('round-trips bytes of every length and value, as Node encodes them', () => {
    for (let length = 0; length < 70; length++) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 97 + length * 31) % 256);
      const text = bytesToBase64(data);
      expect(text).toBe(Buffer.from(data).toString('base64'));
      expect(base64ToBytes(text)).toEqual(data);
    }
  });

  it('refuses what is not standard padded base64', () => {
    for (const bad of ['abc', 'ab=c', 'a$cd', 'YQ', 'YQ=', '====', 'Y===', 'ab\ncd']) expect(base64ToBytes(bad), bad).toBeUndefined();
    expect(base64ToBytes('')).toEqual(new Uint8Array());
  });
});

describe('skill version content', () => {
  function index(): Y.Doc {
    const doc = new Y.Doc();
    putSkillSource(doc, 'sq', '# Square\n');
    writeSkillFiles(doc, 'sq', [
      { path: 'scripts/z.py', bytes: bytes('z') },
      { path: 'assets/a.bin', bytes: new Uint8Array([0, 1, 254, 255]) },
    ]);
    return doc;
  }

  it('reads a skill\'s Markdown and files from its index, or null when it has none', () => {
    expect(skillContentOf(index(), 'sq')).toEqual({ markdown: '# Square\n', files: { 'assets/a.bin': 'AAH+/w==', 'scripts/z.py': 'eg==' } });
    expect(skillContentOf(index(), 'missing')).toBeNull();
    const bare = new Y.Doc();
    putSkillSource(bare, 'plain', 'x');
    expect(skillContentOf(bare, 'plain')).toEqual({ markdown: 'x', files: {} });
  });

  it('encodes to the same bytes whatever the files\' order, and decodes back', () => {
    const content = skillContentOf(index(), 'sq')!;
    const reordered = { markdown: content.markdown, files: Object.fromEntries(Object.entries(content.files).reverse()) };
    expect(encodeSkillContent(reordered)).toEqual(encodeSkillContent(content));
    expect(decodeSkillContent(encodeSkillContent(content))).toEqual(content);
  });

  it('refuses bytes that are not a skill version, saying why', () => {
    expect(() => decodeSkillContent(new Uint8Array([0xff, 0xfe]))).toThrow(/is not UTF-8 JSON/);
    expect(() => decodeSkillContent(bytes('[1]'))).toThrow(/is not a JSON object/);
    expect(() => decodeSkillContent(bytes('{"files":{}}'))).toThrow(/has no "markdown" string/);
    expect(() => decodeSkillContent(bytes('{"markdown":"","files":[]}'))).toThrow(/has no "files" object/);
    expect(() => decodeSkillContent(bytes('{"markdown":"","files":{"a.py":"%%"}}'))).toThrow(/file "a.py" that is not base64/);
  });
});

describe('room version content', () => {
  it('round-trips a room\'s document', () => {
    const doc = new Y.Doc();
    putNode(doc, { id: 'n', skillId: 's', label: 'L', position: { x: 1, y: 2 }, inputs: { a: [1] } });
    expect(readWorkflowGraph(roomDocOf(roomContentOf(doc)))).toEqual(readWorkflowGraph(doc));
  });

  it('refuses bytes that are not a whole Yjs document', () => {
    expect(() => roomDocOf(new Uint8Array([1, 2, 3, 4, 5]))).toThrow(/is not a Yjs document update/);
    // An update that builds on changes it does not carry.
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'a');
    const vector = Y.encodeStateVector(doc);
    doc.getText('t').insert(1, 'b');
    expect(() => roomDocOf(Y.encodeStateAsUpdate(doc, vector))).toThrow(/depends on changes it does not hold/);
  });
});

describe('restShapeOf', () => {
  it('gives a session version as GET /api/sessions/:id gives the session, without its address', () => {
    const doc = new Y.Doc();
    writeSessionMeta(doc, { id: 's1', name: 'Chat', volume: 'user', volume_id: 'alice', status: 'paused', created_at: 'c', updated_at: 'u', metadata: { k: 1 } });
    appendMessage(doc, { role: 'user', content: 'hi', timestamp: 't', traces: null, artifacts: ['a.png'] });
    expect(restShapeOf(subject('user/alice/session/s1'), roomContentOf(doc))).toEqual({
      name: 'Chat',
      status: 'paused',
      created_at: 'c',
      updated_at: 'u',
      metadata: { k: 1 },
      messages: readMessages(doc),
    });
  });

  it('gives a workflow version as its workflow file holds it', () => {
    const doc = new Y.Doc();
    writeWorkflowMeta(doc, { name: 'W', description: 'd', created_at: 'c', updated_at: 'u' });
    putNode(doc, { id: 'a', skillId: 's', label: 'A', position: { x: 1, y: 2 }, inputs: { v: 3 } });
    putNode(doc, { id: 'b', skillId: 's', label: 'B', position: { x: 3, y: 4 }, inputs: {} });
    putEdge(doc, { id: 'e', source: 'a', sourceHandle: 'o', target: 'b', targetHandle: 'i' });
    putNote(doc, { id: 't', text: 'note', position: { x: 0, y: 0 }, size: { width: 10, height: 10 }, color: 'pink' });
    const shape = restShapeOf(subject('user/alice/workflow/w1'), roomContentOf(doc));
    expect(shape).toEqual({ name: 'W', description: 'd', ...readWorkflowGraph(doc), notes: [{ id: 't', text: 'note', position: { x: 0, y: 0 }, size: { width: 10, height: 10 }, color: 'pink' }] });
    // With the format header it is a workflow file the app imports.
    const file = parseWorkflowFile(JSON.stringify({ format: WORKFLOW_FORMAT, version: WORKFLOW_FORMAT_VERSION, ...shape }));
    expect(file.ok).toBe(true);
  });

  it('gives a skill version as its Markdown and the paths of its files', () => {
    const content = { markdown: '# S\n', files: { 'b/x.txt': 'eA==', 'a.txt': 'eQ==' } };
    expect(restShapeOf(subject('team/t1/skill/sq'), encodeSkillContent(content))).toEqual({ skill_id: 'sq', markdown: '# S\n', files: ['a.txt', 'b/x.txt'] });
  });

  it('passes on a clear error for content that is not the subject\'s', () => {
    expect(() => restShapeOf(subject('team/t1/skill/sq'), new Uint8Array([1, 2]))).toThrow(/skill version's content/);
    expect(() => restShapeOf(subject('user/alice/workflow/w1'), bytes('{"markdown":""}'))).toThrow(/is not a Yjs document update/);
  });
});
