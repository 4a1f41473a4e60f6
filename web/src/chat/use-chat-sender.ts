import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import type { Catalog } from '../documents/catalog';
import { currentIdentity } from '../documents/identity';
import type { Room, RoomSet } from '../documents/rooms';
import { sendPending } from './conversation';
import { toolTargetFor } from './workspace';

/**
 * Sends this browser's pending messages whenever there may be a way through: when the panel
 * opens, after each new message, when the browser comes online and when the room reconnects.
 * Returns the text streaming in for the answer being written, and a function to send now.
 */
export function useChatSender(rooms: RoomSet, room: Room | null, catalog: Catalog): { streaming: string | null; kick: () => void } {
  const [streaming, setStreaming] = useState<string | null>(null);
  const busy = useRef(false);
  const again = useRef(false);
  const catalogRef = useRef(catalog);
  catalogRef.current = catalog;

  const kick = useCallback(() => {
    if (!room) return;
    if (busy.current) {
      again.current = true;
      return;
    }
    busy.current = true;
    const doc: Y.Doc = room.doc;
    void sendPending(doc, {
      tools: () => toolTargetFor(rooms, doc, catalogRef.current),
      token: currentIdentity.get().token,
      onStream: (text) => setStreaming(text),
    })
      .catch(() => undefined)
      .finally(() => {
        busy.current = false;
        setStreaming(null);
        if (again.current) {
          again.current = false;
          kick();
        }
      });
  }, [rooms, room]);

  useEffect(() => {
    if (!room) return;
    kick();
    const onSync = (synced: boolean) => synced && kick();
    window.addEventListener('online', kick);
    room.provider.on('sync', onSync);
    return () => {
      window.removeEventListener('online', kick);
      room.provider.off('sync', onSync);
    };
  }, [room, kick]);

  return { streaming, kick };
}
