import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useMemo } from 'preact/hooks';
import * as Y from 'yjs';
import { getSkillSource, skillsOf } from '../../../shared/src/documents/volume-index';
import type { Catalog } from '../documents/catalog';
import { useDocValue, useIdentity } from '../documents/hooks';
import type { VolumeRef } from '../documents/identity';
import type { Room } from '../documents/rooms';
import type { SharedSkillText } from '../editor/skill-code-editor';
import { InstructionBadge, ReplacesNote, SkillStatus } from './skill-badges';
import { useSkillCheck } from './skill-check';
import { skillFileName } from './skill-save';
import { useSkillSave } from './skill-save-flow';
import { SkillSourceEditor } from './skill-source-editor';
import type { SkillTools } from './skill-tools';

/**
 * One of the person's own skills, edited live: every keystroke goes into the skill's text in
 * their volume, where everyone in the room edits it at once and sees each other's cursors, and
 * each person's undo takes back only their own edits. While the text is invalid the catalog keeps
 * the last valid version for the canvas (web/src/documents/catalog.ts). A `skill_id` changed in
 * the frontmatter moves the skill to that id when the person says so; `onMoved` gets it.
 */
export function LiveSkill(props: {
  home: VolumeRef;
  homeRoom: Room;
  tools: SkillTools;
  catalog: Catalog;
  skillId: string;
  line?: number;
  actions?: ComponentChildren;
  footer?: ComponentChildren;
  onMoved: (skillId: string) => void;
}) {
  const { home, homeRoom, tools, skillId } = props;
  const identity = useIdentity();
  const readText = useCallback((doc: Y.Doc) => {
    const text = skillsOf(doc).get(skillId);
    return text instanceof Y.Text ? text : undefined;
  }, [skillId]);
  const ytext = useDocValue(homeRoom.doc, readText, undefined);
  const readSource = useCallback((doc: Y.Doc) => getSkillSource(doc, skillId) ?? '', [skillId]);
  const text = useDocValue(homeRoom.doc, readSource, '');
  const awareness = homeRoom.provider.awareness;
  const shared = useMemo<SharedSkillText | undefined>(() => (ytext ? { ytext, awareness } : undefined), [ytext, awareness]);
  // How the others in the room label this person's cursor (y-codemirror.next reads `user`).
  useEffect(() => awareness.setLocalStateField('user', { name: identity.name, color: identity.color, colorLight: `${identity.color}33` }), [awareness, identity.name, identity.color]);
  const { parsed, problems } = useSkillCheck(tools, text, skillFileName(home.volume, home.volumeId, skillId), skillId);
  const { save, notices } = useSkillSave(home, homeRoom, props.onMoved);
  const movedTo = parsed.ok && parsed.value.frontmatter.skill_id !== skillId ? parsed.value.frontmatter.skill_id : null;

  if (!shared) {
    return (
      <div class="empty" data-testid="skill-missing">
        The skill <code>{skillId}</code> is no longer in your volume: it was deleted or moved to another id.
      </div>
    );
  }
  return (
    <div class="skill-editor" data-testid="skill-editor" data-mode="edit">
      <header class="skill-editor-header">
        <h2>{parsed.ok ? parsed.value.frontmatter.name : skillId}</h2>
        <span class="volume-badge">mine</span>
        {parsed.ok && parsed.value.kind === 'instruction' && <InstructionBadge />}
        <span class="spacer" />
        <span class="muted" title="Your edits are saved as you type and shared live with everyone editing this skill. Ctrl+Z undoes only yours.">
          Saved live
        </span>
        <SkillStatus problems={problems} />
        {movedTo && (
          <button type="button" class="primary" data-testid="move-skill" onClick={() => save({ originalId: skillId, skillId: movedTo, text })}>
            Save as {movedTo}
          </button>
        )}
        {props.actions}
      </header>
      {notices}
      <ReplacesNote catalog={props.catalog} home={home} skillId={skillId} />
      <SkillSourceEditor text={text} shared={shared} errors={problems} readOnly={false} {...(props.line === undefined ? {} : { line: props.line })} />
      {props.footer}
    </div>
  );
}
