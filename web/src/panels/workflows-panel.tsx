// Replaced by the workflows panel (list, create, rename, duplicate, delete, import/export).
export function WorkflowsPanel() {
  return <div class="panel" data-testid="workflows-panel" />;
}
