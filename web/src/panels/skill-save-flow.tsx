import { useState } from 'preact/hooks';
import { listSkillSources } from '../../../shared/src/documents/volume-index';
import { volumeRoom } from '../../../shared/src/rooms';
import { useDocValue, useRooms } from '../documents/hooks';
import type { VolumeRef } from '../documents/identity';
import type { Room } from '../documents/rooms';
import { useFailure } from './home-index';
import { FailureNote } from './skill-badges';
import { applySave, planSave, type CarriedFolder, type SavePlan } from './skill-save';

const NO_SKILLS = new Map<string, string>();

/** A skill to write into the person's volume: its text under its frontmatter's `skill_id`. */
export interface SaveRequest {
  /** The id it was opened under (null for a new skill or a copy). */
  originalId: string | null;
  skillId: string;
  text: string;
  carried?: CarriedFolder;
}

/**
 * Saving a skill into the person's volume, asking first when it would replace another of their
 * skills; `onSaved` gets the id it was saved under. `notices` shows the question, or a failed save.
 */
export function useSkillSave(home: VolumeRef, homeRoom: Room, onSaved: (skillId: string) => void) {
  const rooms = useRooms();
  const own = useDocValue(homeRoom.doc, listSkillSources, NO_SKILLS);
  const [confirming, setConfirming] = useState<{ plan: SavePlan; request: SaveRequest } | null>(null);
  const { failure, watch } = useFailure();

  const save = (request: SaveRequest, confirmed = false) => {
    const plan = planSave(request.originalId, request.skillId, new Set(own.keys()));
    if (plan.overwrites && !confirmed) return setConfirming({ plan, request });
    setConfirming(null);
    const write = rooms.edit(volumeRoom(home.volume, home.volumeId), (doc) => applySave(doc, plan, request.text, request.carried)).then(() => onSaved(plan.target));
    watch('Saving the skill', write);
  };

  const notices = (
    <>
      {confirming && (
        <div class="panel-error" role="alert" data-testid="confirm-overwrite">
          You already have a skill with the id <code>{confirming.plan.target}</code>. Replace it with this one?{' '}
          <button type="button" class="small danger" data-testid="confirm-overwrite-yes" onClick={() => save(confirming.request, true)}>
            Replace it
          </button>{' '}
          <button type="button" class="small" onClick={() => setConfirming(null)}>
            Cancel
          </button>
        </div>
      )}
      <FailureNote failure={failure} />
    </>
  );
  return { save, notices, cancel: () => setConfirming(null) };
}
