import { useState } from 'preact/hooks';
import type { WorkflowListing } from '../../../shared/src/documents/volume-index';
import { ConfirmButton } from './confirm-button';
import { NameEditor } from './name-editor';

export interface WorkflowRowActions {
  rename(name: string): void;
  duplicate(): void;
  exportFile(): void;
  remove(): void;
}

/** One workflow in the list: its link, and rename, duplicate, export and delete. */
export function WorkflowRow(props: { listing: WorkflowListing; href: string; current: boolean; actions: WorkflowRowActions }) {
  const { listing, actions } = props;
  const [renaming, setRenaming] = useState(false);
  return (
    <li class={`listing${props.current ? ' current' : ''}`} data-testid="workflow-item" data-id={listing.id}>
      {renaming ? (
        <NameEditor
          initial={listing.name}
          label="Workflow name"
          testId="workflow-name-input"
          onSave={(name) => {
            setRenaming(false);
            actions.rename(name);
          }}
          onCancel={() => setRenaming(false)}
        />
      ) : (
        <a href={props.href} class="listing-name" data-testid="workflow-link" aria-current={props.current ? 'page' : undefined} title={listing.description || undefined}>
          {listing.name || 'Untitled workflow'}
        </a>
      )}
      <div class="listing-actions">
        <button type="button" class="small" data-testid="rename-workflow" onClick={() => setRenaming(true)}>
          Rename
        </button>
        <button type="button" class="small" data-testid="duplicate-workflow" onClick={actions.duplicate}>
          Duplicate
        </button>
        <button type="button" class="small" data-testid="export-workflow" onClick={actions.exportFile}>
          Export
        </button>
        <ConfirmButton label="Delete" question="Move to the trash?" testId="delete-workflow" onConfirm={actions.remove} />
      </div>
    </li>
  );
}
