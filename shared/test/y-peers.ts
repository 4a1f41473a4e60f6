import * as Y from 'yjs';

/*
 * Peers of a Yjs document in one process, synced by exchanging updates the way the server
 * relays them: for tests of what two clients see after concurrent edits.
 */

/** Sends each document's missing updates to the other, so both converge. */
export function sync(a: Y.Doc, b: Y.Doc): void {
  const sa = Y.encodeStateVector(a);
  const sb = Y.encodeStateVector(b);
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, sb));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, sa));
}

/** A second peer holding a copy of `doc`. */
export function peerOf(doc: Y.Doc): Y.Doc {
  const peer = new Y.Doc();
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
  return peer;
}

/** Counts the 'update' events `fn` causes on `doc`. */
export function updatesDuring(doc: Y.Doc, fn: () => void): number {
  let count = 0;
  const on = () => count++;
  doc.on('update', on);
  try {
    fn();
  } finally {
    doc.off('update', on);
  }
  return count;
}
