import { useMemo, useState } from 'preact/hooks';
import { listWorkflows, type WorkflowListing } from '../../../shared/src/documents/volume-index';
import type { Catalog } from '../documents/catalog';
import { useDocValue, useIdentity, useRooms } from '../documents/hooks';
import { hrefOf, useRoute } from '../router';
import { useFailure, useHomeIndex } from './home-index';
import { newestFirst } from './listings';
import {
  createWorkflow,
  deleteWorkflow,
  duplicateWorkflow,
  exportWorkflow,
  importWorkflow,
  renameWorkflow,
} from './workflow-actions';
import { TemplatesGallery } from '../home/templates-gallery';
import { downloadFile } from './download';
import { useMovedToTrash } from './moved-to-trash';
import { WorkflowRow } from './workflow-row';

/** Larger files are refused before parsing, so a wrong file cannot freeze the page. */
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
const NONE: WorkflowListing[] = [];

/**
 * The person's workflows: list, create, rename, duplicate, delete, import and export; with none
 * yet, the example workflows to start from.
 */
export function WorkflowsPanel({ catalog }: { catalog: Catalog }) {
  const { home, room } = useHomeIndex();
  const rooms = useRooms();
  const identity = useIdentity();
  const listings = useDocValue(room?.doc, listWorkflows, NONE);
  const workflows = useMemo(() => newestFirst(listings), [listings]);
  const route = useRoute();
  const { failure, watch } = useFailure();
  const trashNote = useMovedToTrash(home);
  const [name, setName] = useState('');
  const [importProblem, setImportProblem] = useState<{ file: string; errors: string[] } | null>(null);

  const open = (id: string) => (location.hash = hrefOf.workflow(home.volume, home.volumeId, id));
  const isCurrent = (id: string) => route.view === 'workflow' && route.volume === home.volume && route.volumeId === home.volumeId && route.id === id;

  const create = (e: Event) => {
    e.preventDefault();
    watch('Creating the workflow', createWorkflow(rooms, home, name).then(open));
    setName('');
  };

  const importFile = async (file: File) => {
    if (file.size > MAX_IMPORT_BYTES) {
      setImportProblem({ file: file.name, errors: [`The file is ${Math.round(file.size / 1e6)} MB; workflow files are at most 20 MB.`] });
      return;
    }
    const result = await importWorkflow(rooms, home, await file.text(), file.name);
    if (!result.ok) return setImportProblem({ file: file.name, errors: result.error });
    setImportProblem(null);
    open(result.value);
  };

  const actionsFor = (listing: WorkflowListing) => ({
    rename: (next: string) => watch('Renaming the workflow', renameWorkflow(rooms, home, listing.id, next)),
    duplicate: () => watch('Duplicating the workflow', duplicateWorkflow(rooms, home, listing).then(open)),
    exportFile: () =>
      watch(
        'Exporting the workflow',
        exportWorkflow(rooms, home, listing).then(({ fileName, text }) => downloadFile(fileName, text, 'application/json')),
      ),
    remove: () => {
      if (isCurrent(listing.id)) location.hash = '#/';
      watch('Moving the workflow to the trash', deleteWorkflow(rooms, home, listing.id, identity.name).then((trashId) => trashNote.moved(trashId, listing.name)));
    },
  });

  return (
    <div class="panel" data-testid="workflows-panel">
      <form class="create-row" onSubmit={create}>
        <input
          type="text"
          placeholder="New workflow…"
          aria-label="New workflow name"
          maxLength={100}
          value={name}
          data-testid="new-workflow-name"
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
        />
        <button type="submit" data-testid="new-workflow" disabled={!room}>
          New
        </button>
        <label class="button" title="Import an .llmunix-workflow.json file">
          Import
          <input
            type="file"
            accept=".json,application/json"
            class="visually-hidden"
            data-testid="import-workflow"
            onChange={(e) => {
              const input = e.target as HTMLInputElement;
              const file = input.files?.[0];
              input.value = '';
              if (file) watch('Importing the workflow', importFile(file));
            }}
          />
        </label>
      </form>
      {importProblem && (
        <div class="panel-error" role="alert" data-testid="import-errors">
          <strong>{importProblem.file} was not imported:</strong>
          <ul>
            {importProblem.errors.map((error) => (
              <li key={error}>{error}</li>
            ))}
          </ul>
          <button type="button" class="small" onClick={() => setImportProblem(null)}>
            Dismiss
          </button>
        </div>
      )}
      {trashNote.note}
      {failure && (
        <p class="panel-error" role="alert" data-testid="workflows-failure">
          {failure}
        </p>
      )}
      {room && workflows.length === 0 && (
        <>
          <p class="muted" data-testid="workflows-empty">No workflows yet. Name one above and press New, import a file, or start from an example.</p>
          <TemplatesGallery catalog={catalog} compact />
        </>
      )}
      <ul class="listings" data-testid="workflow-list">
        {workflows.map((listing) => (
          <WorkflowRow
            key={listing.id}
            listing={listing}
            href={hrefOf.workflow(home.volume, home.volumeId, listing.id)}
            current={isCurrent(listing.id)}
            actions={actionsFor(listing)}
          />
        ))}
      </ul>
    </div>
  );
}
