/*
 * The restore reconciler on seeded random histories (as yjs tests its types): a version and the
 * live room drift apart by random edits, then the room is restored while another peer edits it
 * concurrently. Whatever the seed: the restore reaches the version exactly, peers converge, a
 * second restore changes nothing, and undo brings back the state before the restore.
 */
import * as prng from 'lib0/prng';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendMessage, messageRefs, messagesOf, updateMessage, writeSessionMeta } from '../src/documents/session';
import { edgesOf, moveNode, nodesOf, noteText, notesOf, putEdge, putNode, putNote, removeNode, setNodeInput, writeWorkflowMeta } from '../src/documents/workflow';
import { restoreRoom } from '../src/history/restore';
import { roomRoots, type RoomKind } from '../src/history/room-roots';
import { peerOf, sync, updatesDuring } from './y-peers';

const SEEDS = [3, 17, 256, 4096, 65_537, 1_000_003];
const ROUNDS = 25;

const contentOf = (doc: Y.Doc, kind: RoomKind) => Object.fromEntries(roomRoots(doc, kind).map(([name, root]) => [name, root.toJSON()]));
const word = (gen: prng.PRNG) => prng.oneOf(gen, ['Square', 'Offset', 'Print', 'é', '😀', 'line\n', '']);

/** One random edit of a workflow, through the accessors the app uses. */
function editWorkflow(gen: prng.PRNG, doc: Y.Doc): void {
  const nodes = [...nodesOf(doc).keys()];
  const notes = [...notesOf(doc).keys()];
  const some = <T>(list: T[]) => (list.length > 0 ? prng.oneOf(gen, list) : undefined);
  const id = `n${prng.int32(gen, 0, 9)}`;
  const target = some(nodes);
  const note = some(notes);
  switch (prng.int32(gen, 0, 9)) {
    case 0:
      putNode(doc, { id, skillId: 's', label: word(gen), position: { x: prng.int32(gen, 0, 9), y: 0 }, inputs: { a: prng.int32(gen, 0, 3) } });
      break;
    case 1:
      if (target) removeNode(doc, target);
      break;
    case 2:
      if (target) moveNode(doc, target, { x: prng.int32(gen, 0, 9), y: prng.int32(gen, 0, 9) });
      break;
    case 3:
      if (target) setNodeInput(doc, target, prng.oneOf(gen, ['a', 'b']), prng.bool(gen) ? undefined : { v: [prng.int32(gen, 0, 3)] });
      break;
    case 4:
      if (target) nodesOf(doc).get(target)!.set('label', word(gen));
      break;
    case 5: {
      const to = some(nodes);
      if (target && to) putEdge(doc, { id: `e${prng.int32(gen, 0, 9)}`, source: target, sourceHandle: 'out', target: to, targetHandle: 'in' });
      break;
    }
    case 6: {
      const edge = some([...edgesOf(doc).keys()]);
      if (edge) edgesOf(doc).delete(edge);
      break;
    }
    case 7:
      if (note && prng.bool(gen)) {
        const text = noteText(doc, note)!;
        // Whole characters only, as an editor inserts and deletes them.
        const chars = [...text.toString()];
        const at = prng.int32(gen, 0, chars.length);
        const offset = chars.slice(0, at).join('').length;
        if (prng.bool(gen) && at < chars.length) text.delete(offset, chars[at]!.length);
        else text.insert(offset, word(gen));
      } else putNote(doc, { id: `t${prng.int32(gen, 0, 3)}`, text: word(gen), position: { x: 0, y: 0 }, size: { width: 100, height: 100 }, color: 'yellow' });
      break;
    case 8:
      if (note) notesOf(doc).delete(note);
      break;
    default:
      writeWorkflowMeta(doc, { name: word(gen) });
  }
}

/** One random edit of a session. */
function editSession(gen: prng.PRNG, doc: Y.Doc): void {
  const refs = messageRefs(doc);
  const ref = refs.length > 0 ? prng.oneOf(gen, refs) : undefined;
  switch (prng.int32(gen, 0, 4)) {
    case 0:
    case 1:
      appendMessage(doc, { role: prng.oneOf(gen, ['user', 'assistant'] as const), content: word(gen), timestamp: 't', traces: null, artifacts: null });
      break;
    case 2:
      if (ref) updateMessage(doc, ref, { content: `${String(ref.get('content'))}${word(gen)}`, skills_used: prng.bool(gen) ? ['s'] : undefined });
      break;
    case 3:
      if (refs.length > 0) messagesOf(doc).delete(prng.int32(gen, 0, refs.length - 1), 1);
      break;
    default:
      writeSessionMeta(doc, { name: word(gen), metadata: { k: prng.int32(gen, 0, 3) } });
  }
}

const EDITS: Record<RoomKind, (gen: prng.PRNG, doc: Y.Doc) => void> = { workflow: editWorkflow, session: editSession };

describe.each(['workflow', 'session'] as const)('restoring a %s room after random edits', (kind) => {
  /** A version and a live room that share a history and then drifted apart. */
  function drifted(gen: prng.PRNG): { version: Y.Doc; live: Y.Doc } {
    const edit = EDITS[kind];
    const base = new Y.Doc();
    for (let i = prng.int32(gen, 0, 15); i > 0; i--) edit(gen, base);
    const version = peerOf(base);
    for (let i = prng.int32(gen, 0, 10); i > 0; i--) edit(gen, version);
    const live = peerOf(base);
    for (let i = prng.int32(gen, 0, 10); i > 0; i--) edit(gen, live);
    return { version, live };
  }

  it.each(SEEDS)('reaches the version, changes nothing a second time, and undo and redo go exactly between the two (seed %i)', (seed) => {
    const gen = prng.create(seed);
    for (let round = 0; round < ROUNDS; round++) {
      const context = `${kind} seed ${seed} round ${round}`;
      const { version, live } = drifted(gen);
      const before = contentOf(live, kind);
      const undo = new Y.UndoManager(roomRoots(live, kind).map(([, root]) => root), { trackedOrigins: new Set(['local']) });
      live.transact(() => restoreRoom(live, version, kind), 'local');
      expect(contentOf(live, kind), context).toEqual(contentOf(version, kind));
      expect(updatesDuring(live, () => live.transact(() => restoreRoom(live, version, kind), 'local')), `${context}: a second restore`).toBe(0);
      undo.undo();
      expect(contentOf(live, kind), `${context}: undo`).toEqual(before);
      undo.redo();
      expect(contentOf(live, kind), `${context}: redo`).toEqual(contentOf(version, kind));
    }
  });

  it.each(SEEDS)('converges with a peer who edited concurrently, and the peers agree on undo (seed %i)', (seed) => {
    const gen = prng.create(seed);
    for (let round = 0; round < ROUNDS; round++) {
      const context = `${kind} seed ${seed} round ${round}`;
      const { version, live } = drifted(gen);
      const other = peerOf(live);
      const undo = new Y.UndoManager(roomRoots(live, kind).map(([, root]) => root), { trackedOrigins: new Set(['local']) });
      live.transact(() => restoreRoom(live, version, kind), 'local');
      for (let i = prng.int32(gen, 1, 4); i > 0; i--) EDITS[kind](gen, other);
      sync(live, other);
      expect(contentOf(other, kind), context).toEqual(contentOf(live, kind));
      undo.undo();
      sync(live, other);
      expect(contentOf(other, kind), `${context}: undo`).toEqual(contentOf(live, kind));
      // Restoring again on top of the merged edits still reaches the version.
      live.transact(() => restoreRoom(live, version, kind), 'local');
      expect(contentOf(live, kind), `${context}: restored again`).toEqual(contentOf(version, kind));
    }
  });
});
