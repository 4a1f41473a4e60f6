import type { ComponentChildren } from 'preact';
import { useCallback, useMemo, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import { getSkillSource } from '../../../shared/src/documents/volume-index';
import { volumeRoom } from '../../../shared/src/rooms';
import type { Catalog } from '../documents/catalog';
import { useDocValue, useRoom } from '../documents/hooks';
import type { VolumeRef } from '../documents/identity';
import type { Room } from '../documents/rooms';
import { hrefOf, type Route } from '../router';
import { useHomeIndex } from './home-index';
import { InstructionBadge } from './skill-card';
import { SkillDraft } from './skill-draft';
import { SkillFilesView } from './skill-files-view';
import { carriedFolder, freeSkillId, skillFileName, type CarriedFolder } from './skill-save';
import { SkillSourceEditor } from './skill-source-editor';
import { skillTemplate, useSkillTools, type SkillTools } from './skill-tools';

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
  return <SkillDraft {...props} originalId={null} initial={initial} />;
}

function SkillFile(props: { route: SkillRoute; home: VolumeRef; homeRoom: Room; tools: SkillTools; catalog: Catalog }) {
  const { route, home, tools } = props;
  const room = useRoom(volumeRoom(route.volume, route.volumeId));
  const read = useCallback((doc: Y.Doc) => getSkillSource(doc, route.skillId), [route.skillId]);
  const source = useDocValue(room?.doc, read, undefined);
  const [copy, setCopy] = useState<{ text: string; folder: CarriedFolder } | null>(null);
  const own = route.volume === home.volume && route.volumeId === home.volumeId;

  if (copy !== null) return <SkillDraft {...props} originalId={null} initial={copy.text} carried={copy.folder} />;
  if (!room) return <div class="empty">Opening the skill…</div>;
  if (source === undefined) {
    return (
      <div class="empty" data-testid="skill-missing">
        There is no skill <code>{route.skillId}</code> in the {route.volume} volume (it may have been deleted, or not synced to this browser yet).{' '}
        <a href={hrefOf.newSkill()}>Write a new skill</a>.
      </div>
    );
  }
  const folder = <SkillFilesView doc={room.doc} skillId={route.skillId} file={skillFileName(route.volume, route.volumeId, route.skillId)} />;
  if (own) return <SkillDraft {...props} originalId={route.skillId} saved={source} footer={folder} />;
  return <ReadOnlySkill route={route} source={source} tools={tools} onCopy={() => setCopy({ text: source, folder: carriedFolder(room.doc, route.skillId) })} footer={folder} />;
}

function ReadOnlySkill(props: { route: SkillRoute; source: string; tools: SkillTools; onCopy: () => void; footer: ComponentChildren }) {
  const { route, source, tools } = props;
  const parsed = useMemo(() => tools.readSkill(source, { file: skillFileName(route.volume, route.volumeId, route.skillId), skillId: route.skillId }), [tools, source, route]);
  return (
    <div class="skill-editor" data-testid="skill-editor" data-mode="read-only">
      <header class="skill-editor-header">
        <h2>{parsed.ok ? parsed.value.frontmatter.name : route.skillId}</h2>
        <span class="volume-badge">{route.volume}</span>
        {parsed.ok && parsed.value.kind === 'instruction' && <InstructionBadge />}
        <span class="spacer" />
        <button type="button" data-testid="copy-skill" onClick={props.onCopy}>
          Copy to my skills
        </button>
      </header>
      <p class="note" data-testid="read-only-note">
        Read-only: {readOnlyReason(route)} To change it, copy it to your skills; a skill of yours with the same id is used in its place.
      </p>
      <SkillSourceEditor text={source} errors={parsed.ok ? [] : parsed.error} readOnly />
      {props.footer}
    </div>
  );
}
