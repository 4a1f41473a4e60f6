import type { ComponentChildren } from 'preact';
import { useCallback, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import { trashSkill } from '../../../shared/src/documents/trash';
import { getSkillSource } from '../../../shared/src/documents/volume-index';
import { nowIso } from '../../../shared/src/json';
import { volumeRoom } from '../../../shared/src/rooms';
import type { Catalog } from '../documents/catalog';
import { useDocValue, useIdentity, useRoom, useRooms } from '../documents/hooks';
import type { VolumeRef } from '../documents/identity';
import type { Room } from '../documents/rooms';
import { SkillVersions } from '../history/skill-versions';
import { hrefOf, type Route } from '../router';
import { ConfirmButton } from './confirm-button';
import { useFailure, useHomeIndex } from './home-index';
import { FailureNote, InstructionBadge, SkillStatus } from './skill-badges';
import { useSkillCheck } from './skill-check';
import { SkillDraft } from './skill-draft';
import { SkillFilesView } from './skill-files-view';
import { LiveSkill } from './skill-live';
import { carriedFolder, freeSkillId, skillFileName, type CarriedFolder } from './skill-save';
import { SkillSourceEditor } from './skill-source-editor';
import { skillTemplate, useSkillTools, type SkillTools } from './skill-tools';
import { useTrashEntry } from './trash-entry';
import { TrashedBanner } from './trashed-banner';

type SkillRoute = Extract<Route, { view: 'skill' }>;

/** Why a skill cannot be edited here, by the volume it lives in. */
function readOnlyReason(route: SkillRoute): string {
  if (route.volume === 'system') return 'System skills ship with LLMunix and cannot be changed.';
  if (route.volume === 'team') return `Skills of team ${route.volumeId} are changed by the team's admins.`;
  return 'This skill belongs to someone else.';
}

/** A skill's Markdown: an editor for the person's own skills and new ones, read-only otherwise. */
export function SkillEditor({ route, catalog }: { route: Extract<Route, { view: 'skill' | 'new-skill' }>; catalog: Catalog }) {
  const { home, room: homeRoom } = useHomeIndex();
  const { tools, failed } = useSkillTools();
  if (failed) {
    return (
      <div class="empty" role="alert" data-testid="skill-editor-unavailable">
        The skill editor could not be loaded: this browser has no copy of it yet and the server cannot be reached. Reload
        the page once you are back online.
      </div>
    );
  }
  if (!tools || !homeRoom) return <div class="empty">Opening the skill editor…</div>;
  if (route.view === 'new-skill') return <NewSkill home={home} homeRoom={homeRoom} tools={tools} catalog={catalog} />;
  return <SkillFile route={route} home={home} homeRoom={homeRoom} tools={tools} catalog={catalog} />;
}

function NewSkill(props: { home: VolumeRef; homeRoom: Room; tools: SkillTools; catalog: Catalog }) {
  // Picked once: a fresh id that neither replaces nor hides any skill the person can read.
  const [initial] = useState(() => skillTemplate(props.tools.buildSkillMarkdown, freeSkillId('my-skill', new Set(props.catalog.entries.map((e) => e.skillId)))));
  return <SkillDraft {...props} initial={initial} onSaved={openOwnSkill(props.home)} />;
}

/** Opens one of the person's skills in the full editor (after a save or a move to another id). */
const openOwnSkill = (home: VolumeRef) => (skillId: string) => {
  location.hash = hrefOf.skill(home.volume, home.volumeId, skillId);
};

function SkillFile(props: { route: SkillRoute; home: VolumeRef; homeRoom: Room; tools: SkillTools; catalog: Catalog }) {
  const { route, home, tools } = props;
  const rooms = useRooms();
  const room = useRoom(volumeRoom(route.volume, route.volumeId));
  const read = useCallback((doc: Y.Doc) => getSkillSource(doc, route.skillId), [route.skillId]);
  const source = useDocValue(room?.doc, read, undefined);
  const [copy, setCopy] = useState<{ text: string; folder: CarriedFolder } | null>(null);
  const { failure, watch } = useFailure();
  const identity = useIdentity();
  const trashed = useTrashEntry(route, 'skill', route.skillId);
  const own = route.volume === home.volume && route.volumeId === home.volumeId;

  if (copy !== null) return <SkillDraft {...props} initial={copy.text} carried={copy.folder} onSaved={openOwnSkill(home)} />;
  if (!room) return <div class="empty">Opening the skill…</div>;
  if (source === undefined && trashed) {
    return (
      <div class="skill-editor" data-testid="skill-trashed">
        <TrashedBanner entry={trashed} volume={route} />
      </div>
    );
  }
  if (source === undefined) {
    return (
      <div class="empty" data-testid="skill-missing">
        There is no skill <code>{route.skillId}</code> in the {route.volume} volume (it may have been deleted, or not synced to this browser yet).{' '}
        <a href={hrefOf.newSkill()}>Write a new skill</a>.
      </div>
    );
  }
  // System skills ship with the app: they have no versions on the server.
  const versions = route.volume !== 'system' && (
    <SkillVersions volume={route.volume} volumeId={route.volumeId} skillId={route.skillId} doc={room.doc} editable={own} cannotRestore={readOnlyReason(route)} />
  );
  const folder = (
    <>
      <SkillFilesView doc={room.doc} skillId={route.skillId} file={skillFileName(route.volume, route.volumeId, route.skillId)} />
      {versions}
    </>
  );
  if (own) {
    const remove = () =>
      watch(
        'Moving the skill to the trash',
        rooms.edit(volumeRoom(home.volume, home.volumeId), (doc) => trashSkill(doc, home, route.skillId, { by: identity.name, at: nowIso() }, props.catalog.entry(route.skillId)?.skill?.frontmatter.name)).then(() => (location.hash = '#/')),
      );
    const actions = <ConfirmButton label="Delete" question="Move this skill to the trash?" testId="delete-skill" onConfirm={remove} />;
    const footer = (
      <>
        <FailureNote failure={failure} />
        {folder}
      </>
    );
    return <LiveSkill {...props} skillId={route.skillId} actions={actions} footer={footer} onMoved={openOwnSkill(home)} />;
  }
  return <ReadOnlySkill route={route} source={source} tools={tools} onCopy={() => setCopy({ text: source, folder: carriedFolder(room.doc, route.skillId) })} footer={folder} />;
}

function ReadOnlySkill(props: { route: SkillRoute; source: string; tools: SkillTools; onCopy: () => void; footer: ComponentChildren }) {
  const { route, source, tools } = props;
  const { parsed, problems } = useSkillCheck(tools, source, skillFileName(route.volume, route.volumeId, route.skillId), route.skillId);
  return (
    <div class="skill-editor" data-testid="skill-editor" data-mode="read-only">
      <header class="skill-editor-header">
        <h2>{parsed.ok ? parsed.value.frontmatter.name : route.skillId}</h2>
        <span class="volume-badge">{route.volume}</span>
        {parsed.ok && parsed.value.kind === 'instruction' && <InstructionBadge />}
        <span class="spacer" />
        <SkillStatus problems={problems} />
        <button type="button" data-testid="copy-skill" onClick={props.onCopy}>
          Copy to my skills
        </button>
      </header>
      <p class="note" data-testid="read-only-note">
        Read-only: {readOnlyReason(route)} To change it, copy it to your skills; a skill of yours with the same id is used in its place.
      </p>
      <SkillSourceEditor text={source} errors={problems} readOnly />
      {props.footer}
    </div>
  );
}
