import { useCallback, useEffect, useState } from 'preact/hooks';
import type { WebsocketProvider } from 'y-websocket';
import type { NodeStatus } from '../../../shared/src/execution/types';
import { useIdentity } from '../documents/hooks';
import { colourInRoom } from '../documents/room-colour';

/** A collaborator in the same room, from Yjs awareness (never stored). */
export interface Peer {
  clientId: number;
  name: string;
  color: string;
  /** Pointer position in canvas (flow) coordinates, or none when outside the canvas. */
  cursor: { x: number; y: number } | null;
  selection: string[];
  /** The states of the nodes in their latest run (web/src/run), node id → status. */
  run: Record<string, NodeStatus>;
}

const STATUSES: readonly string[] = ['queued', 'running', 'cached', 'done', 'error', 'skipped', 'cancelled'];

function readRun(value: unknown): Record<string, NodeStatus> {
  if (!value || typeof value !== 'object') return {};
  // Another client's data: keep only well-formed entries, as own properties.
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter((e): e is [string, NodeStatus] => typeof e[1] === 'string' && STATUSES.includes(e[1])),
  );
}

function readPeer(clientId: number, state: Record<string, unknown>): Peer | null {
  const user = state.user as { name?: unknown; color?: unknown } | undefined;
  if (!user || typeof user.name !== 'string') return null;
  const cursor = state.cursor as { x?: unknown; y?: unknown } | null | undefined;
  return {
    clientId,
    name: user.name.slice(0, 40),
    color: typeof user.color === 'string' ? user.color : '#888',
    cursor: cursor && typeof cursor.x === 'number' && typeof cursor.y === 'number' ? { x: cursor.x, y: cursor.y } : null,
    selection: Array.isArray(state.selection) ? state.selection.filter((s): s is string => typeof s === 'string') : [],
    run: readRun(state.run),
  };
}

/** Publishes who I am, where my pointer is and what I selected; returns everyone else's. */
export function usePresence(provider: WebsocketProvider | undefined) {
  const identity = useIdentity();
  const [peers, setPeers] = useState<Peer[]>([]);
  useEffect(() => {
    if (!provider) return;
    const awareness = provider.awareness;
    const refresh = () => {
      const out: Peer[] = [];
      awareness.getStates().forEach((state, clientId) => {
        if (clientId === awareness.clientID) return;
        const peer = readPeer(clientId, state);
        if (peer) out.push(peer);
      });
      setPeers(out);
      // Two people who picked one colour would be told apart by name only: the later one shows
      // another colour in this room (the rule is everyone's, so it settles at once).
      const color = colourInRoom(identity.color, awareness.clientID, out);
      const mine = awareness.getLocalState()?.user as { name?: unknown; color?: unknown } | undefined;
      if (mine?.name !== identity.name || mine?.color !== color) awareness.setLocalStateField('user', { name: identity.name, color });
    };
    // 'change' fires for my own state too, on every pointer move: only others' changes redraw.
    const onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
      if ([...added, ...updated, ...removed].some((id) => id !== awareness.clientID)) refresh();
    };
    refresh();
    awareness.on('change', onChange);
    return () => {
      awareness.off('change', onChange);
      awareness.setLocalStateField('cursor', null);
      awareness.setLocalStateField('selection', []);
    };
  }, [provider, identity.name, identity.color]);
  const setCursor = useCallback(
    (cursor: { x: number; y: number } | null) => provider?.awareness.setLocalStateField('cursor', cursor),
    [provider],
  );
  const setSelection = useCallback((ids: string[]) => provider?.awareness.setLocalStateField('selection', ids), [provider]);
  return { peers, setCursor, setSelection };
}
