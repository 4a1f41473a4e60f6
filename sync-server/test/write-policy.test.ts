// ACCESS-3: a connection barred from some root types of its document is refused any update that
// changes them at any depth (inserts, edits inside nested types, deletions), and anything it
// sends that cannot be judged on its own; the rest of the document stays open to it.
import * as prng from 'lib0/prng';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { rootsChangedBy } from '../src/sync/roots-changed';
import { putSkillOrigin, writeSkillFiles } from '../../shared/src/documents/skill-files';
import { restoreFromTrash, trashSkill, trashWorkflow } from '../../shared/src/documents/trash';
import { refusalOf, writePolicyOf, type WritePolicy } from '../src/sync/write-policy';

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

  it("bars a team member from a skill's files and origin as from the skill itself, and lets an admin write them", () => {
    const room = { kind: 'volume', volume: 'team', volumeId: 'lab' } as const;
    const memberPolicy = writePolicyOf({ read: true, write: true, writeSkills: false }, room);
    const adminPolicy = writePolicyOf({ read: true, write: true, writeSkills: true }, room);
    const { server } = setup();
    const files = updateOf(clientOf(server), (d) => writeSkillFiles(d, 's1', [{ path: 'scripts/x.py', bytes: new Uint8Array([1, 2]) }]));
    const origin = updateOf(clientOf(server), (d) => putSkillOrigin(d, 's1', 's1/SKILL.md'));
    expect(refusalOf(memberPolicy, server, files)).toBe('you may not change "skillFiles"');
    expect(refusalOf(memberPolicy, server, origin)).toBe('you may not change "skillOrigins"');
    expect(refusalOf(adminPolicy, server, files)).toBeNull();
    expect(refusalOf(adminPolicy, server, origin)).toBeNull();
    const listing = updateOf(clientOf(server), (d) => d.getMap('workflows').set('w9', new Y.Map()));
    expect(refusalOf(memberPolicy, server, listing)).toBeNull();
  });

  it("bars a team member from the skills' trash (deleting, restoring or forgetting a skill) but not from the trash of workflows and sessions", () => {
    const room = { kind: 'volume', volume: 'team', volumeId: 'lab' } as const;
    const memberPolicy = writePolicyOf({ read: true, write: true, writeSkills: false }, room);
    const adminPolicy = writePolicyOf({ read: true, write: true, writeSkills: true }, room);
    const { server } = setup();
    const stamp = { by: 'admin', at: '2026-02-01T00:00:00.000Z' };
    const trashing = updateOf(clientOf(server), (d) => trashSkill(d, room, 's1', stamp));
    expect(refusalOf(memberPolicy, server, trashing)).toBe('you may not change "skills", "skillTrash"');
    expect(refusalOf(adminPolicy, server, trashing)).toBeNull();
    Y.applyUpdate(server, trashing);
    const restoring = updateOf(clientOf(server), (d) => restoreFromTrash(d, room, 'team.lab.skill.s1'));
    expect(refusalOf(memberPolicy, server, restoring)).toBe('you may not change "skills", "skillTrash"');
    const forgetting = updateOf(clientOf(server), (d) => d.getMap('skillTrash').delete('team.lab.skill.s1'));
    expect(refusalOf(memberPolicy, server, forgetting)).toBe('you may not change "skillTrash"');
    const workflow = updateOf(clientOf(server), (d) => trashWorkflow(d, room, 'w1', stamp));
    expect(refusalOf(memberPolicy, server, workflow)).toBeNull();
  });

  it('refuses everything to a reader and nothing to a writer', () => {
    const { server, client } = setup();
    const update = updateOf(client, (d) => d.getMap('workflows').set('w2', new Y.Map()));
    expect(refusalOf({ kind: 'none' }, server, update)).toBe('read-only');
    expect(refusalOf({ kind: 'any' }, server, update)).toBeNull();
  });
});

/**
 * The slow, obviously right answer: apply the update to a copy of the document and ask Yjs which
 * types the transaction changed. Null when Yjs holds the update (or part of it) pending.
 */
function oracle(doc: Y.Doc, update: Uint8Array): Set<string> | null {
  const trial = new Y.Doc({ gc: false });
  Y.applyUpdate(trial, Y.encodeStateAsUpdate(doc));
  const roots = new Set<string>();
  trial.on('afterTransaction', (tr: Y.Transaction) => {
    for (const type of tr.changed.keys()) {
      let root = type;
      while (root._item && root._item.parent instanceof Y.AbstractType) root = root._item.parent;
      for (const [name, shared] of trial.share) if (shared === root) roots.add(name);
    }
  });
  Y.applyUpdate(trial, update);
  return trial.store.pendingStructs || trial.store.pendingDs ? null : roots;
}

describe('reading the roots from the update', () => {
  it('agrees with applying it to a copy, over seeded random edits, reconnects and held-back updates', () => {
    const seed = Number(process.env.FUZZ_SEED ?? 8);
    const gen = prng.create(seed);
    const server = new Y.Doc();
    const clients = [1, 2, 3].map(() => clientOf(server));
    const roots = ['skills', 'workflows', 'sessions'];
    let compared = 0;
    let judged = 0;
    let pending = 0;
    for (let step = 0; step < 600; step++) {
      const client = prng.oneOf(gen, clients);
      const before = Y.encodeStateVector(client);
      const map = client.getMap<unknown>(prng.oneOf(gen, roots));
      const keys = [...map.keys()];
      const key = keys.length && prng.bool(gen) ? prng.oneOf(gen, keys) : `k${prng.uint32(gen, 0, 30)}`;
      const value = map.get(key);
      const op = prng.uint32(gen, 0, 4);
      if (op === 0) map.delete(key);
      else if (op === 1) map.set(key, new Y.Text(prng.word(gen)));
      else if (op === 2) map.set(key, new Y.Map<unknown>([['name', prng.word(gen)], ['inner', new Y.Text('x')]]));
      else if (value instanceof Y.Text) {
        if (value.length > 2 && prng.bool(gen)) value.delete(1, 1);
        else value.insert(0, prng.word(gen, 1, 3));
      }
      else if (value instanceof Y.Map) {
        const inner = value.get('inner');
        if (inner instanceof Y.Text) inner.insert(inner.length, prng.word(gen, 1, 2));
        else value.set('name', prng.word(gen));
      } else map.set(key, prng.int31(gen, 0, 100));
      // Sometimes the incremental update; sometimes a reconnect's whole sync step 2, with every deletion.
      const update = prng.bool(gen) ? Y.encodeStateAsUpdate(client, before) : Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
      const expected = oracle(server, update);
      expect(rootsChangedBy(server, update), `step ${step} (seed ${seed})`).toEqual(expected);
      compared++;
      if (!expected) pending++;
      // Most updates reach the server; some are held back, so later ones depend on what it lacks.
      if (expected && prng.uint32(gen, 0, 9) > 0) {
        Y.applyUpdate(server, update);
        judged++;
        // Clients hear of each other's changes now and then.
        if (prng.bool(gen)) for (const c of clients) Y.applyUpdate(c, Y.encodeStateAsUpdate(server, Y.encodeStateVector(c)));
      }
    }
    expect(compared).toBe(600);
    expect(judged).toBeGreaterThan(300);
    expect(pending).toBeGreaterThan(10);
  });
});
