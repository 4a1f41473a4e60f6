import type { SkillFile } from '../../../shared/src/documents/skill-files';

/**
 * The files a person dropped or picked, with their paths: a dropped folder is walked through
 * `webkitGetAsEntry` (a plain `files` list has no folder contents), a folder picked with
 * `webkitdirectory` carries each file's `webkitRelativePath`. Bytes are only read, never run.
 */

const bytesOf = async (file: File): Promise<Uint8Array> => new Uint8Array(await file.arrayBuffer());

const fileOf = (entry: FileSystemFileEntry): Promise<File> => new Promise((resolve, reject) => entry.file(resolve, reject));

/** Every entry of a directory: `readEntries` answers in batches until it answers none. */
async function childrenOf(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

async function walk(entry: FileSystemEntry, out: SkillFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await fileOf(entry as FileSystemFileEntry);
    out.push({ path: entry.fullPath.replace(/^\/+/, ''), bytes: await bytesOf(file) });
  } else if (entry.isDirectory) {
    for (const child of await childrenOf(entry as FileSystemDirectoryEntry)) await walk(child, out);
  }
}

/** Whether a drag carries files from outside the page (not a skill card dragged within it). */
export const carriesFiles = (data: DataTransfer | null): boolean => Boolean(data?.types.includes('Files'));

/** The files of a drop, folders walked; the entries are taken synchronously, as the drop event allows. */
export async function droppedFiles(data: DataTransfer): Promise<SkillFile[]> {
  const entries = [...data.items].flatMap((item) => {
    const entry = item.kind === 'file' ? item.webkitGetAsEntry() : null;
    return entry ? [entry] : [];
  });
  if (entries.length === 0) return pickedFiles(data.files);
  const out: SkillFile[] = [];
  for (const entry of entries) await walk(entry, out);
  return out;
}

/** The files of a file input: a picked folder's files under their relative paths, else their names. */
export async function pickedFiles(list: FileList | null): Promise<SkillFile[]> {
  return Promise.all([...(list ?? [])].map(async (file) => ({ path: file.webkitRelativePath || file.name, bytes: await bytesOf(file) })));
}
