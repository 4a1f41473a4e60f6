import { useEffect, useState } from 'preact/hooks';
import { parseRoomName } from '../../../shared/src/rooms';
import { currentIdentity, readClaims, setIdentity } from '../documents/identity';

/**
 * Opening a share link (`/#/share/<token>`): the token is kept for its one room, and the room
 * opens with it. The page reloads so every connection is made again with the new token.
 */
export function ShareLink({ token }: { token: string }) {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const share = readClaims(token)?.share as { room?: unknown } | undefined;
    const room = typeof share?.room === 'string' ? parseRoomName(share.room) : null;
    // A run history opens with its workflow's link, never on its own (there is no view of it alone).
    if (!room?.ok || room.value.kind === 'volume' || room.value.kind === 'runs') {
      setError('This share link is not valid: ask for a new one.');
      return;
    }
    const { volume, volumeId, kind, id } = room.value;
    setIdentity({ shareTokens: { ...currentIdentity.get().shareTokens, [`${volume}/${volumeId}/${kind}/${id}`]: token } });
    location.replace(`#/${kind}/${volume}/${volumeId}/${id}`);
    location.reload();
  }, [token]);
  return (
    <div class="empty" data-testid="share-link">
      {error ?? 'Opening the shared room…'}
    </div>
  );
}
