import * as Y from 'yjs';
import { encodePermissionDenied, encodeSyncStep1 } from '../sync/protocol';

/**
 * The clients of a room whose changes were refused before they were applied, while writes could
 * not be stored (the disk full). Never applied, a change is never half-stored: its client keeps
 * it, and once writes may be made again it is sent the room's state vector, which a y-websocket
 * client answers with every change the server lacks: the refused ones.
 */
export class RefusedWriters<P extends { send(message: Uint8Array): void }> {
  private readonly peers = new Set<P>();

  /**
   * Whether `update` from `peer` is refused now, when `reason` says writes are (null: they are
   * not). A client is told why once; an update the room already holds (a reconnect's echo) is
   * not refused.
   */
  refuses(reason: string | null, room: string, doc: Y.Doc, peer: P, update: Uint8Array): boolean {
    if (reason === null) return false;
    if (this.peers.has(peer)) return true;
    if (Y.snapshotContainsUpdate(Y.snapshot(doc), update)) return false;
    this.peers.add(peer);
    peer.send(encodePermissionDenied(`${reason}: your changes to "${room}" were not saved on the server. They are kept on this device and sent again by themselves once the server has space.`));
    return true;
  }

  /** The client left: nothing to ask it for. */
  forget(peer: P): void {
    this.peers.delete(peer);
  }

  /** Writes may be made again: every refused client is asked for what the room lacks. */
  askAgain(doc: Y.Doc): void {
    if (this.peers.size === 0) return;
    const step1 = encodeSyncStep1(doc);
    for (const peer of this.peers) peer.send(step1);
    this.peers.clear();
  }
}
