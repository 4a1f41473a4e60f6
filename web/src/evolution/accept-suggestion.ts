import type { Suggestion } from '../../../shared/src/evolution/suggest';
import { dismissPattern, listSkillSources, putSkillSource } from '../../../shared/src/documents/volume-index';
import { volumeRoom } from '../../../shared/src/rooms';
import { homeVolume, type VolumeRef } from '../documents/identity';
import type { RoomSet } from '../documents/rooms';
import { writeRoom } from '../panels/room-access';
import { compoundFileOf } from './compound-file';

/** Saves an accepted suggestion as a compound skill in `volume`; resolves to its skill id. */
export async function acceptSuggestion(rooms: RoomSet, volume: VolumeRef, s: Suggestion, name: string, description?: string): Promise<string> {
  let saved = '';
  await writeRoom(rooms, volumeRoom(volume.volume, volume.volumeId), (doc) => {
    const file = compoundFileOf(s, name, description, new Set(listSkillSources(doc).keys()));
    putSkillSource(doc, file.skillId, file.markdown);
    saved = file.skillId;
  });
  return saved;
}

/** Records a suggestion as dismissed in this person's own volume (it syncs to their other devices). */
export function dismissSuggestion(rooms: RoomSet, s: Suggestion): Promise<void> {
  const home = homeVolume();
  return writeRoom(rooms, volumeRoom(home.volume, home.volumeId), (doc) => dismissPattern(doc, s.key, new Date().toISOString()));
}
