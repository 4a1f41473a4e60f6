import { useSyncStatus } from '../documents/hooks';

const LABEL = { offline: 'offline', connecting: 'connecting…', synced: 'synced' } as const;

/** Offline / connecting / synced, and how many local changes wait to be sent. */
export function StatusBadge() {
  const { state, pending } = useSyncStatus();
  return (
    <span class={`status status-${state}`} data-testid="sync-status" data-state={state} title="Connection to the sync server">
      {LABEL[state]}
      {pending > 0 && (
        <span class="pending" data-testid="pending-count">
          {' '}
          · {pending} change{pending === 1 ? '' : 's'} waiting
        </span>
      )}
    </span>
  );
}
