import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import { listSkillFiles, readSkillFile, utf8Text } from '../../../shared/src/documents/skill-files';
import { useDocValue, useRooms } from '../documents/hooks';
import { downloadFile } from './download';
import { useFailure } from './home-index';

/** A byte count as people read it. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(1)} GiB`;
}

const NO_FILES: Array<{ path: string; size: number }> = [];
const baseName = (path: string) => path.split('/').at(-1) ?? path;

/**
 * A skill's folder: its files, one shown at a time (text as plain text, never rendered or run;
 * binary as its size and a download), and an export of the whole folder as a zip.
 */
export function SkillFilesView({ doc, skillId, file }: { doc: Y.Doc; skillId: string; file: string }) {
  const list = useCallback((d: Y.Doc) => listSkillFiles(d, skillId), [skillId]);
  const files = useDocValue(doc, list, NO_FILES);
  const [open, setOpen] = useState<string | null>(null);
  const { failure, watch } = useFailure();
  const rooms = useRooms();
  useEffect(() => setOpen(null), [skillId]);
  const bytes = useMemo(() => (open === null ? undefined : readSkillFile(doc, skillId, open)), [doc, skillId, open, files]);
  const text = useMemo(() => (bytes ? utf8Text(bytes) : undefined), [bytes]);

  const exportZip = () =>
    watch(
      'Exporting the skill',
      import('./skill-export').then(({ exportFromLibrary }) => {
        const zipped = exportFromLibrary(rooms, doc, skillId, file);
        if (!zipped.ok) throw new Error(zipped.error);
        downloadFile(`${skillId}.zip`, zipped.value, 'application/zip');
      }),
    );

  return (
    <section class="skill-files" data-testid="skill-files" aria-label="The skill's files">
      <div class="skill-files-header">
        <strong>Files</strong>
        <span class="muted">{files.length === 0 ? 'only its Markdown' : `${files.length} beside its Markdown`}</span>
        <span class="spacer" />
        <button type="button" class="small" data-testid="export-skill" onClick={exportZip} title="Download the skill's folder as a .zip">
          Export .zip
        </button>
      </div>
      {failure && (
        <p class="panel-error" role="alert">
          {failure}
        </p>
      )}
      {files.length > 0 && (
        <ul class="file-list">
          {files.map((f) => (
            <li key={f.path} data-testid="skill-file" data-path={f.path}>
              <button type="button" class={`link${open === f.path ? ' active' : ''}`} onClick={() => setOpen(open === f.path ? null : f.path)}>
                {f.path}
              </button>{' '}
              <span class="muted">{fileSize(f.size)}</span>
            </li>
          ))}
        </ul>
      )}
      {open !== null && bytes && (
        <div class="file-view" data-testid="skill-file-view" data-path={open}>
          {text === undefined ? (
            <p data-testid="skill-file-binary">
              Binary file, {fileSize(bytes.byteLength)}.{' '}
              <button type="button" class="small" data-testid="skill-file-download" onClick={() => downloadFile(baseName(open), bytes, 'application/octet-stream')}>
                Download
              </button>
            </p>
          ) : (
            <pre data-testid="skill-file-text">{text}</pre>
          )}
        </div>
      )}
    </section>
  );
}
