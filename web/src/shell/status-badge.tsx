import { parseRoomName } from '../../../shared/src/rooms';
import { useIdentity, useRefusals, useRooms, useSyncStatus } from '../documents/hooks';
import { roomMode, type Identity } from '../documents/identity';
import type { Refusal } from '../documents/refusals';
import { useRoute } from '../router';

const LABEL = { offline: 'offline', connecting: 'connecting…', synced: 'synced' } as const;

/** Offline / connecting / synced, how many local changes wait to be sent, and any the server refused. */
export function StatusBadge() {
  const { state, pending } = useSyncStatus();
  const refusal = useRefusals()[0];
  return (
    <>
      <span class={`status status-${state}`} data-testid="sync-status" data-state={state} title="Connection to the sync server">
        {LABEL[state]}
        {pending > 0 && (
          <span class="pending" data-testid="pending-count">
            {' '}
            · {pending} change{pending === 1 ? '' : 's'} waiting
          </span>
        )}
      </span>
      {refusal && <WriteRefused refusal={refusal} />}
    </>
  );
}

/** Tells the person the server did not save their changes to a room, and why. */
function WriteRefused({ refusal }: { refusal: Refusal }) {
  const route = useRoute();
  const identity = useIdentity();
  const rooms = useRooms();
  const here = 'room' in route && route.room === refusal.room;
  return (
    <span class="write-refused" role="alert" data-testid="write-refused" data-room={refusal.room} title={`The server said: ${refusal.reason}`}>
      {refusalMessage(refusal, identity, here)}{' '}
      <button
        type="button"
        class="link"
        onClick={() => void rooms.discardLocalCopy(refusal.room)}
        title="Reload it as the server has it; the changes it refused are lost"
        data-testid="write-refused-discard"
      >
        Discard my changes
      </button>{' '}
      <button type="button" class="link" onClick={() => rooms.dismissRefusal(refusal.room)} data-testid="write-refused-dismiss">
        Dismiss
      </button>
    </span>
  );
}

/** The refusal in the person's words: what was not saved, why, and what they can do. */
function refusalMessage(refusal: Refusal, identity: Identity, here: boolean): string {
  const what = subjectOf(refusal.room, here);
  if (roomMode(refusal.room, identity) === 'read') {
    return `This link is read-only: your changes to ${what} were not saved. Ask its owner for a link that lets you edit.`;
  }
  // The server's reason reads "<why>: your changes to "<room>" were not saved".
  const why = refusal.reason.split(': your changes')[0] ?? refusal.reason;
  if (why === 'read-only') return `You may only read ${what}: your changes were not saved.`;
  if (why.startsWith('you may not change "skills"')) {
    return `Only the team’s admins may change its skills: your changes to ${what} were not saved.`;
  }
  return `Your changes to ${what} were not saved (${why}).`;
}

function subjectOf(room: string, here: boolean): string {
  const parsed = parseRoomName(room);
  if (!parsed.ok) return `"${room}"`;
  const name = parsed.value;
  if (name.kind === 'volume') return `${name.volume === 'team' ? 'team ' : ''}“${name.volumeId}”’s library`;
  if (name.kind === 'runs') return here ? 'this workflow’s run history' : `the run history of workflow “${name.id}”`;
  return here ? `this ${name.kind}` : `the ${name.kind} “${name.id}”`;
}
