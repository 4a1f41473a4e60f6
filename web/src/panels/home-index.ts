import { useCallback, useState } from 'preact/hooks';
import { volumeRoom } from '../../../shared/src/rooms';
import { useIdentity, useRoom } from '../documents/hooks';
import { homeVolume, linkOnly, type VolumeRef } from '../documents/identity';
import type { Room } from '../documents/rooms';

/**
 * The person's own volume and its index room (null until its local copy is loaded, and for
 * someone who came only through share links, who has none to open).
 */
export function useHomeIndex(): { home: VolumeRef; room: Room | null } {
  const identity = useIdentity();
  const home = homeVolume(identity);
  const room = useRoom(linkOnly(identity) ? null : volumeRoom(home.volume, home.volumeId));
  return { home, room };
}

/**
 * What to tell the person when a write failed. Writes go to the local database, so they fail
 * only when it is broken (storage full, private mode); the message says what to try.
 */
export const failureMessage = (what: string, e: unknown): string =>
  `${what} failed: ${e instanceof Error ? e.message : String(e)}. Check the browser's storage space, reload and try again.`;

/** The last failed action of a panel, to show inline (`failureMessage`). */
export function useFailure(): { failure: string | null; watch: (what: string, action: Promise<unknown>) => void } {
  const [failure, setFailure] = useState<string | null>(null);
  const watch = useCallback((what: string, action: Promise<unknown>) => {
    setFailure(null);
    action.catch((e: unknown) => setFailure(failureMessage(what, e)));
  }, []);
  return { failure, watch };
}
