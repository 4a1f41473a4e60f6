import type * as Y from 'yjs';
import { volumeRoom } from '../../../shared/src/rooms';
import { zipSkillFiles } from '../../../shared/src/skill/archive';
import { writeSkillFolderWithInner, type StoredLookup } from '../../../shared/src/skill/compound-folder';
import { formatSkillError } from '../../../shared/src/skill/parse';
import { storedSkill } from '../../../shared/src/skill/stored-skill';
import { err, ok, type Result } from '../../../shared/src/result';
import { readableVolumes } from '../documents/identity';
import type { RoomSet } from '../documents/rooms';
import { skillFileName } from './skill-save';

/**
 * A skill's folder as a zip: an imported skill exactly as it came in (its Markdown and files byte
 * for byte), a skill made here as an Agent Skills folder; a compound skill carries the skills it
 * needs (found by `inner`, as its nodes find them) under its `skills/`. Loaded on first export
 * (zip and parser).
 */
export function exportSkillZip(doc: Y.Doc, skillId: string, file: string, inner: StoredLookup): Result<Uint8Array, string> {
  const stored = storedSkill(doc, skillId, file);
  if (!stored) return err(`there is no skill "${skillId}" here any more`);
  if (!stored.ok) return err(`the skill's file has errors, fix them first (${stored.error.map(formatSkillError).join('; ')})`);
  const files = writeSkillFolderWithInner(stored.value, inner);
  return files.ok ? ok(zipSkillFiles(files.value)) : files;
}

/**
 * `exportSkillZip` with the inner skills a compound skill needs looked up as its nodes' skills
 * are: in the person's, then their teams', then the system volume.
 */
export function exportFromLibrary(rooms: RoomSet, doc: Y.Doc, skillId: string, file: string): Result<Uint8Array, string> {
  const opened = readableVolumes().map((volume) => ({ volume, room: rooms.acquire(volumeRoom(volume.volume, volume.volumeId)) }));
  try {
    return exportSkillZip(doc, skillId, file, (id) => {
      for (const { volume, room } of opened) {
        const found = storedSkill(room.doc, id, skillFileName(volume.volume, volume.volumeId, id));
        if (found) return found;
      }
      return undefined;
    });
  } finally {
    for (const { room } of opened) rooms.release(room);
  }
}
