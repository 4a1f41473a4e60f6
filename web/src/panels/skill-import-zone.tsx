import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { SkillFile } from '../../../shared/src/documents/skill-files';
import { carriesFiles, droppedFiles, pickedFiles } from './dropped-files';
import type * as ImportModule from './skill-import';
import type { ImportPreview } from './skill-import';
import { SkillImportPreview } from './skill-import-preview';

type Stage = { kind: 'idle'; message: string | null } | { kind: 'reading' } | { kind: 'preview'; preview: ImportPreview; load: typeof ImportModule };

/**
 * The library's way in: drop a `SKILL.md`, a skill folder or a `.zip`/`.skill` archive anywhere
 * on it, or pick one; a preview then shows what would come in. Nothing is run.
 */
export function SkillImportZone({ children }: { children: ComponentChildren }) {
  const [stage, setStage] = useState<Stage>({ kind: 'idle', message: null });
  const [over, setOver] = useState(false);

  const read = (files: Promise<SkillFile[]>) => {
    setStage({ kind: 'reading' });
    Promise.all([files, import('./skill-import')]).then(
      ([list, load]) => {
        if (list.length === 0) return setStage({ kind: 'idle', message: 'Nothing to import: the drop held no files.' });
        setStage({ kind: 'preview', preview: load.previewImport(list), load });
      },
      (e: unknown) => setStage({ kind: 'idle', message: `The files could not be read (${e instanceof Error ? e.message : String(e)}). Try picking them instead.` }),
    );
  };

  return (
    <div
      class={`import-zone${over ? ' over' : ''}`}
      data-testid="skill-drop-zone"
      onDragOver={(e) => {
        if (!carriesFiles(e.dataTransfer)) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        setOver(false);
        if (!e.dataTransfer || !carriesFiles(e.dataTransfer)) return;
        e.preventDefault();
        read(droppedFiles(e.dataTransfer));
      }}
    >
      <div class="create-row import-row">
        <span class="muted">Import:</span>
        <label class="button small">
          SKILL.md or .zip
          <input type="file" hidden multiple accept=".md,.zip,.skill" data-testid="import-files-input" onChange={(e) => read(pickedFiles((e.target as HTMLInputElement).files))} />
        </label>
        <label class="button small">
          Folder
          <input type="file" hidden {...{ webkitdirectory: true }} data-testid="import-folder-input" onChange={(e) => read(pickedFiles((e.target as HTMLInputElement).files))} />
        </label>
        <span class="muted">or drop them here</span>
      </div>
      {stage.kind === 'reading' && <p class="muted">Reading the files…</p>}
      {stage.kind === 'idle' && stage.message && (
        <p class="note" role="status" data-testid="import-message">
          {stage.message}
        </p>
      )}
      {stage.kind === 'preview' && <SkillImportPreview preview={stage.preview} load={stage.load} onClose={(message) => setStage({ kind: 'idle', message })} />}
      {children}
    </div>
  );
}
