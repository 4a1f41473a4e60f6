import { SKILL_DRAG_TYPE } from '../canvas/workflow-canvas';
import type { CatalogEntry } from '../documents/catalog';
import type { VolumeRef } from '../documents/identity';
import { hrefOf } from '../router';
import { CompoundBadge, CompoundUses, InstructionBadge } from './skill-badges';
import { errorText, portLabel } from './skill-library';

/** How the library names a volume. */
export function volumeLabel(volume: VolumeRef, home: VolumeRef): string {
  if (volume.volume === home.volume && volume.volumeId === home.volumeId) return 'mine';
  return volume.volume === 'system' ? 'system' : `${volume.volume} ${volume.volumeId}`;
}

export function Ports({ label, ports }: { label: string; ports: Array<{ name: string; type: string }> }) {
  if (ports.length === 0) return null;
  return (
    <div class="skill-ports">
      <span class="muted">{label}</span>
      {ports.map((p) => (
        <code key={p.name} class="port-chip">
          {portLabel(p)}
        </code>
      ))}
    </div>
  );
}

/**
 * One skill of the library: drag it onto a workflow's canvas to add a node. `shadowed`: a skill
 * with the same id in a volume looked up first (e.g. the person's own copy) is used instead.
 */
export function SkillCard({ entry, home, shadowed }: { entry: CatalogEntry; home: VolumeRef; shadowed: boolean }) {
  const fm = entry.skill?.frontmatter;
  const broken = !entry.skill && entry.errors.length > 0;
  const instruction = entry.skill?.kind === 'instruction';
  const compound = entry.skill?.kind === 'compound' ? entry.skill : undefined;
  // An instruction skill has nothing to run, so it is read, not placed on a workflow.
  const usable = (entry.skill?.kind === 'runnable' || compound !== undefined) && !shadowed;
  return (
    <li
      class={`skill-card${broken ? ' broken' : ''}${shadowed ? ' shadowed' : ''}${instruction ? ' instruction' : ''}`}
      data-testid="skill-item"
      data-skill-id={entry.skillId}
      data-volume={entry.volume.volume}
      data-kind={entry.skill?.kind}
      draggable={usable}
      title={usable ? 'Drag onto a workflow to add it as a node' : instruction ? 'Instructions for the assistant: nothing to run, so not a workflow node' : undefined}
      onDragStart={(e) => {
        if (!e.dataTransfer || !usable) return;
        e.dataTransfer.setData(SKILL_DRAG_TYPE, entry.skillId);
        e.dataTransfer.effectAllowed = 'copy';
      }}
    >
      <div class="skill-card-title">
        <a href={hrefOf.skill(entry.volume.volume, entry.volume.volumeId, entry.skillId)} data-testid="skill-link">
          {fm?.name ?? entry.skillId}
        </a>
        <span class="volume-badge" data-testid="skill-volume">
          {volumeLabel(entry.volume, home)}
        </span>
        {fm && (instruction ? <InstructionBadge /> : compound ? <CompoundBadge inside={compound.inside} /> : <span class="muted">{fm.type}</span>)}
      </div>
      {shadowed && <p class="muted">Replaced by a skill with the same id that is looked up first.</p>}
      {fm?.description && <p class="skill-description">{fm.description}</p>}
      {fm && <Ports label="in" ports={fm.inputs} />}
      {fm && <Ports label="out" ports={fm.outputs} />}
      {compound && <CompoundUses inside={compound.inside} />}
      {!broken && entry.errors.length > 0 && (
        <p class="muted" data-testid="skill-item-kept">
          Its text has {entry.errors.length} error{entry.errors.length === 1 ? '' : 's'} now; workflows use its last valid version.
        </p>
      )}
      {broken && (
        <ul class="skill-errors" data-testid="skill-item-errors">
          {entry.errors.map((e, i) => (
            <li key={i}>{errorText(e)}</li>
          ))}
        </ul>
      )}
    </li>
  );
}
