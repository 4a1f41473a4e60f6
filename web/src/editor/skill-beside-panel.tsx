import { useCallback, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import { getSkillSource, listSkillSources } from '../../../shared/src/documents/volume-index';
import { volumeRoom } from '../../../shared/src/rooms';
import { closeSkillBeside, openSkillBeside } from '../canvas/skill-beside';
import type { Catalog, CatalogEntry } from '../documents/catalog';
import { useDocValue, useRoom, useRooms } from '../documents/hooks';
import type { VolumeRef } from '../documents/identity';
import type { Room } from '../documents/rooms';
import { useFailure, useHomeIndex } from '../panels/home-index';
import { FailureNote, SkillStatus } from '../panels/skill-badges';
import { useSkillCheck } from '../panels/skill-check';
import { LiveSkill } from '../panels/skill-live';
import { applySave, carriedFolder, planSave, skillFileName } from '../panels/skill-save';
import { SkillSourceEditor } from '../panels/skill-source-editor';
import { useSkillTools, type SkillTools } from '../panels/skill-tools';

const NO_SKILLS = new Map<string, string>();

const CloseButton = () => (
  <button type="button" data-testid="close-skill-beside" title="Close the editor" onClick={closeSkillBeside}>
    Close
  </button>
);

/**
 * A node's skill beside the canvas, at a line when asked (a traceback's line): the person's own
 * skill edited live, any other shown read-only with a copy to their skills that is then edited
 * here. An edit takes effect in the workflow's next run.
 */
export default function SkillBesidePanel(props: { catalog: Catalog; skillId: string; line?: number }) {
  const { catalog, skillId } = props;
  const { home, room: homeRoom } = useHomeIndex();
  const { tools, failed } = useSkillTools();
  const entry = catalog.entry(skillId);
  if (failed) {
    return (
      <div class="empty" role="alert">
        The skill editor could not be loaded: this browser has no copy of it yet and the server cannot be reached. Reload the page once you are back online. <CloseButton />
      </div>
    );
  }
  if (!tools || !homeRoom) return <div class="empty">Opening the skill…</div>;
  if (!entry) {
    return (
      <div class="empty" data-testid="skill-missing">
        The skill <code>{skillId}</code> is not in your library (it may have been deleted, or not synced to this browser yet). <CloseButton />
      </div>
    );
  }
  const own = entry.volume.volume === home.volume && entry.volume.volumeId === home.volumeId;
  if (own) {
    return <LiveSkill home={home} homeRoom={homeRoom} tools={tools} catalog={catalog} skillId={skillId} actions={<CloseButton />} onMoved={(id) => openSkillBeside(id)} {...(props.line === undefined ? {} : { line: props.line })} />;
  }
  return <OthersSkill entry={entry} home={home} homeRoom={homeRoom} tools={tools} {...(props.line === undefined ? {} : { line: props.line })} />;
}

/** A system, team or someone else's skill: read-only, with "Copy to my skills" (the copy then opens here, live). */
function OthersSkill(props: { entry: CatalogEntry; home: VolumeRef; homeRoom: Room; tools: SkillTools; line?: number }) {
  const { entry, home, homeRoom, tools } = props;
  const { volume, skillId } = entry;
  const rooms = useRooms();
  const room = useRoom(volumeRoom(volume.volume, volume.volumeId));
  const read = useCallback((doc: Y.Doc) => getSkillSource(doc, skillId), [skillId]);
  const source = useDocValue(room?.doc, read, undefined) ?? entry.source;
  const own = useDocValue(homeRoom.doc, listSkillSources, NO_SKILLS);
  const { parsed, problems } = useSkillCheck(tools, source, skillFileName(volume.volume, volume.volumeId, skillId), skillId);
  const { failure, watch } = useFailure();
  const [copying, setCopying] = useState(false);

  const copy = () => {
    if (!room) return;
    const folder = carriedFolder(room.doc, skillId);
    // Under the same id: the person's copy is looked up first, so the workflow's nodes use it.
    const plan = planSave(null, skillId, new Set(own.keys()));
    setCopying(true);
    watch(
      'Copying the skill',
      rooms.edit(volumeRoom(home.volume, home.volumeId), (doc) => applySave(doc, plan, source, folder)).finally(() => setCopying(false)),
    );
  };

  return (
    <div class="skill-editor" data-testid="skill-editor" data-mode="read-only">
      <header class="skill-editor-header">
        <h2>{parsed.ok ? parsed.value.frontmatter.name : skillId}</h2>
        <span class="volume-badge">{volume.volume}</span>
        <span class="spacer" />
        <SkillStatus problems={problems} />
        <button type="button" class="primary" data-testid="copy-skill" disabled={!room || copying} onClick={copy}>
          Copy to my skills
        </button>
        <CloseButton />
      </header>
      <p class="note" data-testid="read-only-note">
        Read-only: this is a {volume.volume} skill. Copy it to your skills to change it; your copy takes its place in your workflows.
      </p>
      <FailureNote failure={failure} />
      <SkillSourceEditor text={source} errors={problems} readOnly {...(props.line === undefined ? {} : { line: props.line })} />
    </div>
  );
}
