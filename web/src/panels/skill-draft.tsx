import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { Catalog } from '../documents/catalog';
import type { VolumeRef } from '../documents/identity';
import type { Room } from '../documents/rooms';
import { InstructionBadge, ReplacesNote, SkillStatus } from './skill-badges';
import { useSkillCheck } from './skill-check';
import { skillFileName, type CarriedFolder } from './skill-save';
import { useSkillSave } from './skill-save-flow';
import { SkillSourceEditor } from './skill-source-editor';
import type { SkillTools } from './skill-tools';

/**
 * A skill not saved yet: a new one starting from `initial`, or a copy of someone else's (which
 * brings its folder's files along as `carried`). It stays in this browser until saved, under its
 * frontmatter's `skill_id`, only when valid; `onSaved` gets that id.
 */
export function SkillDraft(props: { home: VolumeRef; homeRoom: Room; tools: SkillTools; catalog: Catalog; initial: string; carried?: CarriedFolder; footer?: ComponentChildren; onSaved: (skillId: string) => void }) {
  const { home, tools } = props;
  const [text, setText] = useState(props.initial);
  const { save, notices, cancel } = useSkillSave(home, props.homeRoom, props.onSaved);
  const { parsed, problems } = useSkillCheck(tools, text, skillFileName(home.volume, home.volumeId, 'new-skill'), null);
  const skillId = parsed.ok ? parsed.value.frontmatter.skill_id : null;
  const valid = problems.length === 0;

  const edit = (next: string) => {
    setText(next);
    cancel();
  };
  const saveDraft = () => {
    if (valid && skillId) save({ originalId: null, skillId, text, ...(props.carried ? { carried: props.carried } : {}) });
  };

  return (
    <div class="skill-editor" data-testid="skill-editor" data-mode="new">
      <header class="skill-editor-header">
        <h2>New skill</h2>
        <span class="volume-badge">mine</span>
        {parsed.ok && parsed.value.kind === 'instruction' && <InstructionBadge />}
        <span class="spacer" />
        <SkillStatus problems={problems} />
        <button type="button" class="primary" data-testid="save-skill" disabled={!valid} title={valid ? 'Save (Ctrl+S)' : 'Fix the errors below to save'} onClick={saveDraft}>
          Save
        </button>
      </header>
      {notices}
      <ReplacesNote catalog={props.catalog} home={home} skillId={skillId} />
      <SkillSourceEditor text={text} errors={problems} readOnly={false} onChange={edit} onSave={saveDraft} />
      {props.footer}
    </div>
  );
}
