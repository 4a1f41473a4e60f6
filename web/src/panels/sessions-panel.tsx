// Replaced by the sessions panel (list, create, rename, status, delete, search).
export function SessionsPanel() {
  return <div class="panel" data-testid="sessions-panel" />;
}
