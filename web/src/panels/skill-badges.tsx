import type { CompoundInside } from '../../../shared/src/skill/compound';
import type { SkillError } from '../../../shared/src/skill/parse';
import type { Catalog } from '../documents/catalog';
import type { VolumeRef } from '../documents/identity';

/** Marks an instruction skill: prose for the assistant, nothing to run. */
export function InstructionBadge() {
  return (
    <span class="kind-badge" data-testid="skill-kind" title="Instructions for the assistant: nothing to run, so not a workflow node">
      instructions
    </span>
  );
}

/** Marks a compound skill: a workflow inside one node, with how many inner nodes it holds. */
export function CompoundBadge({ inside }: { inside: CompoundInside }) {
  const count = inside.nodes.length;
  return (
    <span class="kind-badge compound" data-testid="skill-kind" title="A workflow packed into one node: it runs as its inner nodes">
      compound · {count} node{count === 1 ? '' : 's'}
    </span>
  );
}

/** The skills a compound skill's inner nodes use, each once. */
export function CompoundUses({ inside }: { inside: CompoundInside }) {
  return (
    <div class="skill-ports" data-testid="skill-compound-uses">
      <span class="muted">uses</span>
      {[...new Set(inside.nodes.map((n) => n.skillId))].map((id) => (
        <code key={id} class="port-chip">
          {id}
        </code>
      ))}
    </div>
  );
}

/** "Valid", or the count of problems. */
export function SkillStatus({ problems }: { problems: SkillError[] }) {
  if (problems.length === 0) {
    return (
      <span class="valid" data-testid="skill-valid">
        Valid
      </span>
    );
  }
  return (
    <span class="invalid" data-testid="skill-invalid">
      {problems.length} error{problems.length === 1 ? '' : 's'}
    </span>
  );
}

/** Says that the person's skill `skillId` is used in place of a team or system skill with that id. */
export function ReplacesNote({ catalog, home, skillId }: { catalog: Catalog; home: VolumeRef; skillId: string | null }) {
  const replaces = skillId ? catalog.entries.find((e) => e.skillId === skillId && !(e.volume.volume === home.volume && e.volume.volumeId === home.volumeId)) : undefined;
  if (!replaces) return null;
  return (
    <p class="note" data-testid="skill-replaces">
      Your skill takes the place of the {replaces.volume.volume} skill <code>{replaces.skillId}</code> in your workflows: yours is looked up first.
    </p>
  );
}

/** A failed action of a panel, said inline (useFailure). */
export function FailureNote({ failure }: { failure: string | null }) {
  if (!failure) return null;
  return (
    <p class="panel-error" role="alert">
      {failure}
    </p>
  );
}
