import { unzipSync, zipSync, type Zippable } from 'fflate';
import { MAX_SKILL_FILE_BYTES, type SkillFile } from '../documents/skill-files';
import { err, ok, type Result } from '../result';

/** Largest total a skill archive (`.zip`, `.skill`) may expand to: several skills' worth of files. */
export const MAX_ARCHIVE_BYTES = 64 * 1024 * 1024;

const MIB = 1024 * 1024;

/**
 * The files of a `.zip` or `.skill` archive, for `readSkillFolder`. Sizes are checked from the
 * archive's directory before anything is expanded, so an archive that would expand past the
 * limits is refused without being inflated.
 */
export function unzipSkillArchive(archive: Uint8Array): Result<SkillFile[], string> {
  let total = 0;
  let tooBig: string | undefined;
  try {
    const files = unzipSync(archive, {
      filter: (file) => {
        if (file.name.endsWith('/')) return false;
        total += file.originalSize;
        if (file.originalSize > MAX_SKILL_FILE_BYTES) tooBig ??= `"${file.name}" expands to more than ${MAX_SKILL_FILE_BYTES / MIB} MiB, the most a skill's file may hold`;
        return tooBig === undefined && total <= MAX_ARCHIVE_BYTES;
      },
    });
    if (tooBig) return err(`The archive was not read: ${tooBig}.`);
    if (total > MAX_ARCHIVE_BYTES) return err(`The archive expands to more than ${MAX_ARCHIVE_BYTES / MIB} MiB; bring its skills in a few at a time.`);
    return ok(Object.entries(files).map(([path, bytes]) => ({ path, bytes })));
  } catch (e) {
    return err(`The file is not a zip archive that can be read (${(e as Error).message}); export the skill folder again as .zip.`);
  }
}

/** A `.zip` archive of files (a skill folder from `writeSkillFolder`, or several). */
export function zipSkillFiles(files: readonly SkillFile[]): Uint8Array {
  const tree: Zippable = {};
  for (const file of files) tree[file.path] = file.bytes;
  return zipSync(tree, { level: 6 });
}
