import type { Identity } from '../../../shared/src/access';
import { listSkillFiles } from '../../../shared/src/documents/skill-files';
import { getWorkflowListing, listSkillSources, listWorkflows, skillFilesOf, type WorkflowListing } from '../../../shared/src/documents/volume-index';
import { parseRoomName, volumeRoom } from '../../../shared/src/rooms';
import type { Rooms } from '../rooms/rooms';
import { canAccess, searchOrder, type VolumeRef } from '../access/volumes';

/** What the library needs of one readable volume index, read in one use of its room. */
export interface ReadableVolume {
  ref: VolumeRef;
  /** The volume index room. */
  index: string;
  /** Skill id → its Markdown, as stored. */
  sources: Map<string, string>;
  /** The files of each skill that has some (skill id → paths and sizes). */
  files: Map<string, Array<{ path: string; size: number }>>;
  /** The workflows the caller sees here: all listed, or for a share link its own one. */
  workflows: WorkflowListing[];
  /** False for a share link's volume, whose index it may not read: it has no skills of it, only its workflow. */
  skillsReadable: boolean;
}

/** The workflow a share link opens, when its room is a workflow room. */
export function sharedWorkflow(identity: Identity): { ref: VolumeRef; id: string; room: string } | undefined {
  if (identity.kind !== 'share') return undefined;
  const room = parseRoomName(identity.room);
  if (!room.ok || room.value.kind !== 'workflow') return undefined;
  return { ref: { volume: room.value.volume, volumeId: room.value.volumeId }, id: room.value.id, room: identity.room };
}

/**
 * Every volume index `identity` can read, in DESIGN §3's order (user, teams, system; a share
 * link: its room's volume, then system). A share link cannot read its volume's index; the server
 * reads it on its behalf only to see that its workflow is still listed (not in the trash).
 */
export async function readableVolumes(rooms: Rooms, identity: Identity): Promise<ReadableVolume[]> {
  const shared = sharedWorkflow(identity);
  const out: ReadableVolume[] = [];
  for (const ref of searchOrder(identity, {}, true)) {
    const index = volumeRoom(ref.volume, ref.volumeId);
    if (canAccess(identity, index, 'read')) {
      out.push(
        await rooms.use(index, (room) => {
          const sources = listSkillSources(room.doc);
          const files = new Map<string, Array<{ path: string; size: number }>>();
          for (const skillId of skillFilesOf(room.doc).keys()) {
            const list = listSkillFiles(room.doc, skillId);
            if (list.length > 0) files.set(skillId, list);
          }
          return { ref, index, sources, files, workflows: listWorkflows(room.doc), skillsReadable: true };
        }),
      );
    } else if (shared && shared.ref.volume === ref.volume && shared.ref.volumeId === ref.volumeId) {
      const listing = await rooms.use(index, (room) => getWorkflowListing(room.doc, shared.id));
      out.push({ ref, index, sources: new Map(), files: new Map(), workflows: listing ? [listing] : [], skillsReadable: false });
    }
  }
  return out;
}
