import type { AwarenessEntry } from '../sync/awareness-update';

/**
 * Which connection speaks for which awareness client id in one room.
 *
 * y-protocols lets any peer set or remove any client's awareness state, so without this a
 * connection — a read-only one too — could wipe or freeze (with a huge clock) everyone else's
 * cursor and name, and could fill the room with thousands of ids. Here the first connection to
 * bring news for an id owns it until it leaves; another connection of the same identity may take
 * it over with a newer clock (a reconnect whose old socket has not timed out yet); anyone else's
 * entries for it are dropped. Stock clients echo every awareness change they receive, so entries
 * that would change nothing (an older or equal clock, or removing what is not there) are dropped
 * without claiming anything. A connection owns at most `maxPerPeer` ids (a stock client uses one).
 */
export class AwarenessOwners<Peer extends { readonly who: string }> {
  private readonly owners = new Map<number, Peer>();
  private readonly owned = new Map<Peer, Set<number>>();

  constructor(private readonly maxPerPeer: number) {}

  /**
   * The entries `peer` may apply, given the clock the room holds for each id (undefined for an
   * id never seen); `peer` becomes the owner of the ids among them.
   */
  admit(peer: Peer, entries: readonly AwarenessEntry[], clockOf: (clientId: number) => number | undefined): AwarenessEntry[] {
    const mine = this.owned.get(peer) ?? new Set<number>();
    this.owned.set(peer, mine);
    return entries.filter(({ clientId, clock, state }) => {
      const owner = this.owners.get(clientId);
      if (owner === peer) return true;
      const current = clockOf(clientId);
      const news = current === undefined ? state !== 'null' : clock > current;
      if (!news || (owner && owner.who !== peer.who) || mine.size >= this.maxPerPeer) return false;
      if (owner) this.owned.get(owner)?.delete(clientId);
      this.owners.set(clientId, peer);
      mine.add(clientId);
      return true;
    });
  }

  /**
   * Gives ids to `owner` whatever held them: states relayed from another server instance belong
   * to that instance's clients, and no connection here may speak for them.
   */
  adopt(owner: Peer, ids: readonly number[]): void {
    const theirs = this.owned.get(owner) ?? new Set<number>();
    this.owned.set(owner, theirs);
    for (const id of ids) {
      const previous = this.owners.get(id);
      if (previous === owner) continue;
      if (previous) this.owned.get(previous)?.delete(id);
      this.owners.set(id, owner);
      theirs.add(id);
    }
  }

  /** Lets go of those of `ids` that `owner` holds (their states are gone). */
  forget(owner: Peer, ids: readonly number[]): void {
    const theirs = this.owned.get(owner);
    for (const id of ids) {
      if (this.owners.get(id) !== owner) continue;
      this.owners.delete(id);
      theirs?.delete(id);
    }
  }

  /** Forgets a connection; returns the ids it owned, whose states go with it. */
  release(peer: Peer): number[] {
    const ids = [...(this.owned.get(peer) ?? [])];
    this.owned.delete(peer);
    for (const id of ids) this.owners.delete(id);
    return ids;
  }
}
