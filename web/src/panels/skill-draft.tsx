import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { listSkillSources, removeSkill } from '../../../shared/src/documents/volume-index';
import { volumeRoom } from '../../../shared/src/rooms';
import type { Catalog } from '../documents/catalog';
import { useDocValue, useRooms } from '../documents/hooks';
import type { VolumeRef } from '../documents/identity';
import type { Room } from '../documents/rooms';
import { hrefOf } from '../router';
import { ConfirmButton } from './confirm-button';
import { useFailure } from './home-index';
import { InstructionBadge } from './skill-card';
import { applySave, planSave, skillFileName, type CarriedFolder, type SavePlan } from './skill-save';
import { SkillSourceEditor } from './skill-source-editor';
import type { SkillTools } from './skill-tools';

const NO_SKILLS = new Map<string, string>();

/**
 * Edits one of the person's own skills (`originalId`), or a new one (`originalId` null) starting
 * from `initial` (a copy brings its folder's files along as `carried`). Validates as they type; saves under the frontmatter's `skill_id`, only when valid.
 */
export function SkillDraft(props: { home: VolumeRef; homeRoom: Room; tools: SkillTools; catalog: Catalog; originalId: string | null; saved?: string; initial?: string; footer?: ComponentChildren; carried?: CarriedFolder }) {
  const { home, tools, originalId, saved } = props;
  const [draft, setDraft] = useState<string | null>(props.initial ?? null);
  const [confirming, setConfirming] = useState<SavePlan | null>(null);
  const { failure, watch } = useFailure();
  const rooms = useRooms();
  const own = useDocValue(props.homeRoom.doc, listSkillSources, NO_SKILLS);
  const text = draft ?? saved ?? '';
  const file = skillFileName(home.volume, home.volumeId, originalId ?? 'new-skill');
  // An imported skill without a `skill_id` keeps the id it is stored under.
  const parsed = useMemo(() => tools.readSkill(text, { file, ...(originalId === null ? {} : { skillId: originalId }) }), [tools, text, file, originalId]);
  const skillId = parsed.ok ? parsed.value.frontmatter.skill_id : null;
  const changed = originalId === null || (draft !== null && draft !== saved);
  const replaces = skillId ? props.catalog.entries.find((e) => e.skillId === skillId && !(e.volume.volume === home.volume && e.volume.volumeId === home.volumeId)) : undefined;

  const edit = (next: string) => {
    setDraft(next);
    setConfirming(null);
  };

  const save = (confirmed = false) => {
    if (!parsed.ok || !changed) return;
    const plan = planSave(originalId, parsed.value.frontmatter.skill_id, new Set(own.keys()));
    if (plan.overwrites && !confirmed) return setConfirming(plan);
    setConfirming(null);
    const write = rooms.edit(volumeRoom(home.volume, home.volumeId), (doc) => applySave(doc, plan, text, props.carried)).then(() => {
      if (plan.target !== originalId) location.hash = hrefOf.skill(home.volume, home.volumeId, plan.target);
      else setDraft(null);
    });
    watch('Saving the skill', write);
  };

  const remove = () => {
    if (originalId === null) return;
    watch(
      'Deleting the skill',
      rooms.edit(volumeRoom(home.volume, home.volumeId), (doc) => removeSkill(doc, originalId)).then(() => (location.hash = '#/')),
    );
  };

  return (
    <div class="skill-editor" data-testid="skill-editor" data-mode={originalId === null ? 'new' : 'edit'}>
      <header class="skill-editor-header">
        <h2>{originalId === null ? 'New skill' : (parsed.ok ? parsed.value.frontmatter.name : originalId)}</h2>
        <span class="volume-badge">mine</span>
        {parsed.ok && parsed.value.kind === 'instruction' && <InstructionBadge />}
        <span class="spacer" />
        {parsed.ok ? (
          <span class="valid" data-testid="skill-valid">
            Valid
          </span>
        ) : (
          <span class="invalid" data-testid="skill-invalid">
            {parsed.error.length} error{parsed.error.length === 1 ? '' : 's'}
          </span>
        )}
        {originalId !== null && changed && (
          <button
            type="button"
            data-testid="revert-skill"
            onClick={() => {
              setDraft(null);
              setConfirming(null);
            }}
          >
            Revert
          </button>
        )}
        <button
          type="button"
          class="primary"
          data-testid="save-skill"
          disabled={!parsed.ok || !changed}
          title={parsed.ok ? 'Save (Ctrl+S)' : 'Fix the errors below to save'}
          onClick={() => save()}
        >
          Save
        </button>
        {originalId !== null && <ConfirmButton label="Delete" question="Delete this skill?" testId="delete-skill" onConfirm={remove} />}
      </header>
      {confirming && (
        <div class="panel-error" role="alert" data-testid="confirm-overwrite">
          You already have a skill with the id <code>{confirming.target}</code>. Replace it with this one?{' '}
          <button type="button" class="small danger" data-testid="confirm-overwrite-yes" onClick={() => save(true)}>
            Replace it
          </button>{' '}
          <button type="button" class="small" onClick={() => setConfirming(null)}>
            Cancel
          </button>
        </div>
      )}
      {replaces && (
        <p class="note" data-testid="skill-replaces">
          Your skill takes the place of the {replaces.volume.volume} skill <code>{replaces.skillId}</code> in your workflows: yours is looked up first.
        </p>
      )}
      {failure && (
        <p class="panel-error" role="alert">
          {failure}
        </p>
      )}
      <SkillSourceEditor text={text} errors={parsed.ok ? [] : parsed.error} readOnly={false} onChange={edit} onSave={() => save()} />
      {props.footer}
    </div>
  );
}
