import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import { roomDocOf } from '../../../shared/src/history/content';
import type { VersionMeta } from '../../../shared/src/history/version';
import { getWorkflowListing, putWorkflowListing } from '../../../shared/src/documents/volume-index';
import { readWorkflowMeta, type WorkflowMeta } from '../../../shared/src/documents/workflow';
import { nowIso } from '../../../shared/src/json';
import { parseRoomName, volumeRoom } from '../../../shared/src/rooms';
import { ORIGIN } from '../../../shared/src/origins';
import type { Catalog } from '../documents/catalog';
import { useIdentity, useRooms } from '../documents/hooks';
import type { RoomSet } from '../documents/rooms';
import { useVersions, versionContent } from './use-versions';
import { VersionCanvas } from './version-canvas';
import { VersionListView } from './version-list';
import { authorsText, READ_ONLY_REASON_ID, versionPhrase } from './version-summary';

/** Why versions can be looked at and not named or restored: a read share link, or the workflow is in the trash. */
const READ_ONLY_BECAUSE = {
  link: 'This link is read-only: you can look at versions, not name or restore them.',
  trash: 'This workflow is in the trash: you can look at its versions; restore the workflow to name or restore them.',
} as const;

type Preview = { meta: VersionMeta; state: 'loading' } | { meta: VersionMeta; state: 'open'; doc: Y.Doc } | { meta: VersionMeta; state: 'failed'; message: string };

/**
 * The History of the open workflow: a toolbar button, the list of versions beside the canvas,
 * and a version previewed read-only over the canvas. Restoring edits the live document into
 * the version as this person (`ORIGIN.local`): collaborators receive it live, and it is one
 * step of this person's undo, which takes it back.
 */
export function useWorkflowHistory(options: { room: string; doc: Y.Doc | undefined; undo: Y.UndoManager | null; readOnly: keyof typeof READ_ONLY_BECAUSE | null; catalog: Catalog }): {
  button: ComponentChildren;
  side: ComponentChildren;
  overlay: ComponentChildren;
  /** A version covers the canvas. */
  previewing: boolean;
} {
  const { room, doc, undo, catalog } = options;
  const readOnly = options.readOnly ? READ_ONLY_BECAUSE[options.readOnly] : null;
  const identity = useIdentity();
  const rooms = useRooms();
  const [open, setOpen] = useState(false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [restoring, setRestoring] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);
  const list = useVersions(room, open);
  // Undo and redo reach the name and description too (a restore, a rename): the listing follows.
  useEffect(() => {
    if (!doc || !undo) return;
    const meta = doc.getMap('meta');
    const follow = (_: Y.YMapEvent<unknown>, tr: Y.Transaction) => {
      if (tr.origin === undo) void followListing(rooms, room, readWorkflowMeta(doc));
    };
    meta.observe(follow);
    return () => meta.unobserve(follow);
  }, [doc, undo, rooms, room]);
  // A previewed version's document lives as long as its preview.
  useEffect(() => {
    if (preview?.state !== 'open') return;
    const shown = preview.doc;
    return () => shown.destroy();
  }, [preview]);

  // Keyboard and screen reader: opening a preview moves focus to its "Back to now"; closing it
  // (that button, Escape, a restore) gives focus back to the Preview button that opened it.
  const opener = useRef<HTMLElement | null>(null);
  const backToNow = useRef<HTMLButtonElement>(null);
  const previewId = preview?.meta.id ?? null;
  useEffect(() => {
    if (previewId !== null) return backToNow.current?.focus();
    if (opener.current?.isConnected) opener.current.focus();
    opener.current = null;
  }, [previewId]);

  const showPreview = async (meta: VersionMeta) => {
    opener.current ??= document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setPreview({ meta, state: 'loading' });
    const content = await versionContent(room, meta.id);
    setPreview((shown) => {
      if (shown?.meta.id !== meta.id) return shown;
      if (!content.ok) return { meta, state: 'failed', message: content.error.message };
      const version = readVersion(content.value);
      return typeof version === 'string' ? { meta, state: 'failed', message: version } : { meta, state: 'open', doc: version };
    });
  };

  const restore = async (meta: VersionMeta) => {
    if (!doc || !undo || readOnly !== null) return;
    setRestoring(meta.id);
    setOutcome(null);
    let version: Y.Doc | string | null = null;
    try {
      const content = await versionContent(room, meta.id);
      if (!content.ok) return setOutcome({ ok: false, message: `Not restored: ${content.error.message}` });
      version = readVersion(content.value);
      if (typeof version === 'string') return setOutcome({ ok: false, message: `Not restored: ${version}` });
      const restored = version;
      // The restore code (a text diff library with it) loads when first used, not with the canvas.
      const { restoreRoom } = await import('../../../shared/src/history/restore');
      // Its own undo step: not merged with an edit made just before, nor with one just after.
      undo.stopCapturing();
      try {
        doc.transact(() => restoreRoom(doc, restored, 'workflow'), ORIGIN.local);
      } finally {
        undo.stopCapturing();
      }
      void followListing(rooms, room, readWorkflowMeta(doc));
      setPreview(null);
      setOutcome({ ok: true, message: `Restored ${versionPhrase(meta, Date.now())}. Undo takes it back.` });
    } catch (e) {
      setOutcome({ ok: false, message: `Not restored: ${(e as Error).message}` });
    } finally {
      setRestoring(null);
      if (typeof version === 'object' && version !== null) version.destroy();
    }
  };

  const actions = (meta: VersionMeta) => (
    <>
      <button
        type="button"
        class="small"
        data-testid="preview-version"
        aria-label={`Preview ${versionPhrase(meta, Date.now())}`}
        onClick={() => void showPreview(meta)}
        title="Show this version read-only on the canvas"
      >
        Preview
      </button>
      <RestoreButton meta={meta} busy={restoring === meta.id} readOnly={readOnly} onRestore={restore} />
    </>
  );

  const button = (
    <button type="button" data-testid="history-button" aria-pressed={open} onClick={() => setOpen((o) => !o)} title="Versions of this workflow: preview, name and restore">
      History
    </button>
  );

  const side = open && (
    <section class="history-panel" data-testid="history-panel" aria-label="History">
      <header class="history-head">
        <strong>History</strong>
        <span class="spacer" />
        <button type="button" class="small" data-testid="versions-refresh" onClick={list.refresh} disabled={list.loading} title="Ask the server for new versions">
          {list.loading ? 'Loading…' : 'Refresh'}
        </button>
        <button type="button" class="small" onClick={() => (setOpen(false), setPreview(null))} aria-label="Close the history">
          ×
        </button>
      </header>
      {outcome && (
        <p class={outcome.ok ? 'restore-outcome' : 'panel-error'} role={outcome.ok ? 'status' : 'alert'} data-testid="restore-outcome">
          {outcome.message}
        </p>
      )}
      <VersionListView list={list} me={identity.userId} cannotName={readOnly} selected={preview?.meta.id ?? null} actions={actions} />
    </section>
  );

  const overlay = preview && (
    // Nothing dropped on a previewed version reaches the live workflow under it.
    <div
      class="version-preview"
      role="region"
      aria-label={`Preview of ${versionPhrase(preview.meta, Date.now())}, read-only`}
      data-testid="version-preview"
      data-state={preview.state}
      onDragOver={(e) => e.stopPropagation()}
      onDrop={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.stopPropagation();
        setPreview(null);
      }}
    >
      <div class="version-preview-bar">
        <span>
          Previewing <strong>{versionPhrase(preview.meta, Date.now())}</strong>, by {authorsText(preview.meta.authors, identity.userId)}. Read-only.
        </span>
        <span class="spacer" />
        <RestoreButton meta={preview.meta} busy={restoring === preview.meta.id} readOnly={readOnly} onRestore={restore} label="Restore this version" />
        <button type="button" ref={backToNow} data-testid="close-preview" onClick={() => setPreview(null)}>
          Back to now
        </button>
      </div>
      {preview.state === 'loading' && <div class="empty">Loading the version…</div>}
      {preview.state === 'failed' && (
        <div class="empty" role="alert" data-testid="preview-failure">
          {preview.message}
        </div>
      )}
      {preview.state === 'open' && (
        <div class="version-preview-canvas">
          <VersionCanvas key={preview.meta.id} doc={preview.doc} catalog={catalog} />
        </div>
      )}
    </div>
  );

  return { button, side, overlay, previewing: preview !== null };
}

/**
 * A restored version may bring back an earlier name or description: the workflow's listing in
 * its volume says the same, as a rename keeps them (web/src/panels/workflow-actions.ts).
 */
async function followListing(rooms: RoomSet, room: string, meta: WorkflowMeta): Promise<void> {
  const parsed = parseRoomName(room);
  // A version from before the workflow had a name leaves the listing's as it is.
  if (!parsed.ok || parsed.value.kind !== 'workflow' || meta.name === '') return;
  const { volume, volumeId, id } = parsed.value;
  await rooms.edit(volumeRoom(volume, volumeId), (index) => {
    const listing = getWorkflowListing(index, id);
    if (listing && (listing.name !== meta.name || listing.description !== meta.description)) {
      putWorkflowListing(index, id, { name: meta.name, description: meta.description, updated_at: nowIso() });
    }
  });
}

/** A version's document, or what is wrong with its bytes (a server of another release, a damaged copy). */
function readVersion(content: Uint8Array): Y.Doc | string {
  try {
    return roomDocOf(content);
  } catch (e) {
    return (e as Error).message;
  }
}

function RestoreButton(props: { meta: VersionMeta; busy: boolean; readOnly: string | null; onRestore: (meta: VersionMeta) => Promise<void>; label?: string }) {
  return (
    <button
      type="button"
      class="small"
      data-testid="restore-version"
      disabled={props.readOnly !== null || props.busy}
      aria-label={props.label ? undefined : `Restore ${versionPhrase(props.meta, Date.now())}`}
      // The reason is the History's visible text (the list's), not a tooltip.
      aria-describedby={props.readOnly !== null ? READ_ONLY_REASON_ID : undefined}
      onClick={() => void props.onRestore(props.meta)}
      title={props.readOnly === null ? 'Make the workflow as it was in this version: a new change everyone sees, which your undo takes back' : undefined}
    >
      {props.busy ? 'Restoring…' : (props.label ?? 'Restore')}
    </button>
  );
}
