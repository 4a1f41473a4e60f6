// ACCESS-3: a connection barred from some root types of its document is refused any update that
// changes them at any depth (inserts, edits inside nested types, deletions), and anything it
// sends that cannot be judged on its own; the rest of the document stays open to it.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { refusalOf, rootsChangedBy, type WritePolicy } from '../src/sync/write-policy';

const member: WritePolicy = { kind: 'except', roots: ['skills'] };

/** A client synced to a document. */
function clientOf(server: Y.Doc): Y.Doc {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  return client;
}

/** A server-side document with one skill and one workflow listing, and a client synced to it. */
function setup() {
  const server = new Y.Doc();
  server.getMap('skills').set('s1', new Y.Text('---\nname: S1\n---\n'));
  server.getMap('workflows').set('w1', new Y.Map<unknown>([['name', 'W1']]));
  return { server, client: clientOf(server) };
}

/** The update a change on the client produces. */
function updateOf(doc: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  change(doc);
  return Y.encodeStateAsUpdate(doc, before);
}

describe('write policy', () => {
  it('names the roots an update changes, however deep the change', () => {
    const { server, client } = setup();
    const edit = updateOf(client, (d) => (d.getMap('skills').get('s1') as Y.Text).insert(0, 'x'));
    expect(rootsChangedBy(server, edit)).toEqual(new Set(['skills']));
    const rename = updateOf(clientOf(server), (d) => (d.getMap('workflows').get('w1') as Y.Map<unknown>).set('name', 'W2'));
    expect(rootsChangedBy(server, rename)).toEqual(new Set(['workflows']));
    // The check must not change the document it judges.
    expect((server.getMap('skills').get('s1') as Y.Text).toString()).toBe('---\nname: S1\n---\n');
  });

  it('lets a member change listings but not skills: inserting, editing, or deleting one', () => {
    const { server, client } = setup();
    expect(refusalOf(member, server, updateOf(client, (d) => d.getMap('workflows').set('w2', new Y.Map())))).toBeNull();
    const barred = [
      updateOf(clientOf(server), (d) => d.getMap('skills').set('s2', new Y.Text('x'))),
      updateOf(clientOf(server), (d) => (d.getMap('skills').get('s1') as Y.Text).insert(3, 'evil')),
      updateOf(clientOf(server), (d) => d.getMap('skills').delete('s1')),
    ];
    for (const update of barred) expect(refusalOf(member, server, update)).toContain('"skills"');
  });

  it('refuses an update that depends on changes the server has not seen', () => {
    const { server, client } = setup();
    updateOf(client, (d) => d.getMap('skills').set('unseen', new Y.Text('x')));
    // This listing change follows the unseen skill in the client's own clock order.
    const next = updateOf(client, (d) => d.getMap('workflows').set('w3', new Y.Map()));
    expect(refusalOf(member, server, next)).toContain('reconnect');
    expect(refusalOf({ kind: 'any' }, server, next)).toBeNull();
  });

  it('refuses everything to a reader and nothing to a writer', () => {
    const { server, client } = setup();
    const update = updateOf(client, (d) => d.getMap('workflows').set('w2', new Y.Map()));
    expect(refusalOf({ kind: 'none' }, server, update)).toBe('read-only');
    expect(refusalOf({ kind: 'any' }, server, update)).toBeNull();
  });
});
